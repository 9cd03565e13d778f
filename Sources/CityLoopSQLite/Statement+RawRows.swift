import Foundation
import GRDB
import GRDBSQLite

// The intake transaction runs three small queries per report (request key, sequence, open cases near it),
// and every case written (intake or bulk load) binds twenty values. GRDB's row cursors build a column-name
// table on every call and its arguments box every value, which together cost more than SQLite's own work;
// these run the statement GRDB prepared and cached through the SQLite C API instead.

private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

extension Statement {
    /// Runs the statement with `arguments` and calls `body` with the raw SQLite statement on every result row.
    func forEachRawRow(_ arguments: StatementArguments, _ body: (RawRow) throws -> Void) throws {
        try setArguments(arguments)
        try stepToEnd(body)
    }

    /// Runs the statement (an insert or update) with the values `bind` binds in order.
    func executeRaw(_ bind: (inout RawBinder) -> Void) throws {
        sqlite3_reset(sqliteStatement)
        sqlite3_clear_bindings(sqliteStatement)
        var binder = RawBinder(statement: sqliteStatement)
        bind(&binder)
        try stepToEnd { _ in }
    }

    private func stepToEnd(_ body: (RawRow) throws -> Void) throws {
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

    /// Bytes of a blob column.
    func blob(_ column: Int32) -> [UInt8] {
        let n = Int(sqlite3_column_bytes(statement, column))
        guard n > 0, let p = sqlite3_column_blob(statement, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: n))
    }

    /// Bytes of a text or blob column as `Data` (one copy, for a decoder).
    func data(_ column: Int32) -> Data {
        let n = Int(sqlite3_column_bytes(statement, column))
        guard n > 0, let p = sqlite3_column_blob(statement, column) else { return Data() }
        return Data(bytes: p, count: n)
    }

    /// Double of a column.
    func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }
}

/// Binds values to a raw statement's parameters in order (text is copied by SQLite).
struct RawBinder {
    let statement: SQLiteStatement
    private var index: Int32 = 1

    init(statement: SQLiteStatement) { self.statement = statement }

    /// Text, or NULL.
    mutating func text(_ v: String?) {
        if var v { v.withUTF8 { bindText($0) } } else { sqlite3_bind_null(statement, index) }
        index += 1
    }

    /// Text given as UTF-8 bytes.
    mutating func text(utf8 v: [UInt8]) {
        v.withUnsafeBufferPointer { bindText($0) }
        index += 1
    }

    // An empty buffer may have no address, and a null pointer would bind NULL rather than "".
    private func bindText(_ b: UnsafeBufferPointer<UInt8>) {
        if let base = b.baseAddress {
            sqlite3_bind_text(statement, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(b.count), transient)
        } else {
            sqlite3_bind_text(statement, index, "", 0, transient)
        }
    }

    /// An integer, or NULL.
    mutating func int(_ v: Int64?) {
        if let v { sqlite3_bind_int64(statement, index, v) } else { sqlite3_bind_null(statement, index) }
        index += 1
    }

    /// Bytes as a blob (never NULL: an empty array binds an empty blob).
    mutating func blob(_ v: [UInt8]) {
        _ = v.withUnsafeBytes { b in
            if let base = b.baseAddress {
                sqlite3_bind_blob(statement, index, base, Int32(b.count), transient)
            } else {
                sqlite3_bind_zeroblob(statement, index, 0)
            }
        }
        index += 1
    }

    /// A number.
    mutating func double(_ v: Double) {
        sqlite3_bind_double(statement, index, v)
        index += 1
    }
}
