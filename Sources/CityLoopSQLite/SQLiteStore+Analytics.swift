import CityLoopDomain
import Foundation
import GRDB

// Reported cases per day are kept in `case_counts` by area (city '', district, street) and matter (all '', major
// class, class): nine rows change per case, and a year's series for any of them is one index range. Grid-level
// questions (hotspots, the heat map, time of day) read the cases' created_at index, which also holds the class
// and the grid.

extension SQLiteStore {
    /// Reported cases per day: from `case_counts` for the city, districts and streets; from the cases otherwise.
    public func dailyCounts(_ filter: CaseCountFilter) async throws -> [Int: Int] {
        let area = filter.area ?? "", matter = filter.matter ?? ""
        return try await pool.read { db in
            var out: [Int: Int] = [:]
            if CaseDelta.countedAreaLengths.contains(area.count), CaseDelta.countedMatterLengths.contains(matter.count) {
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

    /// Closed recurrence candidates: one index seek per ~100 m cell of the box (the duplicate lookup's index holds
    /// the class, the cell and the state), the closing time read from the few rows found.
    public func closedCases(_ q: ClosedCasesQuery) async throws -> [ClosedCase] {
        try await pool.read { db in
            // The unary + keeps SQLite off the closing-time index, which would read every case closed in the window
            // (a third of a second per report at a million cases) instead of the few in the cell.
            let sql = "SELECT id, number, lat, lon, closed_at FROM cases WHERE matter_code = ?" + " AND cell = ?"
                + " AND +state = 'closed' AND +closed_at >= ? AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?"
            let anyCell = sql.replacingOccurrences(of: " AND cell = ?", with: "")
            let range: StatementArguments = [Self.boundMs(q.closedSince), q.box.minLat, q.box.maxLat, q.box.minLon, q.box.maxLon]
            var out: [ClosedCase] = []
            func read(_ statement: Statement, _ args: StatementArguments) throws {
                try statement.forEachRawRow(args) { r in
                    out.append(ClosedCase(
                        id: CaseID(r.text(0) ?? ""), number: r.text(1) ?? "", point: GeoPoint(lat: r.double(2), lon: r.double(3)),
                        closedAt: Date(timeIntervalSince1970: Double(r.int64(4)) / 1000)))
                }
            }
            if let cells = DuplicateCell.cells(covering: q.box) {
                let statement = try db.cachedStatement(sql: sql)
                for cell in cells { try read(statement, [q.matterCode, cell] + range) }
            } else {
                try read(db.cachedStatement(sql: anyCell), [q.matterCode] + range)
            }
            return Array(out.sorted { ($0.closedAt, $0.number) > ($1.closedAt, $1.number) }.prefix(q.limit))
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

extension SQLiteStore {
    /// Writes the cases (`cases.csv`: day, created_at, grid_code, matter_code, state) and every evaluation fact
    /// (`facts.csv`: day, counter, user, department, grid_code) for analysis tools such as DuckDB; the row counts.
    public func exportForAnalysis(to folder: URL) async throws -> (cases: Int, facts: Int) {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try await pool.read { db in
            let offset = EvaluationFacts.utcOffsetSeconds
            let cases = try LineFile(folder.appendingPathComponent("cases.csv"), header: "day,created_at,grid_code,matter_code,state")
            try db.makeStatement(sql: "SELECT (created_at / 1000 + \(offset)) / 86400, created_at, grid_code, matter_code, state FROM cases")
                .forEachRawRow([]) { r in try cases.add("\(r.int64(0)),\(r.int64(1)),\(r.text(2) ?? ""),\(r.text(3) ?? ""),\(r.text(4) ?? "")") }
            try cases.close()
            let facts = try LineFile(folder.appendingPathComponent("facts.csv"), header: "day,counter,user,department,grid_code")
            try db.makeStatement(sql: "SELECT day, grid_code, data FROM case_facts").forEachRawRow([]) { r in
                let grid = r.text(1) ?? ""
                for f in EvaluationFacts.decode(r.blob(2), day: Int(r.int64(0))) ?? [] {
                    try facts.add("\(f.day),\(f.counter.rawValue),\(f.userID?.rawValue ?? ""),\(f.departmentID?.rawValue ?? ""),\(grid)")
                }
            }
            try facts.close()
            return (cases.lines, facts.lines)
        }
    }
}

/// A text file written line by line through a buffer.
final class LineFile {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    /// Lines written, the header not counted.
    private(set) var lines = 0

    init(_ url: URL, header: String) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        handle = try FileHandle(forWritingTo: url)
        buffer = Array((header + "\n").utf8)
    }

    func add(_ line: String) throws {
        buffer += line.utf8
        buffer.append(0x0A)
        lines += 1
        if buffer.count > 1 << 20 {
            try handle.write(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    func close() throws {
        try handle.write(contentsOf: buffer)
        try handle.close()
    }
}
