import CityLoopDomain
import Foundation
import PostgresNIO

// The evaluation and analytics sums kept beside the cases (as in the SQLite store): `case_facts`, each case's facts
// of one day (the cases behind any number); `eval_counts`, the facts summed by day, subject and counter (every
// period's figures); `case_counts`, reported cases per day by area and class prefix (trends and forecasts).

/// The rows a change of cases adds to or takes from the sums: what `write(delta:)` writes, in the transaction of
/// the change. It carries counts, not rules: computing them from the case before and after is the domain's
/// (the evaluation delta).
struct SumsDelta: Sendable {
    /// A case's facts of a day, encoded with `EvaluationFacts.encode`.
    struct FactRow: Sendable {
        var day: Int
        var caseID: String
        var gridCode: String
        var blob: [UInt8]
    }

    /// A change of one evaluation sum.
    struct Count: Sendable {
        var day: Int
        var subject: EvaluationSubject
        var counter: EvaluationCounter
        var n: Int
    }

    /// A change of one reported-case count.
    struct ReportCount: Sendable {
        var area: String
        var matter: String
        var day: Int
        var n: Int
    }

    /// Fact rows to delete before the new ones are written.
    var removedFacts: [(day: Int, caseID: String)] = []
    /// Fact rows to write (insert or replace).
    var factRows: [FactRow] = []
    /// Changes of the evaluation sums.
    var counts: [Count] = []
    /// Changes of the reported-case counts.
    var reportCounts: [ReportCount] = []

    var isEmpty: Bool { removedFacts.isEmpty && factRows.isEmpty && counts.isEmpty && reportCounts.isEmpty }
}

extension PostgresStore {
    /// Writes a delta of the sums: removed fact rows first, then the new rows and the changed sums, each table in
    /// one statement over arrays.
    func write(delta: SumsDelta, on c: PostgresConnection) async throws {
        guard !delta.isEmpty else { return }
        if !delta.removedFacts.isEmpty {
            try await run(
                """
                DELETE FROM case_facts f USING unnest(\(delta.removedFacts.map { Int64($0.day) })::int8[], \(delta.removedFacts.map(\.caseID))::text[]) AS r(day, case_id)
                WHERE f.day = r.day AND f.case_id = r.case_id
                """, on: c)
        }
        if !delta.factRows.isEmpty {
            // One row per (day, case): a later row of the same key replaces an earlier one.
            var latest: [String: Int] = [:]
            for (i, r) in delta.factRows.enumerated() { latest["\(r.day)|\(r.caseID)"] = i }
            let rows = latest.values.sorted().map { delta.factRows[$0] }
            try await run(
                """
                INSERT INTO case_facts (day, case_id, grid_code, data)
                SELECT * FROM unnest(\(rows.map { Int64($0.day) })::int8[], \(rows.map(\.caseID))::text[], \(rows.map(\.gridCode))::text[],
                    \(rows.map { ByteBuffer(bytes: $0.blob) })::bytea[])
                ON CONFLICT (day, case_id) DO UPDATE SET grid_code = excluded.grid_code, data = excluded.data
                """, on: c)
        }
        let counts = Self.merged(delta.counts.filter { $0.n != 0 }) { "\($0.day)|\($0.subject.kind.rawValue)|\($0.subject.id)|\($0.counter.rawValue)" }
        if !counts.isEmpty {
            try await run(
                """
                INSERT INTO eval_counts AS e (day, kind, subject, counter, n)
                SELECT * FROM unnest(\(counts.map { Int64($0.day) })::int8[], \(counts.map { Int64($0.subject.kind.rawValue) })::int8[],
                    \(counts.map(\.subject.id))::text[], \(counts.map { Int64($0.counter.rawValue) })::int8[], \(counts.map { Int64($0.n) })::int8[])
                ON CONFLICT (day, kind, subject, counter) DO UPDATE SET n = e.n + excluded.n
                """, on: c)
        }
        let reports = Self.merged(delta.reportCounts.filter { $0.n != 0 }) { "\($0.area)|\($0.matter)|\($0.day)" }
        if !reports.isEmpty {
            try await run(
                """
                INSERT INTO case_counts AS k (area, matter, day, n)
                SELECT * FROM unnest(\(reports.map(\.area))::text[], \(reports.map(\.matter))::text[], \(reports.map { Int64($0.day) })::int8[],
                    \(reports.map { Int64($0.n) })::int8[])
                ON CONFLICT (area, matter, day) DO UPDATE SET n = k.n + excluded.n
                """, on: c)
        }
    }

    /// Changes with the same key added together (one statement may not touch a row twice).
    private static func merged<T: SumsDeltaAmount>(_ items: [T], key: (T) -> String) -> [T] {
        var index: [String: Int] = [:]
        var out: [T] = []
        for item in items {
            let k = key(item)
            if let i = index[k] { out[i].n += item.n } else { index[k] = out.count; out.append(item) }
        }
        return out.filter { $0.n != 0 }
    }
}

/// A change that carries an amount.
protocol SumsDeltaAmount { var n: Int { get set } }
extension SumsDelta.Count: SumsDeltaAmount {}
extension SumsDelta.ReportCount: SumsDeltaAmount {}

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
