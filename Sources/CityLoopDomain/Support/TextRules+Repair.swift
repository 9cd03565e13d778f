import Foundation

extension TextRules {
    /// UTF-8 bytes of U+FFFD, which replaces a refused character in repaired text.
    static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Raw UTF-8 text (a stored event's canonical text) with every refused character replaced by U+FFFD; nil when
    /// there was none. Refused characters are never escaped in the canonical text, so a byte scan finds them all.
    public static func repairedRawText(_ bytes: some Collection<UInt8>) -> [UInt8]? {
        let b = Array(bytes)
        guard b.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(b.count + 8)
        var changed = false
        var i = 0
        while i < b.count {
            if let n = refusedRawLength(b, at: i) {
                out += replacement
                changed = true
                i += n
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return changed ? out : nil
    }

    /// The length in bytes of a refused character written raw at `i` (a C0 control other than tab, LF and CR, or
    /// DEL: 1; a C1 control, C2 80–C2 9F: 2), or nil when the character there is allowed.
    static func refusedRawLength(_ b: [UInt8], at i: Int) -> Int? {
        let c = b[i]
        if (c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D) || c == 0x7F { return 1 }
        if c == 0xC2, i + 1 < b.count, (0x80...0x9F).contains(b[i + 1]) { return 2 }
        return nil
    }

    /// JSON text (a stored case row) whose strings hold refused characters — as `\u00XX`, `\b` or `\f` escapes or as
    /// raw DEL and C1 bytes — with each replaced by U+FFFD written raw, as `JSONText` writes it; nil when there was none.
    public static func repairedJSONText(_ bytes: some Collection<UInt8>) -> [UInt8]? {
        let b = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(b.count + 8)
        var changed = false
        var i = 0
        func hex(_ k: Int) -> UInt8? {
            guard k < b.count else { return nil }
            switch b[k] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return b[k] - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return b[k] - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return b[k] - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\\"), i + 1 < b.count {
                let e = b[i + 1]
                if e == UInt8(ascii: "b") || e == UInt8(ascii: "f") {
                    out += replacement
                    changed = true
                    i += 2
                    continue
                }
                if e == UInt8(ascii: "u"), let h1 = hex(i + 2), let h2 = hex(i + 3), let h3 = hex(i + 4), let h4 = hex(i + 5) {
                    let v = UInt32(h1) << 12 | UInt32(h2) << 8 | UInt32(h3) << 4 | UInt32(h4)
                    if let s = Unicode.Scalar(v), isRefused(s) {
                        out += replacement
                        changed = true
                    } else {
                        out += b[i..<(i + 6)]
                    }
                    i += 6
                    continue
                }
                out += [c, e]
                i += 2
                continue
            }
            if let n = refusedRawLength(b, at: i) {
                out += replacement
                changed = true
                i += n
            } else {
                out.append(c)
                i += 1
            }
        }
        return changed ? out : nil
    }
}
