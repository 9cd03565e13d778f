import CityLoopDomain
import Foundation
import GRDB

extension SQLiteStore {
    /// The open states as an SQL list.
    static let openStatesSQL = "(" + CaseState.allCases.filter { !$0.isTerminal }.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"

    /// The dashboard, from indexed columns only (each figure one index range; no record is decoded).
    public func dashboard(_ q: DashboardQuery) async throws -> DashboardFigures {
        let area = q.areaCode.map { (" AND grid_code >= ? AND grid_code < ?", [$0, $0 + "~"]) } ?? ("", [])
        let offset = Int64(q.utcOffsetSeconds) * 1000
        let todayStart = Self.ms(q.start(ofDay: q.today))!
        let tomorrow = Self.ms(q.start(ofDay: q.today + 1))!
        let trendStart = Self.ms(q.start(ofDay: q.firstTrendDay))!
        let now = Self.ms(q.now)!
        return try await pool.read { db in
            var f = DashboardFigures()
            func count(_ sql: String, _ args: [any DatabaseValueConvertible]) throws -> Int {
                try Int.fetchOne(db, sql: sql + area.0, arguments: StatementArguments(args + area.1)) ?? 0
            }
            f.filedToday = try count("SELECT COUNT(*) FROM cases WHERE filed_at >= ? AND filed_at < ?", [todayStart, tomorrow])
            let closedRow = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*), TOTAL(handling_due_at IS NULL OR closed_at <= handling_due_at) FROM cases
                    WHERE closed_at >= ? AND closed_at < ? AND state = 'closed'
                    """ + area.0, arguments: StatementArguments([todayStart, tomorrow] + area.1))
            f.closedToday = closedRow?[0] ?? 0
            f.closedOnTimeToday = Int(closedRow?[1] as Double? ?? 0)
            f.overdue = try count("SELECT COUNT(*) FROM cases WHERE has_deadline = 1 AND step_due_at < ?", [now])
            for row in try Row.fetchAll(
                db, sql: "SELECT state, grid_code, COUNT(*) FROM cases WHERE state IN \(Self.openStatesSQL)\(area.0) GROUP BY state, grid_code",
                arguments: StatementArguments(area.1))
            {
                guard let state = CaseState(rawValue: row[0]) else { continue }
                let n: Int = row[2]
                f.openByState[state, default: 0] += n
                f.openByGrid[row[1], default: 0] += n
            }
            var reported: [Int: Int] = [:]
            var closed: [Int: Int] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT (created_at + ?) / 86400000 AS day, substr(matter_code, 1, 2), COUNT(*) FROM cases
                    WHERE created_at >= ? AND created_at < ?\(area.0) GROUP BY day, 2
                    """, arguments: StatementArguments([offset, trendStart, tomorrow] + area.1))
            {
                let n: Int = row[2]
                reported[row[0], default: 0] += n
                f.reportedByMajorClass[row[1], default: 0] += n
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT (closed_at + ?) / 86400000 AS day, COUNT(*) FROM cases
                    WHERE closed_at >= ? AND closed_at < ? AND state = 'closed'\(area.0) GROUP BY day
                    """, arguments: StatementArguments([offset, trendStart, tomorrow] + area.1))
            {
                closed[row[0]] = row[1]
            }
            f.reportedToday = reported[q.today] ?? 0
            f.trend = (q.firstTrendDay...q.today).map { DayCounts(day: $0, reported: reported[$0] ?? 0, closed: closed[$0] ?? 0) }
            f.mostOverdue = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, number, matter_code, state, step_due_at, lead_department, grid_code, lat, lon FROM cases
                    WHERE has_deadline = 1 AND step_due_at < ?\(area.0) ORDER BY step_due_at, number LIMIT ?
                    """, arguments: StatementArguments([now] + area.1 + [q.overdueLimit])
            ).compactMap { row in
                guard let state = CaseState(rawValue: row[3]) else { return nil }
                return OverdueCase(
                    id: CaseID(row[0]), number: row[1], matterCode: row[2], state: state,
                    stepDueAt: Date(timeIntervalSince1970: Double(row[4] as Int64) / 1000), departmentID: (row[5] as String?).map { DepartmentID($0) },
                    gridCode: row[6], point: GeoPoint(lat: row[7], lon: row[8]))
            }
            return f
        }
    }

    /// Open cases in a box grouped by cell and state (cells offset by a million so truncation is flooring).
    public func openCaseClusters(_ q: ClusterQuery) async throws -> [CaseCluster] {
        let area = q.areaCode.map { (" AND grid_code >= ? AND grid_code < ?", [$0, $0 + "~"]) } ?? ("", [])
        let b = q.box
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT CAST(lat / ? + 1000000 AS INTEGER) AS r, CAST(lon / ? + 1000000 AS INTEGER) AS c, state, COUNT(*), AVG(lat), AVG(lon),
                        MIN(id), MIN(number) FROM cases
                    WHERE state IN \(Self.openStatesSQL) AND lat >= ? AND lat <= ? AND lon >= ? AND lon <= ?\(area.0)
                    GROUP BY r, c, state
                    """,
                arguments: StatementArguments([q.cellDegrees, q.cellDegrees, b.minLat, b.maxLat, b.minLon, b.maxLon] + area.1)
            ).compactMap { row -> CaseCluster? in
                guard let state = CaseState(rawValue: row[2]) else { return nil }
                let n: Int = row[3]
                return CaseCluster(
                    point: GeoPoint(lat: row[4], lon: row[5]), state: state, count: n,
                    caseID: n == 1 ? CaseID(row[6]) : nil, number: n == 1 ? row[7] : nil)
            }.sorted()
        }
    }
}
