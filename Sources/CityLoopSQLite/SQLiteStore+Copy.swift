import CityLoopDomain
import Foundation
import GRDB
import GRDBSQLite

// `cityloop copy`: the city's tables read and written row by row as stored (see `CityCopyStore`). A case's `pos`
// is its rowid, so a copied city lists its cases in the same stored order.

extension SQLiteStore: CityCopyStore {
    /// Rows per insert statement when writing a copied page.
    static let copyRowsPerInsert = 32

    private static func columnName(_ table: CopyTable, _ column: CopyColumn) -> String {
        table.name == "cases" && column.name == "pos" ? "rowid" : column.name
    }

    /// How many rows the table holds.
    public func copyCount(_ table: CopyTable) async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.name)") ?? 0 }
    }

    /// Up to `limit` rows in ascending key order after `key`.
    public func copyRows(_ table: CopyTable, after key: [CopyValue]?, limit: Int) async throws -> [[CopyValue]] {
        let names = table.columns.map { Self.columnName(table, $0) }
        let keys = names.prefix(table.keyCount)
        let list = "(" + keys.joined(separator: ", ") + ")"
        var sql = "SELECT \(names.joined(separator: ", ")) FROM \(table.name)"
        if key != nil { sql += " WHERE \(list) > (\(Array(repeating: "?", count: keys.count).joined(separator: ", ")))" }
        sql += " ORDER BY \(keys.joined(separator: ", ")) LIMIT \(limit)"
        let query = sql
        return try await pool.read { db in
            var rows: [[CopyValue]] = []
            rows.reserveCapacity(limit)
            let statement = try db.makeStatement(sql: query)
            let arguments = StatementArguments((key ?? []).map(\.databaseValue))
            try statement.forEachRawRow(arguments) { raw in
                rows.append(table.columns.indices.map { Self.copyValue(raw, Int32($0), table.columns[$0].kind) })
            }
            return rows
        }
    }

    private static func copyValue(_ raw: RawRow, _ i: Int32, _ kind: CopyColumn.Kind) -> CopyValue {
        let s = raw.statement
        if sqlite3_column_type(s, i) == SQLITE_NULL { return .null }
        switch kind {
        case .integer, .boolean: return .integer(raw.int64(i))
        case .real: return .real(raw.double(i))
        case .text: return .text(String(decoding: raw.data(i), as: UTF8.self))
        case .bytes: return .bytes(raw.blob(i))
        }
    }

    /// Writes rows and the copy's position in one transaction.
    public func writeCopyRows(_ table: CopyTable, _ rows: [[CopyValue]], progress: CopyProgress) async throws {
        let names = table.columns.map { Self.columnName(table, $0) }
        let tuple = "(" + Array(repeating: "?", count: names.count).joined(separator: ", ") + ")"
        let head = "INSERT INTO \(table.name) (\(names.joined(separator: ", "))) VALUES "
        let position = String(decoding: try JSONEncoder().encode(progress), as: UTF8.self)
        try await pool.write { db in
            for start in stride(from: 0, to: rows.count, by: Self.copyRowsPerInsert) {
                let slice = rows[start..<min(start + Self.copyRowsPerInsert, rows.count)]
                try db.cachedStatement(sql: head + Array(repeating: tuple, count: slice.count).joined(separator: ", ")).executeRaw { b in
                    for row in slice { for value in row { b.bind(value) } }
                }
            }
            try db.execute(
                sql: "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [CopyProgress.settingKey, position])
        }
    }

    /// The position of an unfinished copy into this store.
    public func copyProgress() async throws -> CopyProgress? {
        guard let text = try await setting(CopyProgress.settingKey) else { return nil }
        return try JSONDecoder().decode(CopyProgress.self, from: Data(text.utf8))
    }

    /// Removes the copy's position (SQLite numbers rowids and the outbox after the highest stored by itself).
    public func finishCopy() async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM settings WHERE key = ?", arguments: [CopyProgress.settingKey]) }
    }
}

extension CopyValue {
    /// The value for a GRDB statement argument.
    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let v): v.databaseValue
        case .real(let v): v.databaseValue
        case .text(let v): v.databaseValue
        case .bytes(let v): Data(v).databaseValue
        }
    }
}

extension RawBinder {
    /// Binds a copied value as it is.
    mutating func bind(_ value: CopyValue) {
        switch value {
        case .null: int(nil)
        case .integer(let v): int(v)
        case .real(let v): double(v)
        case .text(let v): text(v)
        case .bytes(let v): blob(v)
        }
    }
}
