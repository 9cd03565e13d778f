import CityLoopDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Reported cases per day: from `case_counts` for the city, districts and streets; from the cases otherwise.
    public func dailyCounts(_ filter: CaseCountFilter) async throws -> [Int: Int] {
        let area = filter.area ?? "", matter = filter.matter ?? ""
        var out: [Int: Int] = [:]
        let rows: [PostgresRow]
        if CaseDelta.countedAreaLengths.contains(area.count), CaseDelta.countedMatterLengths.contains(matter.count) {
            rows = try await self.rows(
                """
                SELECT day, n FROM case_counts WHERE area = \(area) AND matter = \(matter)
                    AND day BETWEEN \(Int64(filter.days.lowerBound)) AND \(Int64(filter.days.upperBound)) AND n <> 0
                """)
        } else {
            rows = try await self.rows(
                Self.reportedSQL("(created_at / 1000 + \(EvaluationFacts.utcOffsetSeconds)) / 86400, count(*)", filter, groupBy: "1"))
        }
        for r in rows {
            let (day, n) = try r.decode((Int, Int).self)
            out[day] = n
        }
        return out
    }

    /// Reported cases per grid and class, from the created_at index.
    public func gridMatterCounts(_ filter: CaseCountFilter) async throws -> [GridMatterCount] {
        let out = try await rows(Self.reportedSQL("grid_code, matter_code, count(*)", filter, groupBy: "grid_code, matter_code")).map { r in
            let (grid, matter, n) = try r.decode((String, String, Int).self)
            return GridMatterCount(gridCode: grid, matterCode: matter, count: n)
        }
        return CaseCounts.sorted(out)
    }

    /// Reported cases by weekday and hour, from the created_at index.
    public func weekdayHourCounts(_ filter: CaseCountFilter) async throws -> [[Int]] {
        let local = "(created_at / 1000 + \(EvaluationFacts.utcOffsetSeconds))"
        var out = Array(repeating: Array(repeating: 0, count: 24), count: 7)
        for r in try await rows(Self.reportedSQL("(\(local) / 86400 + 3) % 7, (\(local) % 86400) / 3600, count(*)", filter, groupBy: "1, 2")) {
            let (weekday, hour, n) = try r.decode((Int, Int, Int).self)
            out[weekday][hour] = n
        }
        return out
    }

    /// Closed recurrence candidates: the duplicate lookup's index by class and ~100 m cell, the closing time read
    /// from the few rows found. Every report asks once; the questions asked together are answered by one statement
    /// (`GroupCommit`), as the reports themselves are written in one transaction.
    public func closedCases(_ q: ClosedCasesQuery) async throws -> [ClosedCase] {
        try await recurrence.submit(q) { batch in try await self.closedCases(batch).map { .success($0) } }
    }

    /// The answers of several recurrence queries: a lateral join runs one index range per query and cell, and the
    /// cells' rows are merged here (newest closing first, then the higher number, cut to the limit). A box over too
    /// many cells is searched by itself.
    func closedCases(_ queries: [ClosedCasesQuery]) async throws -> [[ClosedCase]] {
        var out = Array(repeating: [ClosedCase](), count: queries.count)
        var pairs: [(query: Int, cell: Int64)] = []
        for (i, q) in queries.enumerated() {
            if let cells = DuplicateCell.cells(covering: q.box) {
                pairs += cells.map { (i, $0) }
            } else {
                out[i] = try await closedCasesAnyCell(q)
            }
        }
        guard !pairs.isEmpty else { return out }
        let qs = pairs.map { queries[$0.query] }
        let rows = try await rows(
            """
            SELECT q.i, c.id, c.number, c.lat, c.lon, c.closed_at
            FROM unnest(\(pairs.map { Int64($0.query) })::int8[], \(qs.map(\.matterCode))::text[], \(pairs.map(\.cell))::int8[],
                \(qs.map { Self.boundMs($0.closedSince) })::int8[], \(qs.map(\.box.minLat))::float8[], \(qs.map(\.box.maxLat))::float8[],
                \(qs.map(\.box.minLon))::float8[], \(qs.map(\.box.maxLon))::float8[], \(qs.map { Int64($0.limit) })::int8[])
                AS q(i, matter, cell, since, min_lat, max_lat, min_lon, max_lon, lim)
            CROSS JOIN LATERAL (
                SELECT id, number, lat, lon, closed_at FROM cases
                WHERE matter_code = q.matter AND cell = q.cell AND state = 'closed' AND closed_at >= q.since
                    AND lat BETWEEN q.min_lat AND q.max_lat AND lon BETWEEN q.min_lon AND q.max_lon
                ORDER BY closed_at DESC, number DESC LIMIT q.lim
            ) AS c
            """)
        for r in rows {
            let (i, id, number, lat, lon, closed) = try r.decode((Int, String, String, Double, Double, Int64).self)
            out[i].append(ClosedCase(id: CaseID(id), number: number, point: GeoPoint(lat: lat, lon: lon), closedAt: Self.date(closed)))
        }
        for (i, q) in queries.enumerated() where out[i].count > 1 {
            out[i] = Array(out[i].sorted { ($0.closedAt, $0.number) > ($1.closedAt, $1.number) }.prefix(q.limit))
        }
        return out
    }

    /// One recurrence query over a box too large for the cell index: by class alone.
    private func closedCasesAnyCell(_ q: ClosedCasesQuery) async throws -> [ClosedCase] {
        var sql = SQLBuilder()
        sql.condition("matter_code = $", q.matterCode)
        sql.raw("state = 'closed'")
        sql.compare("closed_at >=", Self.boundMs(q.closedSince))
        let minLat = sql.bind(q.box.minLat), maxLat = sql.bind(q.box.maxLat), minLon = sql.bind(q.box.minLon), maxLon = sql.bind(q.box.maxLon)
        sql.raw("lat BETWEEN \(minLat) AND \(maxLat) AND lon BETWEEN \(minLon) AND \(maxLon)")
        let limit = sql.bind(q.limit)
        return try await rows(
            sql.query("SELECT id, number, lat, lon, closed_at FROM cases \(sql.whereClause) ORDER BY closed_at DESC, number DESC LIMIT \(limit)")
        ).map { r in
            let (id, number, lat, lon, closed) = try r.decode((String, String, Double, Double, Int64).self)
            return ClosedCase(id: CaseID(id), number: number, point: GeoPoint(lat: lat, lon: lon), closedAt: Self.date(closed))
        }
    }

    /// `SELECT columns FROM cases` for the filter's days (as a created_at range), area and matter, grouped.
    static func reportedSQL(_ columns: String, _ f: CaseCountFilter, groupBy: String) -> PostgresQuery {
        var sql = SQLBuilder()
        sql.compare("created_at >=", Int64(f.days.lowerBound) * 86_400_000 - Int64(EvaluationFacts.utcOffsetSeconds) * 1000)
        sql.compare("created_at <", Int64(f.days.upperBound + 1) * 86_400_000 - Int64(EvaluationFacts.utcOffsetSeconds) * 1000)
        if let m = f.matter { sql.prefix("matter_code", m) }
        if let a = f.area { sql.prefix("grid_code", a) }
        return sql.query("SELECT \(columns) FROM cases \(sql.whereClause) GROUP BY \(groupBy)")
    }
}
