import GRDB
import GRDBSQLite

// The intake transaction runs three small queries per report (request key, sequence, open cases near it).
// GRDB's row cursors build a column-name table on every call, which cost more than the index seeks, so
// these read columns straight from the SQLite statement GRDB prepared and bound.

extension Statement {
    /// Runs the statement with `arguments` and calls `body` with the raw SQLite statement on every result row.
    func forEachRawRow(_ arguments: StatementArguments, _ body: (RawRow) throws -> Void) throws {
        try setArguments(arguments)
        let s = sqliteStatement
        defer { sqlite3_reset(s) }
        while true {
            let code = sqlite3_step(s)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(s))), sql: sql)
            }
            try body(RawRow(statement: s))
        }
    }

    /// The first column of the first row, as text or integer; nil when there is no row or it is NULL.
    func firstRawRow<T>(_ arguments: StatementArguments, _ read: (RawRow) -> T?) throws -> T? {
        var out: T?
        try forEachRawRow(arguments) { row in if out == nil { out = read(row) } }
        return out
    }
}

/// One result row of a raw statement; valid only inside the `forEachRawRow` callback.
struct RawRow {
    let statement: SQLiteStatement

    /// Text of a column; nil when NULL.
    func text(_ column: Int32) -> String? {
        guard let p = sqlite3_column_text(statement, column) else { return nil }
        return String(cString: p)
    }

    /// Integer of a column.
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    /// Double of a column.
    func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }
}
