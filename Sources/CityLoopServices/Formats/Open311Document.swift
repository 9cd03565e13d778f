import CityLoopDomain
import Foundation

/// An Open311 GeoReport v2 answer, written as JSON or XML from one tree: the spec gives every answer in both, with
/// the same field names — a JSON array of objects is an XML root element holding one element per object.
public indirect enum Open311Value: Sendable {
    /// Text (`null` / an empty element when nil).
    case text(String?)
    /// A number.
    case number(Double)
    /// An integer.
    case integer(Int)
    /// `true` / `false`.
    case bool(Bool)
    /// An object with fields in order.
    case object([(String, Open311Value)])
    /// A list; in XML each element is named `item`.
    case list(item: String, [Open311Value])
}

/// A whole answer: a root (the XML root element's name) over a value.
public struct Open311Document: Sendable {
    /// The XML root element: `services`, `service_requests`, `errors`, …
    public var root: String
    /// The value: a list for most answers, an object for a service definition or discovery.
    public var value: Open311Value

    /// Creates a document.
    public init(root: String, value: Open311Value) {
        self.root = root
        self.value = value
    }

    /// The JSON text.
    public func json() -> [UInt8] {
        var j = JSONText(dates: .iso8601)
        Self.write(value, to: &j)
        return j.bytes
    }

    private static func write(_ v: Open311Value, to j: inout JSONText) {
        switch v {
        case .text(let s): if let s { j.string(s) } else { j.null() }
        case .number(let d): j.number(d)
        case .integer(let i): j.number(i)
        case .bool(let b): j.bool(b)
        case .object(let fields):
            j.object { j in
                for (k, v) in fields {
                    j.key(k)
                    write(v, to: &j)
                }
            }
        case .list(_, let items): j.array(items) { j, v in write(v, to: &j) }
        }
    }

    /// The XML text, UTF-8 with a declaration.
    public func xml() -> [UInt8] {
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        Self.write(value, named: root, to: &out)
        out += "\n"
        return Array(out.utf8)
    }

    private static func write(_ v: Open311Value, named name: String, to out: inout String) {
        switch v {
        case .text(nil):
            out += "<\(name)/>"
            return
        default: break
        }
        out += "<\(name)>"
        switch v {
        case .text(let s): out += escape(s ?? "")
        case .number(let d):
            var t = d.description
            if t.hasSuffix(".0") { t.removeLast(2) }
            out += t
        case .integer(let i): out += String(i)
        case .bool(let b): out += b ? "true" : "false"
        case .object(let fields): for (k, v) in fields { write(v, named: k, to: &out) }
        case .list(let item, let items): for v in items { write(v, named: item, to: &out) }
        }
        out += "</\(name)>"
    }

    /// Text escaped for XML content; characters XML 1.0 cannot hold are dropped.
    static func escape(_ s: String) -> String {
        var r = ""
        r.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": r += "&amp;"
            case "<": r += "&lt;"
            case ">": r += "&gt;"
            case "\"": r += "&quot;"
            case "'": r += "&apos;"
            case "\t", "\n", "\r": r.unicodeScalars.append(u)
            default: if u.value >= 0x20 && u.value != 0xFFFE && u.value != 0xFFFF { r.unicodeScalars.append(u) }
            }
        }
        return r
    }

    /// An error answer: `[{"code": 400, "description": "…"}]`, or `<errors><error>…</error></errors>`.
    public static func errors(code: Int, description: String) -> Open311Document {
        Open311Document(
            root: "errors", value: .list(item: "error", [.object([("code", .integer(code)), ("description", .text(description))])]))
    }
}
