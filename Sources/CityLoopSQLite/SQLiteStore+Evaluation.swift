import CityLoopDomain
import Foundation
import GRDB

// The evaluation keeps two tables beside the cases: `case_facts`, each case's facts of one day as a small blob
// (the cases behind any number), and `eval_counts`, the facts summed by day, subject and counter (every
// period's figures). Both change with the case in the same transaction, by the difference between the case's
// old and new facts: closing one case touches a handful of rows, never a year.

extension SQLiteStore {

    /// Changes to both tables, gathered before they are written. Subjects are numbered as they are first seen and
    /// a count's key is one integer (day, subject number, counter): the demo's million cases make 125 million
    /// increments, which string keys made a tenth of the whole load.
    struct EvaluationDelta {
        var subjects: [EvaluationSubject] = []
        var subjectNumbers: [EvaluationSubject: Int] = [:]
        var counts: [UInt64: Int] = [:]
        var removed: [(day: Int, caseID: String)] = []
        var rows: [(day: Int, caseID: String, grid: String, blob: [UInt8])] = []
        var reports: [ReportKey: Int] = [:]

        /// Counts a reported case in `case_counts` with `sign`.
        mutating func countReport(_ c: CaseRecord, sign: Int) {
            let day = EvaluationFacts.day(of: c.createdAt, utcOffsetSeconds: EvaluationFacts.utcOffsetSeconds)
            for k in SQLiteStore.reportKeys(day: day, grid: c.placement.gridCode, matter: c.matterCode) { reports[k, default: 0] += sign }
        }

        mutating func number(_ s: EvaluationSubject) -> Int {
            if let n = subjectNumbers[s] { return n }
            subjects.append(s)
            subjectNumbers[s] = subjects.count - 1
            return subjects.count - 1
        }

        static func key(day: Int, subject: Int, counter: EvaluationCounter) -> UInt64 {
            // Days since 1970 fit 24 bits for 45,000 years; subjects 32 bits; counters 8.
            UInt64(UInt32(truncatingIfNeeded: day) & 0xFF_FFFF) << 40 | UInt64(UInt32(subject)) << 8 | UInt64(counter.rawValue)
        }

        static func unpack(_ k: UInt64) -> (day: Int, subject: Int, counter: Int) {
            (Int(k >> 40), Int((k >> 8) & 0xFFFF_FFFF), Int(k & 0xFF))
        }

        /// Counts `facts` of a case in `grid` with `sign` (+1 to add, −1 to take away), as `EvaluationFact.subjects`.
        mutating func count(_ facts: [EvaluationFact], grid: String, sign: Int) {
            let areas = EvaluationFact(.reported, day: 0).subjects(gridCode: grid).map { number($0) }
            var people: [String: Int] = [:]
            var departments: [String: Int] = [:]
            for f in facts {
                for a in areas { counts[Self.key(day: f.day, subject: a, counter: f.counter), default: 0] += sign }
                if let d = f.departmentID?.rawValue {
                    let n = departments[d] ?? number(EvaluationSubject(kind: .department, id: d))
                    departments[d] = n
                    counts[Self.key(day: f.day, subject: n, counter: f.counter), default: 0] += sign
                }
                if let u = f.userID?.rawValue {
                    let n = people[u] ?? number(EvaluationSubject(kind: .user, id: u))
                    people[u] = n
                    counts[Self.key(day: f.day, subject: n, counter: f.counter), default: 0] += sign
                }
            }
        }

        /// Replaces a case's facts: the old ones leave the sums and their rows, the new ones come in.
        mutating func replace(caseID: CaseID, old: (grid: String, facts: [EvaluationFact])?, new: (grid: String, facts: [EvaluationFact])) {
            if let old {
                count(old.facts, grid: old.grid, sign: -1)
                for day in Set(old.facts.map(\.day)) { removed.append((day, caseID.rawValue)) }
            }
            count(new.facts, grid: new.grid, sign: 1)
            for (day, facts) in EvaluationFacts.byDay(new.facts) {
                // The sums above hold every fact; the blob (only for listing a number's cases) cannot name more
                // than 255 people in a day of one case, which no real case comes near: past that it keeps departments.
                let blob = EvaluationFacts.encode(facts) ?? EvaluationFacts.encode(facts.map { f in var f = f; f.userID = nil; return f }) ?? [0]
                rows.append((day, caseID.rawValue, new.grid, blob))
            }
        }
    }

    /// The facts of a case as the store derives them.
    static func facts(_ c: CaseRecord, _ events: [CaseEvent]) -> [EvaluationFact] {
        EvaluationFacts.derive(c, events: events, utcOffsetSeconds: EvaluationFacts.utcOffsetSeconds)
    }

    /// Writes a delta: removed rows first, then the new rows and the changed sums.
    static func write(_ delta: EvaluationDelta, _ db: Database) throws {
        let delete = try db.cachedStatement(sql: "DELETE FROM case_facts WHERE day = ? AND case_id = ?")
        for r in delta.removed { try delete.executeRaw { b in b.int(Int64(r.day)); b.text(r.caseID) } }
        let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO case_facts (day, case_id, grid_code, data) VALUES (?, ?, ?, ?)")
        for r in delta.rows {
            try insert.executeRaw { b in
                b.int(Int64(r.day))
                b.text(r.caseID)
                b.text(r.grid)
                b.blob(r.blob)
            }
        }
        let upsert = try db.cachedStatement(
            sql: "INSERT INTO eval_counts (day, kind, subject, counter, n) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n")
        let report = try db.cachedStatement(
            sql: "INSERT INTO case_counts (area, matter, day, n) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n")
        for (k, n) in delta.reports where n != 0 {
            try report.executeRaw { b in
                b.text(k.area)
                b.text(k.matter)
                b.int(Int64(k.day))
                b.int(Int64(n))
            }
        }
        for (k, n) in delta.counts where n != 0 {
            let (day, number, counter) = EvaluationDelta.unpack(k)
            let subject = delta.subjects[number]
            try upsert.executeRaw { b in
                b.int(Int64(day))
                b.int(Int64(subject.kind.rawValue))
                b.text(subject.id)
                b.int(Int64(counter))
                b.int(Int64(n))
            }
        }
    }

    /// A stored case and its history inside a transaction, for its facts before a change.
    func storedCase(_ db: Database, _ id: CaseID) throws -> (CaseRecord, [CaseEvent])? {
        guard let text = try db.cachedStatement(sql: "SELECT data FROM cases WHERE id = ?").firstRawRow([id.rawValue], { $0.text(0) }) else {
            return nil
        }
        let record = try decode(CaseRecord.self, text)
        let events = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT case_id, seq, hash, data FROM case_events WHERE case_id = ? ORDER BY seq"), arguments: [id.rawValue]
        ).map(Self.event)
        return (record, events)
    }

    /// Derives and writes the facts of every stored case (the migration that brings the evaluation to a city
    /// that already has cases).
    static func backfillEvaluation(_ db: Database, decode: (String) throws -> CaseRecord) throws {
        var lastRowID: Int64 = 0
        while true {
            let rows = try Row.fetchAll(db, sql: "SELECT rowid, id, data FROM cases WHERE rowid > ? ORDER BY rowid LIMIT 2000", arguments: [lastRowID])
            guard let last = rows.last else { return }
            lastRowID = last[0]
            var delta = EvaluationDelta()
            for row in rows {
                let c = try decode(row[2])
                let events = try Row.fetchAll(
                    db.cachedStatement(sql: "SELECT case_id, seq, hash, data FROM case_events WHERE case_id = ? ORDER BY seq"),
                    arguments: [c.id.rawValue]
                ).map(event)
                delta.replace(caseID: c.id, old: nil, new: (c.placement.gridCode, facts(c, events)))
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
