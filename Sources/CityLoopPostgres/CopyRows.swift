import CityLoopDomain
import Foundation
import PostgresNIO

/// Rows in PostgreSQL's `COPY … FROM STDIN` text format: columns separated by tabs, rows ended by newlines,
/// `\N` for NULL, and backslash, tab, newline and carriage return escaped inside values.
struct CopyRows {
    private(set) var buffer = ByteBuffer()
    private var first = true

    /// Adds a text value (nil for NULL).
    mutating func text(_ value: String?) {
        separate()
        guard var text = value else {
            buffer.writeStaticString("\\N")
            return
        }
        text.withUTF8 { writeEscaped($0) }
    }

    /// Adds a text value given as UTF-8 bytes (an event's canonical text, without making a string of it first).
    mutating func text(utf8 bytes: [UInt8]) {
        separate()
        bytes.withUnsafeBufferPointer { writeEscaped($0) }
    }

    private mutating func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        // Most values hold nothing to escape: one copy (C's memchr finds the rare special bytes).
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        let special = [UInt8(ascii: "\\"), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r")]
        if !special.contains(where: { memchr(base, Int32($0), bytes.count) != nil }) {
            buffer.writeBytes(bytes)
            return
        }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
            case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    /// Adds an integer (nil for NULL).
    mutating func int(_ value: Int64?) {
        guard let value else { return text(nil) }
        separate()
        buffer.writeString(String(value))
    }

    /// Adds a double in its shortest exact form.
    mutating func double(_ value: Double) {
        separate()
        buffer.writeString("\(value)")
    }

    /// Adds bytes (`bytea`) in hex.
    mutating func bytea(_ bytes: [UInt8]) {
        separate()
        // `\x` then two hex digits a byte; the backslash is doubled, as COPY's text format escapes it.
        buffer.writeStaticString("\\\\x")
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: bytes.count * 2) { out in
            for (i, b) in bytes.enumerated() {
                out[2 * i] = Self.hexDigits[Int(b >> 4)]
                out[2 * i + 1] = Self.hexDigits[Int(b & 0xf)]
            }
            return bytes.count * 2
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Adds a boolean.
    mutating func bool(_ value: Bool) {
        separate()
        buffer.writeStaticString(value ? "t" : "f")
    }

    /// Ends the current row.
    mutating func endRow() {
        buffer.writeInteger(UInt8(ascii: "\n"))
        first = true
    }

    private mutating func separate() {
        if first { first = false } else { buffer.writeInteger(UInt8(ascii: "\t")) }
    }
}

extension PostgresStore {
    /// Copies rows into a table, sending the encoded text in pieces of about a megabyte.
    func copy<Row>(_ rows: [Row], into table: String, columns: [String], on c: PostgresConnection, encode: (inout CopyRows, Row) -> Void)
        async throws
    {
        guard !rows.isEmpty else { return }
        // postgres-nio's COPY waits forever when it starts on a connection that is closed already.
        guard !c.isClosed else { throw ClosedConnectionGuard.lost }
        try await c.copyFrom(table: table, columns: columns, logger: logger) { writer in
            var out = CopyRows()
            for row in rows {
                encode(&out, row)
                out.endRow()
                if out.buffer.readableBytes > 1 << 20 {
                    try await writer.write(out.buffer)
                    out = CopyRows()
                }
            }
            if out.buffer.readableBytes > 0 { try await writer.write(out.buffer) }
        }
    }

    /// Copies rows encoded already into `table`, sent in slices of about a megabyte.
    func copy(_ rows: CopyRows, into table: String, columns: [String], on c: PostgresConnection) async throws {
        var buffer = rows.buffer
        guard buffer.readableBytes > 0 else { return }
        guard !c.isClosed else { throw ClosedConnectionGuard.lost }
        try await c.copyFrom(table: table, columns: columns, logger: logger) { writer in
            while buffer.readableBytes > 0 {
                try await writer.write(buffer.readSlice(length: min(buffer.readableBytes, 1 << 20))!)
            }
        }
    }
}
