import Foundation

/// The one rule for free text that enters the platform (issue 13 §1): a description, comment, name or address may
/// hold any Unicode text except control characters — C0 (U+0000–U+001F) other than tab, line feed and carriage
/// return, DEL (U+007F) and C1 (U+0080–U+009F) — and unpaired surrogates. A NUL once cut a stored event short and
/// made its case unreadable. Bidi controls (U+202A–U+202E, U+2066–U+2069) are allowed and kept: the console renders
/// user text isolated, so they cannot reorder a line around it.
public enum TextRules {
    /// Whether the scalar is refused in free text.
    public static func isRefused(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 { return v != 0x09 && v != 0x0A && v != 0x0D }
        return (0x7F...0x9F).contains(v)
    }

    /// The first refused scalar in the text and its position (in scalars, from 0), or nil when the text is accepted.
    public static func firstRefused(in text: String) -> (scalar: Unicode.Scalar, offset: Int)? {
        // Fast path: text of printable ASCII and multi-byte characters only.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) { return nil }
        for (i, s) in text.unicodeScalars.enumerated() where isRefused(s) { return (s, i) }
        return nil
    }

    /// The error for a refused scalar in a field.
    public static func controlCharacterError(field: String, scalar: Unicode.Scalar, offset: Int) -> DomainError {
        DomainError.invalid(
            field, "\(field) holds the control character \(codePoint(scalar.value)) at position \(offset + 1); remove it",
            code: "text.control_character")
    }

    /// The error for an unpaired UTF-16 surrogate (a `\uD800`-style escape without its partner) in a field.
    public static func unpairedSurrogateError(field: String, unit: UInt16) -> DomainError {
        DomainError.invalid(
            field, "\(field) holds an unpaired surrogate \(codePoint(UInt32(unit))), which is not a character; send valid UTF-16 pairs",
            code: "text.unpaired_surrogate")
    }

    /// Throws a 422-kind error naming the field when the text holds a refused character.
    public static func check(_ text: String?, field: String) throws {
        guard let text, let (s, i) = firstRefused(in: text) else { return }
        throw controlCharacterError(field: field, scalar: s, offset: i)
    }

    /// Checks every named value (form fields, query parameters), in name order so the error is stable.
    public static func check(fields: [String: String]) throws {
        for name in fields.keys.sorted() {
            try check(name, field: name)
            try check(fields[name], field: name)
        }
    }

    /// The text with every refused character replaced by U+FFFD (the repair of text stored before the rule).
    public static func repaired(_ text: String) -> String {
        guard firstRefused(in: text) != nil else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars { out.append(isRefused(s) ? "\u{FFFD}" : s) }
        return String(out)
    }

    static func codePoint(_ v: UInt32) -> String {
        let hex = String(v, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}

extension ActionInput {
    /// Checks every text of the action against `TextRules` (the same rule the HTTP edge applies to raw JSON), so
    /// no channel (CLI, hotline, Open311) can commit an event that cannot be read back.
    public func checkText() throws {
        try TextRules.check(comment, field: "comment")
        for (i, e) in evidence.enumerated() { try TextRules.check(e, field: "evidence[\(i)]") }
        try TextRules.check(departmentID?.rawValue, field: "departmentID")
        for (i, d) in assistingDepartmentIDs.enumerated() { try TextRules.check(d.rawValue, field: "assistingDepartmentIDs[\(i)]") }
        try TextRules.check(targetCaseID?.rawValue, field: "targetCaseID")
        try TextRules.check(matterCode, field: "matterCode")
        try TextRules.check(address, field: "address")
    }
}
