import CityLoopDomain
import Foundation
import PostgresNIO

// `cityloop copy`: the city's tables read and written row by row as stored (see `CityCopyStore`), pages written
// with `COPY … FROM STDIN`. Booleans travel as 0/1, `bytea` as bytes; a token's `created_at` (a column only this
// store has) is taken from its record.

extension PostgresStore: CityCopyStore {
    /// The identity columns whose sequences continue after the copied rows.
    static let copiedIdentities = [("cases", "pos"), ("notice_outbox", "id"), ("places", "id"), ("login_attempts", "id"), ("early_warnings", "seq"), ("vehicle_events", "seq")]

    /// How many rows the table holds.
    public func copyCount(_ table: CopyTable) async throws -> Int {
        try await rows(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table.name)")).first?.decode(Int.self) ?? 0
    }

    /// Up to `limit` rows in ascending key order after `key`.
    public func copyRows(_ table: CopyTable, after key: [CopyValue]?, limit: Int) async throws -> [[CopyValue]] {
        let selected = table.columns.map { $0.kind == .boolean ? "\($0.name)::int" : $0.name }
        let keys = table.columns.prefix(table.keyCount).map(\.name)
        var binds = PostgresBindings()
        var sql = "SELECT \(selected.joined(separator: ", ")) FROM \(table.name)"
        if let key {
            for value in key {
                switch value {
                case .integer(let v): binds.append(v)
                case .text(let v): binds.append(v)
                case .real(let v): binds.append(v)
                case .bytes(let v): binds.append(ByteBuffer(bytes: v))
                case .null: binds.appendNull()
                }
            }
            sql += " WHERE (\(keys.joined(separator: ", "))) > (\((1...key.count).map { "$\($0)" }.joined(separator: ", ")))"
        }
        sql += " ORDER BY \(keys.joined(separator: ", ")) LIMIT \(limit)"
        let found = try await rows(PostgresQuery(unsafeSQL: sql, binds: binds))
        return try found.map { row in
            let cells = row.makeRandomAccess()
            return try table.columns.indices.map { i in
                let cell = cells[i]
                guard cell.bytes != nil else { return .null }
                switch table.columns[i].kind {
                case .integer: return .integer(try cell.decode(Int64.self))
                case .boolean: return .integer(Int64(try cell.decode(Int32.self)))
                case .real: return .real(try cell.decode(Double.self))
                case .text: return .text(try cell.decode(String.self))
                case .bytes: return .bytes(Array(try cell.decode(ByteBuffer.self).readableBytesView))
                }
            }
        }
    }

    /// Writes rows with `COPY` and the copy's position in one transaction.
    public func writeCopyRows(_ table: CopyTable, _ rows: [[CopyValue]], progress: CopyProgress) async throws {
        let position = String(decoding: try JSONEncoder().encode(progress), as: UTF8.self)
        let tokens = table.name == "tokens"
        let dataColumn = table.columns.firstIndex { $0.name == "data" }
        // The token's issue time, from its record as `saveToken` stores it.
        let createdAt: [Int64?] = try rows.map { row in
            guard tokens, let dataColumn, case .text(let json) = row[dataColumn] else { return nil }
            return Self.ms(try decode(AccessToken.self, json).createdAt)
        }
        let columns = table.columns.map(\.name) + (tokens ? ["created_at"] : [])
        let kinds = table.columns.map(\.kind)
        try await transaction { c in
            try await self.copy(Array(zip(rows, createdAt)), into: table.name, columns: columns, on: c) { out, item in
                for (value, kind) in zip(item.0, kinds) { Self.encode(&out, value, kind) }
                if tokens { out.int(item.1) }
            }
            try await self.run(
                """
                INSERT INTO settings (key, value) VALUES (\(CopyProgress.settingKey), \(position))
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """, on: c)
        }
    }

    private static func encode(_ out: inout CopyRows, _ value: CopyValue, _ kind: CopyColumn.Kind) {
        switch value {
        case .null: out.text(nil)
        case .integer(let v): if kind == .boolean { out.bool(v != 0) } else { out.int(v) }
        case .real(let v): out.double(v)
        case .text(let v): out.text(v)
        // bytea in COPY's text format: `\x` and hex digits (CopyRows escapes the backslash).
        case .bytes(let v): out.text(hex(v))
        }
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        out.reserveCapacity(2 + 2 * bytes.count)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The position of an unfinished copy into this store.
    public func copyProgress() async throws -> CopyProgress? {
        guard let text = try await setting(CopyProgress.settingKey) else { return nil }
        return try JSONDecoder().decode(CopyProgress.self, from: Data(text.utf8))
    }

    /// Removes the copy's position and moves the identity sequences past the copied rows.
    public func finishCopy() async throws {
        try await transaction { c in
            for (table, column) in Self.copiedIdentities {
                try await self.run(
                    PostgresQuery(
                        unsafeSQL: "SELECT setval(pg_get_serial_sequence('\(table)', '\(column)'), coalesce(max(\(column)), 0) + 1, false) FROM \(table)"),
                    on: c)
            }
            try await self.run("DELETE FROM settings WHERE key = \(CopyProgress.settingKey)", on: c)
        }
    }
}
