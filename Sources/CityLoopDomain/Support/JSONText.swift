import Foundation

/// A value that writes itself as JSON text, for the hot paths (intake, case storage) where `JSONEncoder`'s
/// generic containers cost more than the rest of the request. The text equals what `JSONEncoder` writes with
/// `.sortedKeys` and `.withoutEscapingSlashes` for the same value (a test compares them byte for byte), so
/// `Decodable` reads it back and API clients see no difference.
public protocol JSONTextWritable {
    /// Writes the value at the writer's position. Object keys must be written in sorted (byte) order.
    func write(to json: inout JSONText)
}

/// A minimal JSON writer: objects, arrays, strings, numbers, booleans, dates. Nil optionals are left out, as
/// `encodeIfPresent` does.
public struct JSONText {
    /// How dates are written.
    public enum DateStyle: Sendable {
        /// `"2026-11-23T08:30:00Z"`, whole seconds (as `JSONEncoder.DateEncodingStrategy.iso8601`).
        case iso8601
        /// Milliseconds since 1970 as a number (as `.millisecondsSince1970`).
        case millisecondsSince1970
    }

    /// The text written so far, UTF-8.
    public private(set) var bytes: [UInt8] = []
    /// How dates are written.
    public let dates: DateStyle
    // Whether the next key or element is the first of its object or array (no comma before it).
    private var atFirst = true

    /// Creates an empty writer.
    public init(dates: DateStyle, capacity: Int = 1024) {
        self.dates = dates
        bytes.reserveCapacity(capacity)
    }

    /// The JSON text of a value.
    public static func text(_ value: some JSONTextWritable, dates: DateStyle) -> String {
        String(decoding: data(value, dates: dates), as: UTF8.self)
    }

    /// The JSON bytes of a value.
    public static func data(_ value: some JSONTextWritable, dates: DateStyle) -> [UInt8] {
        var json = JSONText(dates: dates)
        value.write(to: &json)
        return json.bytes
    }

    // MARK: structure

    /// Writes an object whose fields `body` writes.
    public mutating func object(_ body: (inout JSONText) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        atFirst = true
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        atFirst = false
    }

    /// Writes an array with `each` writing every element.
    public mutating func array<S: Sequence>(_ items: S, _ each: (inout JSONText, S.Element) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        atFirst = true
        for item in items { each(&self, item) }
        bytes.append(UInt8(ascii: "]"))
        atFirst = false
    }

    /// Writes an object key; the value follows.
    public mutating func key(_ name: String) {
        separate()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        atFirst = true
    }

    private mutating func separate() {
        if !atFirst { bytes.append(UInt8(ascii: ",")) }
        atFirst = false
    }

    // MARK: values

    /// Writes a string, escaped as `JSONEncoder` does (quote, backslash and control characters only).
    public mutating func string(_ s: String) {
        separate()
        appendString(s)
    }

    /// Writes a number as `JSONEncoder` does: the shortest round-tripping form, integral values without ".0".
    public mutating func number(_ d: Double) {
        separate()
        var text = d.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    /// Writes an integer.
    public mutating func number(_ i: Int) {
        separate()
        bytes.append(contentsOf: String(i).utf8)
    }

    /// Writes `true` or `false`.
    public mutating func bool(_ b: Bool) {
        separate()
        bytes.append(contentsOf: (b ? "true" : "false").utf8)
    }

    /// Writes `null`.
    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Writes a date in the writer's style.
    public mutating func date(_ d: Date) {
        switch dates {
        case .millisecondsSince1970: number(d.timeIntervalSince1970 * 1000)
        case .iso8601: string(Self.iso8601(d))
        }
    }

    /// Writes a nested value.
    public mutating func value(_ v: some JSONTextWritable) { v.write(to: &self) }

    // MARK: fields (key and value; nil optionals are left out)

    /// A string field.
    public mutating func field(_ name: String, _ v: String?) {
        guard let v else { return }
        key(name)
        string(v)
    }

    /// A string-backed value (enums, identifiers).
    public mutating func field<R: RawRepresentable>(_ name: String, _ v: R?) where R.RawValue == String {
        field(name, v?.rawValue)
    }

    /// An integer field.
    public mutating func field(_ name: String, _ v: Int?) {
        guard let v else { return }
        key(name)
        number(v)
    }

    /// A number field.
    public mutating func field(_ name: String, _ v: Double?) {
        guard let v else { return }
        key(name)
        number(v)
    }

    /// A boolean field.
    public mutating func field(_ name: String, _ v: Bool?) {
        guard let v else { return }
        key(name)
        bool(v)
    }

    /// A date field.
    public mutating func field(_ name: String, _ v: Date?) {
        guard let v else { return }
        key(name)
        date(v)
    }

    /// A nested value field.
    public mutating func field(_ name: String, _ v: (some JSONTextWritable)?) {
        guard let v else { return }
        key(name)
        v.write(to: &self)
    }

    /// An array of strings.
    public mutating func field(_ name: String, _ v: [String]) {
        key(name)
        array(v) { json, s in json.string(s) }
    }

    /// An array of string-backed values.
    public mutating func field<R: RawRepresentable>(_ name: String, _ v: [R]) where R.RawValue == String {
        key(name)
        array(v) { json, r in json.string(r.rawValue) }
    }

    /// An array of nested values.
    public mutating func field<W: JSONTextWritable>(_ name: String, _ v: [W]) {
        key(name)
        array(v) { json, w in w.write(to: &json) }
    }

    // MARK: text

    private static let hex = Array("0123456789abcdef".utf8)

    private mutating func appendString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), b])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), b])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20:
                bytes.append(contentsOf: Array(#"\u00"#.utf8))
                bytes.append(Self.hex[Int(b >> 4)])
                bytes.append(Self.hex[Int(b & 0xF)])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `yyyy-MM-ddTHH:mm:ssZ` in UTC, the fraction of the second dropped.
    static func iso8601(_ d: Date) -> String {
        let seconds = Int(d.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = seconds - days * 86400
        let (year, month, day) = WorkingCalendar.civil(days)
        func pad(_ n: Int, _ w: Int) -> String { String(zeroPadded: n, width: w) }
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(secondOfDay / 3600, 2) + ":"
            + pad(secondOfDay % 3600 / 60, 2) + ":" + pad(secondOfDay % 60, 2) + "Z"
    }
}
