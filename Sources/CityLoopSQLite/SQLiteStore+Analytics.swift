import CityLoopDomain
import Foundation
import GRDB

// Reported cases per day are kept in `case_counts` by area (city '', district, street) and matter (all '', major
// class, class): nine rows change per case, and a year's series for any of them is one index range. Grid-level
// questions (hotspots, the heat map, time of day) read the cases' created_at index, which also holds the class
// and the grid.

extension SQLiteStore {
    /// The area prefix lengths and matter prefix lengths `case_counts` keeps.
    static let countedAreaLengths = [0, 6, 9]
    static let countedMatterLengths = [0, 2, 5]

    /// The nine `case_counts` keys of a case reported on `day` in `grid` with `matter`.
    static func reportKeys(day: Int, grid: String, matter: String) -> [ReportKey] {
        var out: [ReportKey] = []
        for a in countedAreaLengths where grid.count >= a {
            for m in countedMatterLengths where matter.count >= m {
                out.append(ReportKey(area: String(grid.prefix(a)), matter: String(matter.prefix(m)), day: day))
            }
        }
        return out
    }

    /// A key of `case_counts`.
    struct ReportKey: Hashable {
        var area: String
        var matter: String
        var day: Int
    }

    /// Reported cases per day: from `case_counts` for the city, districts and streets; from the cases otherwise.
    public func dailyCounts(_ filter: CaseCountFilter) async throws -> [Int: Int] {
        let area = filter.area ?? "", matter = filter.matter ?? ""
        return try await pool.read { db in
            var out: [Int: Int] = [:]
            if Self.countedAreaLengths.contains(area.count), Self.countedMatterLengths.contains(matter.count) {
                try db.cachedStatement(sql: "SELECT day, n FROM case_counts WHERE area = ? AND matter = ? AND day BETWEEN ? AND ? AND n != 0")
                    .forEachRawRow([area, matter, filter.days.lowerBound, filter.days.upperBound]) { r in out[Int(r.int64(0))] = Int(r.int64(1)) }
                return out
            }
            let (sql, args) = Self.reportedSQL("(created_at / 1000 + \(EvaluationFacts.utcOffsetSeconds)) / 86400, count(*)", filter, groupBy: "1")
            try db.makeStatement(sql: sql).forEachRawRow(args) { r in out[Int(r.int64(0))] = Int(r.int64(1)) }
            return out
        }
    }

    /// Reported cases per grid and class, from the created_at index.
    public func gridMatterCounts(_ filter: CaseCountFilter) async throws -> [GridMatterCount] {
        try await pool.read { db in
            var out: [GridMatterCount] = []
            let (sql, args) = Self.reportedSQL("grid_code, matter_code, count(*)", filter, groupBy: "grid_code, matter_code")
            try db.makeStatement(sql: sql).forEachRawRow(args) { r in
                out.append(GridMatterCount(gridCode: r.text(0) ?? "", matterCode: r.text(1) ?? "", count: Int(r.int64(2))))
            }
            return CaseCounts.sorted(out)
        }
    }

    /// Reported cases by weekday and hour, from the created_at index.
    public func weekdayHourCounts(_ filter: CaseCountFilter) async throws -> [[Int]] {
        let local = "(created_at / 1000 + \(EvaluationFacts.utcOffsetSeconds))"
        return try await pool.read { db in
            var out = Array(repeating: Array(repeating: 0, count: 24), count: 7)
            let (sql, args) = Self.reportedSQL("(\(local) / 86400 + 3) % 7, (\(local) % 86400) / 3600, count(*)", filter, groupBy: "1, 2")
            try db.makeStatement(sql: sql).forEachRawRow(args) { r in out[Int(r.int64(0))][Int(r.int64(1))] = Int(r.int64(2)) }
            return out
        }
    }

    /// `SELECT columns FROM cases` for the filter's days (as a created_at range), area and matter, grouped.
    static func reportedSQL(_ columns: String, _ f: CaseCountFilter, groupBy: String) -> (String, StatementArguments) {
        let start = Int64(f.days.lowerBound) * 86_400_000 - Int64(EvaluationFacts.utcOffsetSeconds) * 1000
        let end = Int64(f.days.upperBound + 1) * 86_400_000 - Int64(EvaluationFacts.utcOffsetSeconds) * 1000
        var sql = "SELECT \(columns) FROM cases WHERE created_at >= ? AND created_at < ?"
        var args: StatementArguments = [start, end]
        if let m = f.matter {
            sql += " AND substr(matter_code, 1, ?) = ?"
            args += [m.count, m]
        }
        if let a = f.area {
            sql += " AND substr(grid_code, 1, ?) = ?"
            args += [a.count, a]
        }
        return (sql + " GROUP BY \(groupBy)", args)
    }
}
