import CityLoopDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Undelivered notices due now, oldest first; rows another node is recording an attempt for right now are
    /// skipped rather than waited for (`FOR UPDATE SKIP LOCKED`).
    public func dueNotices(at now: Date, limit: Int) async throws -> [QueuedNotice] {
        try await transaction { c in
            try self.notices(try await self.rows(
                """
                SELECT id, data, attempts, next_attempt_at, delivered_at, last_error, leased_by, lease_until FROM notice_outbox
                WHERE delivered_at IS NULL AND next_attempt_at <= \(Self.ms(now)) ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """, on: c))
        }
    }

    /// Claims due notices whose lease is free or ran out; rows another node is claiming right now are skipped.
    public func claimNotices(at now: Date, limit: Int, leaseUntil: Date, node: String) async throws -> [QueuedNotice] {
        let notices = try self.notices(try await rows(
            """
            UPDATE notice_outbox SET leased_by = \(node), lease_until = \(Self.ms(leaseUntil))
            WHERE id IN (
                SELECT id FROM notice_outbox WHERE delivered_at IS NULL AND next_attempt_at <= \(Self.ms(now))
                AND (lease_until IS NULL OR lease_until <= \(Self.ms(now))) ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING id, data, attempts, next_attempt_at, delivered_at, last_error, leased_by, lease_until
            """))
        return notices.sorted { $0.id < $1.id }
    }

    /// Records a delivery attempt.
    public func recordAttempt(notice id: Int64, at: Date, error: String?, retryAt: Date?) async throws {
        let delivered: Int64? = error == nil ? Self.ms(at) : nil
        let next: Int64? = error == nil ? nil : Self.ms(optional: retryAt)
        let changed = try await rows(
            """
            UPDATE notice_outbox SET attempts = attempts + 1, last_error = \(error), delivered_at = \(delivered), next_attempt_at = \(next),
            leased_by = NULL, lease_until = NULL WHERE id = \(id) RETURNING id
            """)
        guard changed.count == 1 else { throw DomainError.notFound("notice", String(id)) }
    }

    /// Gives up a node's leases.
    public func releaseNotices(node: String) async throws -> Int {
        try await rows("UPDATE notice_outbox SET leased_by = NULL, lease_until = NULL WHERE leased_by = \(node) RETURNING id").count
    }

    /// Undelivered notices still to be tried, and the earliest due time among them.
    public func noticeBacklog() async throws -> (waiting: Int, oldestDue: Date?) {
        let row = try await rows(
            "SELECT count(*)::int8, min(next_attempt_at) FROM notice_outbox WHERE delivered_at IS NULL AND next_attempt_at IS NOT NULL").first
        guard let (n, oldest) = try row?.decode((Int64, Int64?).self) else { return (0, nil) }
        return (Int(n), Self.date(optional: oldest))
    }

    /// The outbox, newest first.
    public func queuedNotices(limit: Int) async throws -> [QueuedNotice] {
        try notices(try await rows(
            "SELECT id, data, attempts, next_attempt_at, delivered_at, last_error, leased_by, lease_until FROM notice_outbox ORDER BY id DESC LIMIT \(limit)"))
    }

    private func notices(_ rows: [PostgresRow]) throws -> [QueuedNotice] {
        try rows.map { r in
            let (id, data, attempts, next, delivered, error, node, lease) = try r.decode((Int64, String, Int, Int64?, Int64?, String?, String?, Int64?).self)
            return QueuedNotice(
                id: id, notice: try decode(ReporterNotice.self, data), attempts: attempts, nextAttemptAt: Self.date(optional: next),
                deliveredAt: Self.date(optional: delivered), lastError: error, leasedBy: node, leaseUntil: Self.date(optional: lease))
        }
    }

    /// Queues notices inside a case-writing transaction.
    func queue(_ notices: [(ReporterNotice, String)], on c: PostgresConnection) async throws {
        guard !notices.isEmpty else { return }
        try await run(
            """
            INSERT INTO notice_outbox (data, next_attempt_at)
            SELECT data, at FROM unnest(\(notices.map(\.1))::text[], \(notices.map { Self.ms($0.0.at) })::int8[]) WITH ORDINALITY AS q(data, at, n)
            ORDER BY n
            """, on: c)
    }
}
