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
