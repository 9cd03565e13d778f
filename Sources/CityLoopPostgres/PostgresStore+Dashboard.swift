import CityLoopDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    /// The dashboard, from indexed columns only (no record is decoded), read in one snapshot.
    public func dashboard(_ q: DashboardQuery) async throws -> DashboardFigures {
        let offset = Int64(q.utcOffsetSeconds) * 1000
        let todayStart = Self.ms(q.start(ofDay: q.today))
        let tomorrow = Self.ms(q.start(ofDay: q.today + 1))
        let trendStart = Self.ms(q.start(ofDay: q.firstTrendDay))
        let now = Self.ms(q.now)
        /// A builder holding the area condition.
        func scoped() -> SQLBuilder {
            var sql = SQLBuilder()
            if let a = q.areaCode { sql.prefix("grid_code", a) }
            return sql
        }
        return try await transaction { c in
            try await self.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", on: c)
            var f = DashboardFigures()
            var sql = scoped()
            sql.compare("filed_at >=", todayStart)
            sql.compare("filed_at <", tomorrow)
            f.filedToday = try await self.rows(sql.query("SELECT count(*) FROM cases \(sql.whereClause)"), on: c).first?.decode(Int.self) ?? 0

            sql = scoped()
            sql.compare("closed_at >=", todayStart)
            sql.compare("closed_at <", tomorrow)
            sql.raw("state = 'closed'")
            if let row = try await self.rows(
                sql.query(
                    "SELECT count(*), count(*) FILTER (WHERE handling_due_at IS NULL OR closed_at <= handling_due_at) FROM cases \(sql.whereClause)"),
                on: c
            ).first {
                (f.closedToday, f.closedOnTimeToday) = try row.decode((Int, Int).self)
            }

            sql = scoped()
            sql.raw("has_deadline")
            sql.compare("step_due_at <", now)
            f.overdue = try await self.rows(sql.query("SELECT count(*) FROM cases \(sql.whereClause)"), on: c).first?.decode(Int.self) ?? 0

            sql = scoped()
            sql.raw("state IN \(Self.openStatesSQL)")
            for row in try await self.rows(sql.query("SELECT state, grid_code, count(*) FROM cases \(sql.whereClause) GROUP BY state, grid_code"), on: c) {
                let (state, grid, n) = try row.decode((String, String, Int).self)
                guard let s = CaseState(rawValue: state) else { continue }
                f.openByState[s, default: 0] += n
                f.openByGrid[grid, default: 0] += n
            }

            var reported: [Int: Int] = [:]
            var closed: [Int: Int] = [:]
            sql = scoped()
            sql.compare("created_at >=", trendStart)
            sql.compare("created_at <", tomorrow)
            let shift = sql.bind(offset)
            for row in try await self.rows(
                sql.query("SELECT (created_at + \(shift)) / 86400000, left(matter_code, 2), count(*) FROM cases \(sql.whereClause) GROUP BY 1, 2"), on: c)
            {
                let (day, major, n) = try row.decode((Int, String, Int).self)
                reported[day, default: 0] += n
                f.reportedByMajorClass[major, default: 0] += n
            }
            sql = scoped()
            sql.compare("closed_at >=", trendStart)
            sql.compare("closed_at <", tomorrow)
            sql.raw("state = 'closed'")
            let closedShift = sql.bind(offset)
            for row in try await self.rows(
                sql.query("SELECT (closed_at + \(closedShift)) / 86400000, count(*) FROM cases \(sql.whereClause) GROUP BY 1"), on: c)
            {
                let (day, n) = try row.decode((Int, Int).self)
                closed[day] = n
            }
            f.reportedToday = reported[q.today] ?? 0
            f.trend = (q.firstTrendDay...q.today).map { DayCounts(day: $0, reported: reported[$0] ?? 0, closed: closed[$0] ?? 0) }

            sql = scoped()
            sql.raw("has_deadline")
            sql.compare("step_due_at <", now)
            let limit = sql.bind(q.overdueLimit)
            f.mostOverdue = try await self.rows(
                sql.query(
                    """
                    SELECT id, number, matter_code, state, step_due_at, lead_department, grid_code, lat, lon FROM cases \(sql.whereClause)
                    ORDER BY step_due_at, number LIMIT \(limit)
                    """), on: c
            ).compactMap { row in
                let (id, number, matter, state, due, department, grid, lat, lon) = try row.decode(
                    (String, String, String, String, Int64, String?, String, Double, Double).self)
                guard let s = CaseState(rawValue: state) else { return nil }
                return OverdueCase(
                    id: CaseID(id), number: number, matterCode: matter, state: s, stepDueAt: Self.date(due),
                    departmentID: department.map { DepartmentID($0) }, gridCode: grid, point: GeoPoint(lat: lat, lon: lon))
            }
            return f
        }
    }

    /// Open cases in a box grouped by cell and state (cells offset by a million so truncation is flooring).
    public func openCaseClusters(_ q: ClusterQuery) async throws -> [CaseCluster] {
        var sql = SQLBuilder()
        if let a = q.areaCode { sql.prefix("grid_code", a) }
        sql.raw("state IN \(Self.openStatesSQL)")
        let minLat = sql.bind(q.box.minLat), maxLat = sql.bind(q.box.maxLat), minLon = sql.bind(q.box.minLon), maxLon = sql.bind(q.box.maxLon)
        sql.raw("lat >= \(minLat) AND lat <= \(maxLat) AND lon >= \(minLon) AND lon <= \(maxLon)")
        let cell = sql.bind(q.cellDegrees)
        return try await rows(
            sql.query(
                """
                SELECT trunc(lat / \(cell) + 1000000)::int8 AS r, trunc(lon / \(cell) + 1000000)::int8 AS c, state, count(*), avg(lat), avg(lon),
                    min(id), min(number) FROM cases \(sql.whereClause)
                GROUP BY r, c, state
                """)
        ).compactMap { row -> CaseCluster? in
            let (_, _, state, n, lat, lon, id, number) = try row.decode((Int64, Int64, String, Int, Double, Double, String, String).self)
            guard let s = CaseState(rawValue: state) else { return nil }
            return CaseCluster(
                point: GeoPoint(lat: lat, lon: lon), state: s, count: n, caseID: n == 1 ? CaseID(id) : nil, number: n == 1 ? number : nil)
        }.sorted()
    }
}
