import Foundation

/// The notice outbox (待发通知): notices queued by `CaseStore.commit` in the same transaction as their change, then
/// delivered and retried here.
public protocol NoticeOutboxStore: Sendable {
    /// Undelivered notices whose next attempt is due at `now`, oldest first (whether leased or not).
    func dueNotices(at now: Date, limit: Int) async throws -> [QueuedNotice]
    /// Claims up to `limit` due notices for `node` until `leaseUntil`, oldest first: atomically, so that nodes
    /// sharing the store never claim the same notice while its lease runs. A notice whose lease ran out (its node
    /// died before recording an attempt) can be claimed again.
    func claimNotices(at now: Date, limit: Int, leaseUntil: Date, node: String) async throws -> [QueuedNotice]
    /// Records a delivery attempt of a queued notice and ends its lease: delivered when `error` is nil, else
    /// failed and tried again at `retryAt` (never, when nil).
    func recordAttempt(notice id: Int64, at: Date, error: String?, retryAt: Date?) async throws
    /// Gives up `node`'s leases on the notices it claimed and has not recorded an attempt for (a node shutting down
    /// gracefully), so another node may claim them at once; returns how many.
    func releaseNotices(node: String) async throws -> Int
    /// The outbox as a delivery log, newest first.
    func queuedNotices(limit: Int) async throws -> [QueuedNotice]
    /// Notices waiting for delivery (due now or later, not given up), and when the longest-waiting one fell due.
    func noticeBacklog() async throws -> (waiting: Int, oldestDue: Date?)
}

/// A notice in the outbox (待发通知): queued with the change it tells of, then delivered, retried on failure.
public struct QueuedNotice: Hashable, Codable, Sendable {
    /// Queue position, increasing.
    public var id: Int64
    /// The notice.
    public var notice: ReporterNotice
    /// Delivery attempts so far.
    public var attempts: Int
    /// When it is due to be tried (again).
    public var nextAttemptAt: Date?
    /// When it was delivered.
    public var deliveredAt: Date?
    /// Why the last attempt failed.
    public var lastError: String?
    /// The node delivering it now, while its lease runs.
    public var leasedBy: String?
    /// When the current lease ends.
    public var leaseUntil: Date?

    /// Creates an entry.
    public init(
        id: Int64, notice: ReporterNotice, attempts: Int, nextAttemptAt: Date?, deliveredAt: Date?, lastError: String?, leasedBy: String? = nil,
        leaseUntil: Date? = nil
    ) {
        self.leasedBy = leasedBy
        self.leaseUntil = leaseUntil
        self.id = id
        self.notice = notice
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.deliveredAt = deliveredAt
        self.lastError = lastError
    }
}
