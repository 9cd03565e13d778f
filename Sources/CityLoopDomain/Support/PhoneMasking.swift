import Foundation

/// Hides phone numbers typed into free text before the text is shown to the public (号码脱敏): Chinese mobile
/// numbers (`13812345678`, `138 1234 5678`), landlines with an area code (`0371-12345678`, `(0371)12345678`,
/// `（0371）12345678`) and the `+86`/`0086` forms of both. The first 3 and last 4 digits stay, the digits
/// between become `*`, separators stay where they were: `138****5678`, `037*-****5678`, `+86 138****5678`.
public enum PhoneMasking {
    // A number is only a phone when no digit touches it on either side: a case number or an 18-digit ID
    // number holds digit runs that look like phones.
    private static let pattern: NSRegularExpression = {
        let sep = "[ \\-]?"
        let mobile = "1[3-9]\\d\(sep)\\d{4}\(sep)\\d{4}"
        let landline = "0\\d{2,3}\(sep)\\d{7,8}"
        let alternatives = [
            // +86 / 0086, then a mobile or a landline (its leading 0 dropped or kept).
            "(?:\\+|00)86\(sep)(?:\(mobile)|\\(?0?\\d{2,3}\\)?\(sep)\\d{7,8})",
            "[(（]0\\d{2,3}[)）]\(sep)\\d{7,8}",
            landline,
            mobile,
        ]
        // The patterns are constants; a failure here is a build defect.
        return try! NSRegularExpression(pattern: "(?<![\\d+])(?:\(alternatives.joined(separator: "|")))(?!\\d)")
    }()

    /// `text` with every phone number in it masked; other text is unchanged.
    public static func mask(_ text: String) -> String {
        let ns = text as NSString
        let matches = pattern.matches(in: text, range: NSRange(location: 0, length: ns.length))
        guard !matches.isEmpty else { return text }
        var out = ""
        var last = 0
        for m in matches {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            out += maskNumber(ns.substring(with: m.range))
            last = m.range.location + m.range.length
        }
        out += ns.substring(from: last)
        return out
    }

    /// One matched number masked in place; a country prefix (`+86`, `0086`) is kept apart from the digits.
    static func maskNumber(_ number: String) -> String {
        var prefix = ""
        var rest = Substring(number)
        for country in ["+86", "0086"] where rest.hasPrefix(country) {
            prefix = country
            rest = rest.dropFirst(country.count)
        }
        let digits = rest.filter(\.isASCIIDigit).count
        var seen = 0
        var masked = prefix
        for ch in rest {
            guard ch.isASCIIDigit else {
                masked.append(ch)
                continue
            }
            masked.append(seen >= 3 && seen < digits - 4 ? "*" : ch)
            seen += 1
        }
        return masked
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
