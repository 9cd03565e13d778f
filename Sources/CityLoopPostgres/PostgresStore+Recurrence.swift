import CityLoopDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Closed recurrence candidates: the duplicate lookup's index by class and ~100 m cell, the closing time read
    /// from the few rows found. Intake asks inside its batch's transaction (`createCase` with a recurrence lookup).
    public func closedCases(_ q: ClosedCasesQuery) async throws -> [ClosedCase] {
        try await closedCases([q], on: nil)[0]
    }

    /// The answers of several recurrence queries, on `connection` (any pooled one when nil).
    func closedCases(_ queries: [ClosedCasesQuery], on connection: PostgresConnection?) async throws -> [[ClosedCase]] {
        let lookup = ClosedCasesLookup(queries)
        var rows: [PostgresRow] = []
        if let statement = lookup.statement {
            rows = try await self.rows(statement, on: connection)
        }
        return try await lookup.answers(rows) { q in try await self.closedCasesAnyCell(q, on: connection) }
    }

    /// The rows of `query` on `connection`, or on any pooled one.
    private func rows(_ query: PostgresQuery, on connection: PostgresConnection?) async throws -> [PostgresRow] {
        if let connection { try await rows(query, on: connection) } else { try await rows(query) }
    }

    /// One recurrence query over a box too large for the cell index: by class alone.
    private func closedCasesAnyCell(_ q: ClosedCasesQuery, on connection: PostgresConnection?) async throws -> [ClosedCase] {
        var sql = SQLBuilder()
        sql.condition("matter_code = $", q.matterCode)
        sql.raw("state = 'closed'")
        sql.compare("closed_at >=", Self.boundMs(q.closedSince))
        let minLat = sql.bind(q.box.minLat), maxLat = sql.bind(q.box.maxLat), minLon = sql.bind(q.box.minLon), maxLon = sql.bind(q.box.maxLon)
        sql.raw("lat BETWEEN \(minLat) AND \(maxLat) AND lon BETWEEN \(minLon) AND \(maxLon)")
        let limit = sql.bind(q.limit)
        let statement = sql.query("SELECT id, number, lat, lon, closed_at FROM cases \(sql.whereClause) ORDER BY closed_at DESC, number DESC LIMIT \(limit)")
        return try await rows(statement, on: connection).map { r in
            let (id, number, lat, lon, closed) = try r.decode((String, String, Double, Double, Int64).self)
            return ClosedCase(id: CaseID(id), number: number, point: GeoPoint(lat: lat, lon: lon), closedAt: Self.date(closed))
        }
    }
}

/// Several recurrence queries answered by one statement: a lateral join runs one index range per query and ~100 m
/// cell, and the cells' rows are merged here (newest closing first, then the higher number, cut to the limit). A
/// box over too many cells is searched by itself.
struct ClosedCasesLookup {
    let queries: [ClosedCasesQuery]
    /// The (query, cell) pairs the statement looks in.
    private var pairs: [(query: Int, cell: Int64)] = []
    /// The queries over too many cells.
    private var wide: [Int] = []

    init(_ queries: [ClosedCasesQuery]) {
        self.queries = queries
        for (i, q) in queries.enumerated() {
            if let cells = DuplicateCell.cells(covering: q.box) { pairs += cells.map { (i, $0) } } else { wide.append(i) }
        }
    }

    /// Whether a statement is needed (some query is over few enough cells).
    var hasCells: Bool { !pairs.isEmpty }

    /// The statement over the cells; nil when there are none.
    var statement: PostgresQuery? {
        guard hasCells else { return nil }
        var sql = SQLBuilder()
        let text = select(&sql)
        return sql.query(text)
    }

    /// The `SELECT` over the cells (`i, id, number, lat, lon, closed_at`), its values bound in `sql`.
    func select(_ sql: inout SQLBuilder) -> String {
        let qs = pairs.map { queries[$0.query] }
        return """
            SELECT q.i, c.id, c.number, c.lat, c.lon, c.closed_at
            FROM unnest(\(sql.bind(pairs.map { Int64($0.query) }))::int8[], \(sql.bind(qs.map(\.matterCode)))::text[], \(sql.bind(pairs.map(\.cell)))::int8[],
                \(sql.bind(qs.map { PostgresStore.boundMs($0.closedSince) }))::int8[], \(sql.bind(qs.map(\.box.minLat)))::float8[],
                \(sql.bind(qs.map(\.box.maxLat)))::float8[], \(sql.bind(qs.map(\.box.minLon)))::float8[], \(sql.bind(qs.map(\.box.maxLon)))::float8[],
                \(sql.bind(qs.map { Int64($0.limit) }))::int8[])
                AS q(i, matter, cell, since, min_lat, max_lat, min_lon, max_lon, lim)
            CROSS JOIN LATERAL (
                SELECT id, number, lat, lon, closed_at FROM cases
                WHERE matter_code = q.matter AND cell = q.cell AND state = 'closed' AND closed_at >= q.since
                    AND lat BETWEEN q.min_lat AND q.max_lat AND lon BETWEEN q.min_lon AND q.max_lon
                ORDER BY closed_at DESC, number DESC LIMIT q.lim
            ) AS c
            """
    }

    /// A row of `select`'s columns, starting at column `at`.
    static func decode(_ r: PostgresRow, at: Int = 0) throws -> (Int, ClosedCase) {
        let cells = Array(r)
        let i = try cells[at].decode(Int.self)
        let (id, number) = (try cells[at + 1].decode(String.self), try cells[at + 2].decode(String.self))
        let (lat, lon, closed) = (try cells[at + 3].decode(Double.self), try cells[at + 4].decode(Double.self), try cells[at + 5].decode(Int64.self))
        return (i, ClosedCase(id: CaseID(id), number: number, point: GeoPoint(lat: lat, lon: lon), closedAt: PostgresStore.date(closed)))
    }

    /// Each query's closed cases, from the statement's rows and `searchWide` for the queries over too many cells.
    func answers(_ rows: [PostgresRow], searchWide: (ClosedCasesQuery) async throws -> [ClosedCase]) async throws -> [[ClosedCase]] {
        try await answers(rows.map { try Self.decode($0) }, searchWide: searchWide)
    }

    /// Each query's closed cases, from the statement's decoded rows and `searchWide`.
    func answers(_ found: [(Int, ClosedCase)], searchWide: (ClosedCasesQuery) async throws -> [ClosedCase]) async throws -> [[ClosedCase]] {
        var out = Array(repeating: [ClosedCase](), count: queries.count)
        for i in wide { out[i] = try await searchWide(queries[i]) }
        for (i, c) in found { out[i].append(c) }
        for (i, q) in queries.enumerated() where out[i].count > 1 {
            out[i] = Array(out[i].sorted { ($0.closedAt, $0.number) > ($1.closedAt, $1.number) }.prefix(q.limit))
        }
        return out
    }
}
