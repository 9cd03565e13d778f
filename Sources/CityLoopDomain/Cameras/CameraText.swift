import Foundation

/// The text rules of the camera feature: identifier charsets, names, JSON field paths and the sampling hash.
enum CameraText {
    /// Whether `text` is `min...max` characters, each an ASCII letter or digit or one of `extra`.
    /// Checked by hand rather than with a regular expression, whose `$` would let a trailing newline through.
    static func isToken(_ text: String, extra: String, length: ClosedRange<Int>) -> Bool {
        guard length.contains(text.unicodeScalars.count) else { return false }
        let allowed = Set(extra.unicodeScalars)
        return text.unicodeScalars.allSatisfy { s in
            s.isASCII && (("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || allowed.contains(s))
        }
    }

    /// Whether the text holds a control character of any kind (tabs and line breaks included: a name is one line).
    static func hasControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// Throws when `text` is not a one-line name of `length` characters, naming `field`.
    static func checkName(_ text: String, field: String, length: ClosedRange<Int>, code: String) throws {
        guard !hasControl(text) else {
            throw DomainError.invalid(field, "\(field) may not hold control characters", code: code)
        }
        guard length.contains(text.count), !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw DomainError.invalid(field, "\(field) must be \(length.lowerBound)–\(length.upperBound) characters", code: code)
        }
    }

    /// A decoder's coding path as a JSON field path, e.g. `zones[2].types[0]`.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var out = ""
        for key in codingPath {
            if let i = key.intValue {
                out += "[\(i)]"
            } else {
                out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return out
    }

    /// 64-bit FNV-1a of the text's UTF-8 bytes: stable across runs and platforms, unlike `Hasher`.
    static func fnv1a(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01B3
        }
        return h
    }
}
