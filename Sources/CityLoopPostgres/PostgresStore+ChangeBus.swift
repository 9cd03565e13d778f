import CityLoopDomain
import Foundation
import PostgresNIO

/// Change notices between nodes over PostgreSQL's LISTEN/NOTIFY: a notice is sent when its transaction commits
/// and reaches every session listening on the channel.
extension PostgresStore: ChangeBus {
    /// The channel every node listens on.
    static let changeChannel = "cityloop_changes"
    /// NOTIFY payloads must stay under 8,000 bytes; a larger live item is not forwarded (its node still shows it).
    static let maxNoticeBytes = 7_900

    /// Sends a notice (dropped when too large for NOTIFY). It is queued and this returns at once: one sender sends
    /// every queued notice, in order, in one statement (intake publishes a live item per report, and a statement
    /// per notice cost a fifth of a node's database work). A notice that cannot be sent is logged.
    public func publish(_ notice: ChangeNotice) async throws {
        let text = notice.wireText
        guard text.utf8.count <= Self.maxNoticeBytes else { return }
        guard outgoingNotices.add(text) else { return }
        Task { await self.sendQueuedNotices() }
    }

    /// Sends the queued notices until none wait.
    private func sendQueuedNotices() async {
        while let batch = outgoingNotices.next() {
            do {
                _ = try await rows(
                    """
                    SELECT pg_notify(\(Self.changeChannel), n)
                    FROM (SELECT n FROM unnest(\(batch)::text[]) WITH ORDINALITY AS t(n, i) ORDER BY i) AS ordered
                    """)
            } catch {
                logger.warning("\(batch.count) change notices not sent: \(error)")
            }
        }
    }

    /// Listens on a pooled connection held for as long as it listens.
    public func listen(_ receive: @escaping @Sendable (ChangeNotice) async -> Void) async throws {
        try await withConnection { connection in
            for try await n in try await connection.listen(Self.changeChannel) {
                if let notice = ChangeNotice(wireText: n.payload) { await receive(notice) }
            }
        }
    }
}

/// Change notices waiting to be sent, in order, and whether a sender runs.
final class NoticeQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var waiting: [String] = []
    private var sending = false
    /// Most notices kept waiting; beyond it the oldest are dropped (as the change relay's own queue does).
    static let limit = 10_000

    /// Queues a notice; true when no sender runs and the caller must start one.
    func add(_ text: String) -> Bool {
        lock.withLock {
            waiting.append(text)
            if waiting.count > Self.limit { waiting.removeFirst(waiting.count - Self.limit) }
            if sending { return false }
            sending = true
            return true
        }
    }

    /// Every waiting notice, oldest first; nil when none wait (the sender then stops).
    func next() -> [String]? {
        lock.withLock {
            guard !waiting.isEmpty else {
                sending = false
                return nil
            }
            defer { waiting.removeAll(keepingCapacity: true) }
            return waiting
        }
    }
}
