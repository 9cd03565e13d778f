import CityLoopDomain
import Foundation
import GRDB

extension SQLiteStore {
    /// Undelivered notices due now, oldest first.
    public func dueNotices(at now: Date, limit: Int) async throws -> [QueuedNotice] {
        try await outbox("WHERE delivered_at IS NULL AND next_attempt_at <= ? ORDER BY id LIMIT ?", [Self.ms(now), limit])
    }

    /// Claims due notices whose lease is free or ran out, in one write transaction.
    public func claimNotices(at now: Date, limit: Int, leaseUntil: Date, node: String) async throws -> [QueuedNotice] {
        try await pool.write { db in
            let ids = try Int64.fetchAll(
                db,
                sql: """
                    SELECT id FROM notice_outbox WHERE delivered_at IS NULL AND next_attempt_at <= ?
                    AND (lease_until IS NULL OR lease_until <= ?) ORDER BY id LIMIT ?
                    """, arguments: [Self.ms(now), Self.ms(now), limit])
            guard !ids.isEmpty else { return [] }
            let list = ids.map(String.init).joined(separator: ",")
            try db.execute(sql: "UPDATE notice_outbox SET leased_by = ?, lease_until = ? WHERE id IN (\(list))", arguments: [node, Self.ms(leaseUntil)])
            return try self.outbox(db, "WHERE id IN (\(list)) ORDER BY id", [])
        }
    }

    /// Records a delivery attempt.
    public func recordAttempt(notice id: Int64, at: Date, error: String?, retryAt: Date?) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE notice_outbox SET attempts = attempts + 1, last_error = ?, delivered_at = ?, next_attempt_at = ?,
                    leased_by = NULL, lease_until = NULL WHERE id = ?
                    """,
                arguments: [error, error == nil ? Self.ms(at) : nil, error == nil ? nil : Self.ms(retryAt), id])
            guard db.changesCount == 1 else { throw DomainError.notFound("notice", String(id)) }
        }
    }

    /// Gives up a node's leases.
    public func releaseNotices(node: String) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "UPDATE notice_outbox SET leased_by = NULL, lease_until = NULL WHERE leased_by = ?", arguments: [node])
            return db.changesCount
        }
    }

    /// Undelivered notices still to be tried, and the earliest due time among them.
    public func noticeBacklog() async throws -> (waiting: Int, oldestDue: Date?) {
        try await pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT count(*), min(next_attempt_at) FROM notice_outbox WHERE delivered_at IS NULL AND next_attempt_at IS NOT NULL")
            let oldest: Int64? = row?[1]
            return (row?[0] ?? 0, oldest.map { Date(timeIntervalSince1970: Double($0) / 1000) })
        }
    }

    /// The outbox, newest first.
    public func queuedNotices(limit: Int) async throws -> [QueuedNotice] {
        try await outbox("ORDER BY id DESC LIMIT ?", [limit])
    }

    private func outbox(_ clause: String, _ arguments: StatementArguments) async throws -> [QueuedNotice] {
        try await pool.read { db in try self.outbox(db, clause, arguments) }
    }

    private func outbox(_ db: Database, _ clause: String, _ arguments: StatementArguments) throws -> [QueuedNotice] {
        try Row.fetchAll(
            db, sql: "SELECT id, data, attempts, next_attempt_at, delivered_at, last_error, leased_by, lease_until FROM notice_outbox " + clause,
            arguments: arguments
        ).map { row in
            func date(_ ms: Int64?) -> Date? { ms.map { Date(timeIntervalSince1970: Double($0) / 1000) } }
            return QueuedNotice(
                id: row[0], notice: try self.decode(ReporterNotice.self, row[1]), attempts: row[2], nextAttemptAt: date(row[3]),
                deliveredAt: date(row[4]), lastError: row[5], leasedBy: row[6], leaseUntil: date(row[7]))
        }
    }
}
