import CityLoopDomain
import Foundation
import PostgresNIO

// The evaluation and analytics sums kept beside the cases (as in the SQLite store): `case_facts`, each case's facts
// of one day (the cases behind any number); `eval_counts`, the facts summed by day, subject and counter (every
// period's figures); `case_counts`, reported cases per day by area and class prefix (trends and forecasts). The
// changes come ready-made from the domain (`CaseDelta`): the store only writes them.

extension PostgresStore {
    /// Writes a change of the sums (`CaseDelta`, computed by the domain) as it is: removed fact rows first, then
    /// the new fact rows and the changed sums in one statement (a data-modifying `WITH` part per table, over arrays).
    func write(delta: CaseDelta, on c: PostgresConnection) async throws {
        guard !delta.isEmpty else { return }
        if !delta.removedFacts.isEmpty {
            try await run(
                """
                DELETE FROM case_facts f
                USING unnest(\(delta.removedFacts.map { Int64($0.day) })::int8[], \(delta.removedFacts.map(\.caseID.rawValue))::text[]) AS r(day, case_id)
                WHERE f.day = r.day AND f.case_id = r.case_id
                """, on: c)
        }
        var sql = SQLBuilder()
        let parts = Self.sumParts(delta, &sql)
        guard !parts.isEmpty else { return }
        let with = parts.enumerated().map { "w\($0.offset) AS (\($0.element))" }
        try await run(sql.query("WITH " + with.joined(separator: ",\n") + "\nSELECT 1"), on: c)
    }

    /// The statements that add a change's fact rows (unless `factRows` is false: written apart) and sums (not its
    /// removed fact rows), their values bound in `sql`: each may stand as a part of one `WITH`, as no two touch the
    /// same table.
    static func sumParts(_ delta: CaseDelta, _ sql: inout SQLBuilder, factRows: Bool = true) -> [String] {
        var parts: [String] = []
        if factRows && !delta.factRows.isEmpty {
            // One statement may not touch a row twice: a later row of the same day and case replaces an earlier one.
            var latest: [String: Int] = [:]
            for (i, r) in delta.factRows.enumerated() { latest["\(r.day)|\(r.caseID.rawValue)"] = i }
            let rows = latest.values.sorted().map { delta.factRows[$0] }
            parts.append(
                """
                INSERT INTO case_facts (day, case_id, grid_code, data)
                SELECT * FROM unnest(\(sql.bind(rows.map { Int64($0.day) }))::int8[], \(sql.bind(rows.map(\.caseID.rawValue)))::text[],
                    \(sql.bind(rows.map(\.gridCode)))::text[], \(sql.bind(rows.map { ByteBuffer(bytes: $0.blob) }))::bytea[])
                ON CONFLICT (day, case_id) DO UPDATE SET grid_code = excluded.grid_code, data = excluded.data
                """)
        }
        var days: [Int64] = [], kinds: [Int64] = [], subjects: [String] = [], counters: [Int64] = [], amounts: [Int64] = []
        delta.forEachCount { day, subject, counter, n in
            days.append(Int64(day))
            kinds.append(Int64(subject.kind.rawValue))
            subjects.append(subject.id)
            counters.append(Int64(counter.rawValue))
            amounts.append(Int64(n))
        }
        if !days.isEmpty {
            parts.append(
                """
                INSERT INTO eval_counts AS e (day, kind, subject, counter, n)
                SELECT * FROM unnest(\(sql.bind(days))::int8[], \(sql.bind(kinds))::int8[], \(sql.bind(subjects))::text[], \(sql.bind(counters))::int8[],
                    \(sql.bind(amounts))::int8[])
                ON CONFLICT (day, kind, subject, counter) DO UPDATE SET n = e.n + excluded.n
                """)
        }
        let reports = delta.reportCounts.filter { $0.value != 0 }.sorted { ($0.key.area, $0.key.matter, $0.key.day) < ($1.key.area, $1.key.matter, $1.key.day) }
        if !reports.isEmpty {
            parts.append(
                """
                INSERT INTO case_counts AS k (area, matter, day, n)
                SELECT * FROM unnest(\(sql.bind(reports.map(\.key.area)))::text[], \(sql.bind(reports.map(\.key.matter)))::text[],
                    \(sql.bind(reports.map { Int64($0.key.day) }))::int8[], \(sql.bind(reports.map { Int64($0.value) }))::int8[])
                ON CONFLICT (area, matter, day) DO UPDATE SET n = k.n + excluded.n
                """)
        }
        return parts
    }
}

extension PostgresStore {
    /// Sums `eval_counts` over the days.
    public func evaluationCounts(days: ClosedRange<Int>, kinds: Set<EvaluationSubject.Kind>?) async throws -> EvaluationCounts {
        var sql = SQLBuilder()
        sql.compare("day >=", Int64(days.lowerBound))
        sql.compare("day <=", Int64(days.upperBound))
        if let kinds {
            let list = sql.bind(kinds.map { Int64($0.rawValue) })
            sql.raw("kind = ANY(\(list)::int8[])")
        }
        var out = EvaluationCounts()
        for row in try await rows(sql.query("SELECT kind, subject, counter, sum(n)::int8 FROM eval_counts \(sql.whereClause) GROUP BY kind, subject, counter")) {
            let (kind, subject, counter, n) = try row.decode((Int, String, Int, Int).self)
            guard let k = EvaluationSubject.Kind(rawValue: kind), let c = EvaluationCounter(rawValue: counter), n != 0 else { continue }
            out.add(EvaluationSubject(kind: k, id: subject), c, n)
        }
        return out
    }

    /// Reads the days' fact rows (only the area's grids for an area), keeps the cases with a matching fact.
    public func evaluationCases(counter: EvaluationCounter, subject: EvaluationSubject, days: ClosedRange<Int>, after: String?, limit: Int)
        async throws -> [CaseSummary]
    {
        var sql = SQLBuilder()
        sql.compare("day >=", Int64(days.lowerBound))
        sql.compare("day <=", Int64(days.upperBound))
        if subject.kind == .district || subject.kind == .street { sql.prefix("grid_code", subject.id) }
        var ids = Set<String>()
        for row in try await rows(sql.query("SELECT day, case_id, grid_code, data FROM case_facts \(sql.whereClause)")) {
            let (day, id, grid, blob) = try row.decode((Int, String, String, ByteBuffer).self)
            guard !ids.contains(id), let facts = EvaluationFacts.decode(Array(blob.readableBytesView), day: day) else { continue }
            if facts.contains(where: { $0.counter == counter && $0.subjects(gridCode: grid).contains(subject) }) { ids.insert(id) }
        }
        guard !ids.isEmpty else { return [] }
        return try await rows(
            """
            SELECT id, number, matter_code, state, lat, lon, created_at FROM cases
            WHERE id = ANY(\(Array(ids))::text[]) AND number > \(after ?? "") ORDER BY number LIMIT \(limit)
            """
        ).compactMap(Self.summary)
    }
}
