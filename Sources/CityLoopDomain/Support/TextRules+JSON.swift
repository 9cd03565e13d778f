import Foundation

extension TextRules {
    /// Checks every string (keys and values) of a JSON text against the rule, on the raw bytes: a decoder may turn
    /// a lone `\uD800` escape into U+FFFD and hide it. Throws naming the field by its path (`items[2].comment`).
    /// Text that is not well-formed JSON is left to the decoder, which reports it.
    public static func checkJSON(_ bytes: some Collection<UInt8>) throws {
        var scanner = JSONTextScanner(bytes: Array(bytes))
        try scanner.scanDocument()
    }
}

/// A minimal JSON walker that only looks at strings and tracks where they are.
struct JSONTextScanner {
    let bytes: [UInt8]
    var i = 0
    // Deeper documents are left to the decoder, which refuses them.
    static let maxDepth = 512

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// Stops silently at anything malformed.
    mutating func scanDocument() throws {
        _ = try value(path: "", depth: 0)
    }

    private mutating func skipSpace() {
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
    }

    /// Scans one value; false when the text is malformed (scanning stops).
    private mutating func value(path: String, depth: Int) throws -> Bool {
        skipSpace()
        guard i < bytes.count, depth < Self.maxDepth else { return false }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
                i += 1
                return true
            }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return false }
                guard let key = try string(path: path.isEmpty ? "body" : path) else { return false }
                let child = path.isEmpty ? key : path + "." + key
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return false }
                i += 1
                guard try value(path: child, depth: depth + 1) else { return false }
                skipSpace()
                guard i < bytes.count else { return false }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                guard bytes[i] == UInt8(ascii: "}") else { return false }
                i += 1
                return true
            }
        case UInt8(ascii: "["):
            i += 1
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
                i += 1
                return true
            }
            var index = 0
            while true {
                guard try value(path: "\(path.isEmpty ? "body" : path)[\(index)]", depth: depth + 1) else { return false }
                index += 1
                skipSpace()
                guard i < bytes.count else { return false }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                guard bytes[i] == UInt8(ascii: "]") else { return false }
                i += 1
                return true
            }
        case UInt8(ascii: "\""):
            return try string(path: path.isEmpty ? "body" : path) != nil
        default:
            // A number, true, false or null: up to the next delimiter.
            let start = i
            while i < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) {
                i += 1
            }
            return i > start
        }
    }

    /// Reads a string at `i` (on its opening quote), checks it, and returns its text; nil when malformed.
    private mutating func string(path: String) throws -> String? {
        i += 1
        var out: [UInt8] = []
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                let text = String(decoding: out, as: UTF8.self)
                try TextRules.check(text, field: path)
                return text
            }
            if b != UInt8(ascii: "\\") {
                out.append(b)
                i += 1
                continue
            }
            guard i + 1 < bytes.count else { return nil }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard let unit = hex4() else { return nil }
                var scalar: Unicode.Scalar?
                if (0xD800...0xDBFF).contains(unit) {
                    // A high surrogate must be followed at once by an escaped low one.
                    if i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                        i += 2
                        guard let low = hex4() else { return nil }
                        guard (0xDC00...0xDFFF).contains(low) else { throw TextRules.unpairedSurrogateError(field: path, unit: unit) }
                        scalar = Unicode.Scalar(0x10000 + (UInt32(unit - 0xD800) << 10) + UInt32(low - 0xDC00))
                    } else {
                        throw TextRules.unpairedSurrogateError(field: path, unit: unit)
                    }
                } else if (0xDC00...0xDFFF).contains(unit) {
                    throw TextRules.unpairedSurrogateError(field: path, unit: unit)
                } else {
                    scalar = Unicode.Scalar(UInt32(unit))
                }
                guard let scalar else { return nil }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: out.append(e)  // \" \\ \/
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt16? {
        guard i + 4 <= bytes.count else { return nil }
        var v: UInt16 = 0
        for k in 0..<4 {
            let c = bytes[i + k]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            v = v << 4 | UInt16(d)
        }
        i += 4
        return v
    }
}
