import CityLoopDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Takes one request from the key's token bucket in one upsert, atomic across the nodes on this database.
    public func takeRequest(_ key: String, perMinute: Int, at now: Date) async throws -> Int? {
        var sql = SQLBuilder()
        let (k, capacity, at) = (sql.bind(key), sql.bind(Double(max(perMinute, 1))), sql.bind(Self.ms(now)))
        // SET sees the row as it was: `refill` is the budget before this request, topped up for the time since.
        let refill = "LEAST(\(capacity), b.tokens + GREATEST(0, excluded.at - b.at) * \(capacity) / 60000.0::float8)"
        let row = try await rows(sql.query("""
            INSERT INTO rate_budgets AS b (key, tokens, at, granted) VALUES (\(k), \(capacity) - 1, \(at), true)
            ON CONFLICT (key) DO UPDATE SET
                tokens = CASE WHEN \(refill) >= 1 THEN \(refill) - 1 ELSE \(refill) END,
                granted = \(refill) >= 1,
                at = GREATEST(b.at, excluded.at)
            RETURNING tokens, granted
            """)).first
        guard let (tokens, granted) = try row?.decode((Double, Bool).self), !granted else { return nil }
        return RateBudget.retryAfter(tokens: tokens, perMinute: perMinute)
    }

    /// Forgets budgets untouched since `date`.
    public func pruneRateBudgets(before date: Date) async throws {
        _ = try await rows("DELETE FROM rate_budgets WHERE at < \(Self.ms(date))")
    }

    /// Saves the alerts not stored yet (another node's are left as they are) in front of the stored ones, and
    /// drops all but the newest `keeping`.
    public func saveNewAlerts(_ alerts: [WarningRecord], keeping: Int) async throws -> [WarningRecord] {
        let rows = try alerts.map { ($0, try json($0)) }
        return try await transaction { c in
            var saved: [WarningRecord] = []
            // Last first: the first of `alerts` gets the highest sequence number and is listed first.
            for (alert, text) in rows.reversed() {
                let inserted = try await self.rows(
                    "INSERT INTO early_warnings (id, record) VALUES (\(alert.id), \(text)) ON CONFLICT (id) DO NOTHING RETURNING seq", on: c)
                if !inserted.isEmpty { saved.insert(alert, at: 0) }
            }
            try await self.run(
                "DELETE FROM early_warnings WHERE seq NOT IN (SELECT seq FROM early_warnings ORDER BY seq DESC LIMIT \(max(0, keeping)))", on: c)
            return saved
        }
    }

    /// The alerts, newest first.
    public func alerts(limit: Int) async throws -> [WarningRecord] {
        try warningRecords(try await rows(
            "SELECT record, task_case_id, task_case_number FROM early_warnings ORDER BY seq DESC LIMIT \(max(0, limit))"))
    }

    /// One alert.
    public func alert(id: String) async throws -> WarningRecord? {
        try warningRecords(try await rows("SELECT record, task_case_id, task_case_number FROM early_warnings WHERE id = \(id)")).first
    }

    /// Records the alert's task unless it has one (the row's compare-and-set: of two nodes, one records it).
    public func assignAlertTask(id: String, caseID: CaseID, caseNumber: String) async throws -> Bool {
        !(try await rows(
            """
            UPDATE early_warnings SET task_case_id = \(caseID.rawValue), task_case_number = \(caseNumber)
            WHERE id = \(id) AND task_case_id IS NULL RETURNING seq
            """)).isEmpty
    }

    private func warningRecords(_ rows: [PostgresRow]) throws -> [WarningRecord] {
        try rows.map { r in
            let (text, caseID, number) = try r.decode((String, String?, String?).self)
            var record = try decode(WarningRecord.self, text)
            record.taskCaseID = caseID.map { CaseID($0) }
            record.taskCaseNumber = number
            return record
        }
    }
}
