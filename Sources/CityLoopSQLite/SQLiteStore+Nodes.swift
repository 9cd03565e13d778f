import CityLoopDomain
import Foundation
import GRDB

extension SQLiteStore {
    /// One process owns the file: it always leads.
    public func tryLead(_ task: String) async throws -> Bool { true }

    /// Nothing to give up.
    public func resign(_ task: String) async throws {}

    /// Takes one request from the key's token bucket in one upsert.
    public func takeRequest(_ key: String, perMinute: Int, at now: Date) async throws -> Int? {
        let capacity = Double(max(perMinute, 1))
        let at = Self.milliseconds(now)
        // SET sees the row as it was: `refill` is the budget before this request, topped up for the time since.
        let refill = "MIN(?2, rate_budgets.tokens + MAX(0, excluded.at - rate_budgets.at) * ?2 / 60000.0)"
        let row = try await pool.write { db in
            try Row.fetchOne(
                db,
                sql: """
                    INSERT INTO rate_budgets (key, tokens, at, granted) VALUES (?1, ?2 - 1, ?3, 1)
                    ON CONFLICT(key) DO UPDATE SET
                        tokens = CASE WHEN \(refill) >= 1 THEN \(refill) - 1 ELSE \(refill) END,
                        granted = \(refill) >= 1,
                        at = MAX(rate_budgets.at, excluded.at)
                    RETURNING tokens, granted
                    """, arguments: [key, capacity, at]
            ).map { (tokens: $0["tokens"] as Double, granted: $0["granted"] as Bool) }
        }
        guard let row, !row.granted else { return nil }
        return RateBudget.retryAfter(tokens: row.tokens, perMinute: perMinute)
    }

    /// Forgets budgets untouched since `date`.
    public func pruneRateBudgets(before date: Date) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM rate_budgets WHERE at < ?", arguments: [Self.milliseconds(date)]) }
    }

    /// Saves the alerts not stored yet, in front of the stored ones, and drops all but the newest `keeping`.
    public func saveNewAlerts(_ alerts: [WarningRecord], keeping: Int) async throws -> [WarningRecord] {
        let rows = try alerts.map { ($0, String(decoding: try Self.alertEncoder.encode($0), as: UTF8.self)) }
        return try await pool.write { db in
            var saved: [WarningRecord] = []
            // Last first: the first of `alerts` gets the highest sequence number and is listed first.
            for (alert, json) in rows.reversed() {
                try db.execute(sql: "INSERT OR IGNORE INTO early_warnings (id, record) VALUES (?, ?)", arguments: [alert.id, json])
                if db.changesCount > 0 { saved.insert(alert, at: 0) }
            }
            try db.execute(
                sql: "DELETE FROM early_warnings WHERE seq NOT IN (SELECT seq FROM early_warnings ORDER BY seq DESC LIMIT ?)",
                arguments: [max(0, keeping)])
            return saved
        }
    }

    /// The alerts, newest first.
    public func alerts(limit: Int) async throws -> [WarningRecord] {
        try await warningRecords("ORDER BY seq DESC LIMIT ?", [max(0, limit)])
    }

    /// One alert.
    public func alert(id: String) async throws -> WarningRecord? { try await warningRecords("WHERE id = ?", [id]).first }

    /// Records the alert's task unless it has one.
    public func assignAlertTask(id: String, caseID: CaseID, caseNumber: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE early_warnings SET task_case_id = ?, task_case_number = ? WHERE id = ? AND task_case_id IS NULL",
                arguments: [caseID.rawValue, caseNumber, id])
            return db.changesCount == 1
        }
    }

    private func warningRecords(_ clause: String, _ arguments: StatementArguments) async throws -> [WarningRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT record, task_case_id, task_case_number FROM early_warnings \(clause)", arguments: arguments).map { r in
                var record = try Self.alertDecoder.decode(WarningRecord.self, from: Data((r["record"] as String).utf8))
                record.taskCaseID = (r["task_case_id"] as String?).map { CaseID($0) }
                record.taskCaseNumber = r["task_case_number"]
                return record
            }
        }
    }

    static var alertEncoder: JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .millisecondsSince1970
        return e
    }

    static var alertDecoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .millisecondsSince1970
        return d
    }

    private static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}
