import Foundation

/// The notice outbox (待发通知): notices queued by `CaseStore.commit` in the same transaction as their change, then
/// delivered and retried here.
public protocol NoticeOutboxStore: Sendable {
    /// Undelivered notices whose next attempt is due at `now`, oldest first.
    func dueNotices(at now: Date, limit: Int) async throws -> [QueuedNotice]
    /// Records a delivery attempt of a queued notice: delivered when `error` is nil, else failed and tried
    /// again at `retryAt` (never, when nil).
    func recordAttempt(notice id: Int64, at: Date, error: String?, retryAt: Date?) async throws
    /// The outbox as a delivery log, newest first.
    func queuedNotices(limit: Int) async throws -> [QueuedNotice]
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

    /// Creates an entry.
    public init(id: Int64, notice: ReporterNotice, attempts: Int, nextAttemptAt: Date?, deliveredAt: Date?, lastError: String?) {
        self.id = id
        self.notice = notice
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.deliveredAt = deliveredAt
        self.lastError = lastError
    }
}
