import Foundation

extension CaseEvent {
    /// Reads an event back from its canonical text (stores keep exactly the text the hash covers, so what is
    /// verified is what is read). Throws when the text is not a well-formed event.
    public init(canonicalText text: String, hash: String) throws {
        let fields = Self.split(Array(text.utf8)[...], on: UInt8(ascii: "|"))
        guard fields.count == 15 else { throw Self.malformed(text, "has \(fields.count) fields, not 15") }
        func string(_ i: Int) -> String { Self.unescape(fields[i]) }
        func date(_ i: Int) throws -> Date? {
            if fields[i].isEmpty { return nil }
            guard let ms = Self.integer(fields[i]) else { throw Self.malformed(text, "field \(i) is not a time") }
            return Date(timeIntervalSince1970: Double(ms) / 1000)
        }
        guard let seq = Self.integer(fields[1]).map(Int.init) else { throw Self.malformed(text, "seq is not a number") }
        guard let action = CaseAction(rawValue: string(2)) else { throw Self.malformed(text, "unknown action") }
        let from = string(3)
        let fromState = CaseState(rawValue: from)
        guard from.isEmpty || fromState != nil, let toState = CaseState(rawValue: string(4)) else {
            throw Self.malformed(text, "unknown state")
        }
        guard let role = Role(rawValue: string(7)) else { throw Self.malformed(text, "unknown role") }
        guard let at = try date(8) else { throw Self.malformed(text, "no time") }
        let comment = string(9)
        var details: [String: String] = [:]
        for pair in fields[11].isEmpty ? [] : Self.split(fields[11], on: UInt8(ascii: "&")) where !pair.isEmpty {
            let kv = Self.split(pair, on: UInt8(ascii: "="))
            guard kv.count == 2 else { throw Self.malformed(text, "a detail is not key=value") }
            details[Self.unescape(kv[0])] = Self.unescape(kv[1])
        }
        self.init(
            caseID: CaseID(string(0)), seq: seq, action: action, fromState: fromState, toState: toState,
            actor: Actor(userID: UserID(string(5)), name: string(6), role: role), at: at,
            comment: comment.isEmpty ? nil : comment,
            evidence: fields[10].isEmpty ? [] : Self.split(fields[10], on: UInt8(ascii: ",")).map(Self.unescape),
            details: details, dueAt: try date(12), prevHash: string(14))
        switch string(13) {
        case "1": onTime = true
        case "0": onTime = false
        case "": onTime = nil
        default: throw Self.malformed(text, "onTime is not 0 or 1")
        }
        self.hash = hash
    }

    private static func malformed(_ text: String, _ why: String) -> DomainError {
        DomainError(.corrupted, code: "event.malformed", "stored event text \(why): \(text.prefix(120))")
    }

    private static let backslash = UInt8(ascii: "\\")

    /// Splits UTF-8 bytes at unescaped separators, keeping escapes (multi-byte characters never contain ASCII bytes).
    private static func split(_ bytes: ArraySlice<UInt8>, on separator: UInt8) -> [ArraySlice<UInt8>] {
        var parts: [ArraySlice<UInt8>] = []
        parts.reserveCapacity(separator == UInt8(ascii: "|") ? 15 : 4)
        var start = bytes.startIndex, i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == backslash {
                i += 2
                continue
            }
            if bytes[i] == separator {
                parts.append(bytes[start..<i])
                start = i + 1
            }
            i += 1
        }
        parts.append(bytes[start...])
        return parts
    }

    /// A decimal integer (optionally negative) written in ASCII digits, read without making a string; nil otherwise.
    private static func integer(_ bytes: ArraySlice<UInt8>) -> Int64? {
        var i = bytes.startIndex
        let negative = i < bytes.endIndex && bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        guard i < bytes.endIndex, bytes.endIndex - i <= 18 else { return nil }
        var n: Int64 = 0
        while i < bytes.endIndex {
            let d = bytes[i] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            n = n * 10 + Int64(d)
            i += 1
        }
        return negative ? -n : n
    }

    private static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(backslash) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == backslash, i + 1 < bytes.endIndex { i += 1 }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
