import CityLoopDomain
import Foundation
import GRDB

// The evaluation keeps two tables beside the cases: `case_facts`, each case's facts of one day as a small blob
// (the cases behind any number), and `eval_counts`, the facts summed by day, subject and counter (every
// period's figures). Both change with the case in the same transaction, by the difference between the case's
// old and new facts: closing one case touches a handful of rows, never a year.

extension SQLiteStore {

    /// Writes a delta: removed rows first, then the new rows and the changed sums.
    static func write(_ delta: CaseDelta, _ db: Database) throws {
        let delete = try db.cachedStatement(sql: "DELETE FROM case_facts WHERE day = ? AND case_id = ?")
        for r in delta.removedFacts { try delete.executeRaw { b in b.int(Int64(r.day)); b.text(r.caseID.rawValue) } }
        let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO case_facts (day, case_id, grid_code, data) VALUES (?, ?, ?, ?)")
        for r in delta.factRows {
            try insert.executeRaw { b in
                b.int(Int64(r.day))
                b.text(r.caseID.rawValue)
                b.text(r.gridCode)
                b.blob(r.blob)
            }
        }
        let upsert = try db.cachedStatement(
            sql: "INSERT INTO eval_counts (day, kind, subject, counter, n) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n")
        let report = try db.cachedStatement(
            sql: "INSERT INTO case_counts (area, matter, day, n) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n")
        for (k, n) in delta.reportCounts where n != 0 {
            try report.executeRaw { b in
                b.text(k.area)
                b.text(k.matter)
                b.int(Int64(k.day))
                b.int(Int64(n))
            }
        }
        try delta.forEachCount { day, subject, counter, n in
            try upsert.executeRaw { b in
                b.int(Int64(day))
                b.int(Int64(subject.kind.rawValue))
                b.text(subject.id)
                b.int(Int64(counter.rawValue))
                b.int(Int64(n))
            }
        }
    }

    /// Derives and writes the facts of every stored case (the migration that brings the evaluation to a city
    /// that already has cases).
    static func backfillEvaluation(_ db: Database, decode: (String) throws -> CaseRecord) throws {
        var lastRowID: Int64 = 0
        while true {
            let rows = try Row.fetchAll(db, sql: "SELECT rowid, id, data FROM cases WHERE rowid > ? ORDER BY rowid LIMIT 2000", arguments: [lastRowID])
            guard let last = rows.last else { return }
            lastRowID = last[0]
            var delta = CaseDelta()
            for row in rows {
                let c = try decode(row[2])
                let events = try Row.fetchAll(
                    db.cachedStatement(sql: "SELECT case_id, seq, hash, data FROM case_events WHERE case_id = ? ORDER BY seq"),
                    arguments: [c.id.rawValue]
                ).map(event)
                delta.add(created: c, events: events)
            }
            try write(delta, db)
        }
    }
}

extension SQLiteStore {
    /// Sums `eval_counts` over the days.
    public func evaluationCounts(days: ClosedRange<Int>, kinds: Set<EvaluationSubject.Kind>?) async throws -> EvaluationCounts {
        try await pool.read { db in
            var sql = "SELECT kind, subject, counter, sum(n) FROM eval_counts WHERE day BETWEEN ? AND ?"
            if let kinds { sql += " AND kind IN (\(kinds.map { String($0.rawValue) }.joined(separator: ",")))" }
            sql += " GROUP BY kind, subject, counter"
            var out = EvaluationCounts()
            try db.makeStatement(sql: sql).forEachRawRow([days.lowerBound, days.upperBound]) { r in
                guard let kind = EvaluationSubject.Kind(rawValue: Int(r.int64(0))), let counter = EvaluationCounter(rawValue: Int(r.int64(2))) else { return }
                let n = Int(r.int64(3))
                if n != 0 { out.add(EvaluationSubject(kind: kind, id: r.text(1) ?? ""), counter, n) }
            }
            return out
        }
    }

    /// Reads the days' fact rows (only the area's grids for an area), keeps the cases with a matching fact.
    public func evaluationCases(counter: EvaluationCounter, subject: EvaluationSubject, days: ClosedRange<Int>, after: String?, limit: Int)
        async throws -> [CaseSummary]
    {
        try await pool.read { db in
            var sql = "SELECT day, case_id, grid_code, data FROM case_facts WHERE day BETWEEN ? AND ?"
            var args: StatementArguments = [days.lowerBound, days.upperBound]
            if subject.kind == .district || subject.kind == .street {
                sql += " AND substr(grid_code, 1, ?) = ?"
                args += [subject.id.count, subject.id]
            }
            var ids = Set<String>()
            try db.makeStatement(sql: sql).forEachRawRow(args) { r in
                guard let id = r.text(1), !ids.contains(id), let facts = EvaluationFacts.decode(r.blob(3), day: Int(r.int64(0))) else { return }
                let grid = r.text(2) ?? ""
                if facts.contains(where: { $0.counter == counter && $0.subjects(gridCode: grid).contains(subject) }) { ids.insert(id) }
            }
            let one = try db.cachedStatement(sql: "SELECT id, number, matter_code, state, lat, lon, created_at FROM cases WHERE id = ?")
            var out: [CaseSummary] = []
            for id in ids {
                try one.forEachRawRow([id]) { r in
                    let number = r.text(1) ?? ""
                    guard after.map({ number > $0 }) ?? true, let state = CaseState(rawValue: r.text(3) ?? "") else { return }
                    out.append(
                        CaseSummary(
                            id: CaseID(r.text(0) ?? ""), number: number, matterCode: r.text(2) ?? "", state: state,
                            point: GeoPoint(lat: r.double(4), lon: r.double(5)), createdAt: Date(timeIntervalSince1970: Double(r.int64(6)) / 1000)))
                }
            }
            return Array(out.sorted { $0.number < $1.number }.prefix(limit))
        }
    }
}
