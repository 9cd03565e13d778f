import CityLoopDomain
import Foundation
import GRDB

extension SQLiteStore {
    /// Undelivered notices due now, oldest first.
    public func dueNotices(at now: Date, limit: Int) async throws -> [QueuedNotice] {
        try await outbox("WHERE delivered_at IS NULL AND next_attempt_at <= ? ORDER BY id LIMIT ?", [Self.ms(now), limit])
    }

    /// Records a delivery attempt.
    public func recordAttempt(notice id: Int64, at: Date, error: String?, retryAt: Date?) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE notice_outbox SET attempts = attempts + 1, last_error = ?, delivered_at = ?, next_attempt_at = ?
                    WHERE id = ?
                    """,
                arguments: [error, error == nil ? Self.ms(at) : nil, error == nil ? nil : Self.ms(retryAt), id])
            guard db.changesCount == 1 else { throw DomainError.notFound("notice", String(id)) }
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
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, data, attempts, next_attempt_at, delivered_at, last_error FROM notice_outbox " + clause,
                arguments: arguments
            ).map { row in
                func date(_ ms: Int64?) -> Date? { ms.map { Date(timeIntervalSince1970: Double($0) / 1000) } }
                return QueuedNotice(
                    id: row[0], notice: try self.decode(ReporterNotice.self, row[1]), attempts: row[2], nextAttemptAt: date(row[3]),
                    deliveredAt: date(row[4]), lastError: row[5])
            }
        }
    }
}
