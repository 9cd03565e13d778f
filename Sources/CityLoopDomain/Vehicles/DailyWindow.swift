import Foundation

/// A daily window of local clock time (每日时段), `start` inclusive to `end` exclusive, in minutes after local
/// midnight. A window whose end is before its start crosses midnight: `22:00-06:00` holds from 22:00 to 06:00
/// the next morning. Stored as its text, e.g. `"22:00-06:00"`.
public struct DailyWindow: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The first minute of the window after local midnight, 0..<1440.
    public let startMinute: Int
    /// The minute after local midnight at which the window closes, 0...1440 (1440 is midnight at the day's end).
    public let endMinute: Int

    /// Creates a window from minutes after local midnight; throws when a minute is out of range or the window is empty.
    public init(startMinute: Int, endMinute: Int) throws {
        guard (0..<1440).contains(startMinute), (0...1440).contains(endMinute) else {
            throw DomainError.invalid(
                "hours", "a daily window's minutes lie in 0..<1440 (start) and 0...1440 (end): \(startMinute)-\(endMinute)",
                code: "hours.invalid")
        }
        guard startMinute != endMinute else {
            throw DomainError.invalid("hours", "a daily window may not start where it ends", code: "hours.invalid")
        }
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// Parses `HH:MM-HH:MM` (`24:00` allowed as an end), e.g. `"22:00-06:00"`.
    public init(_ text: String) throws {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Self.minute(parts[0]), let end = Self.minute(parts[1]) else {
            throw DomainError.invalid("hours", "a daily window reads HH:MM-HH:MM, not '\(text.prefix(40))'", code: "hours.invalid")
        }
        try self.init(startMinute: start, endMinute: end)
    }

    private static func minute(_ text: Substring) -> Int? {
        let hm = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard hm.count == 2, hm[0].count == 2, hm[1].count == 2, let h = Int(hm[0]), let m = Int(hm[1]),
            (0...24).contains(h), (0..<60).contains(m), h < 24 || m == 0
        else { return nil }
        return h * 60 + m
    }

    /// The window as `HH:MM-HH:MM`.
    public var description: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        func clock(_ m: Int) -> String { "\(two(m / 60)):\(two(m % 60))" }
        return "\(clock(startMinute))-\(clock(endMinute))"
    }

    /// Reads the window from its text.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch let e as DomainError {
            // Named where it stands in the document (`[0].schedules[1]`), not by its own field.
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: e.message, underlyingError: e))
        }
    }

    /// Writes the window as its text.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// Whether the window holds at `secondOfDay` seconds after local midnight.
    public func contains(secondOfDay s: Int) -> Bool {
        let start = startMinute * 60, end = endMinute * 60
        return start < end ? (s >= start && s < end) : (s >= start || s < end)
    }

    /// Whether the window holds at `date` in a city `utcOffsetSeconds` ahead of UTC.
    public func contains(_ date: Date, utcOffsetSeconds: Int) -> Bool {
        contains(secondOfDay: Self.secondOfDay(date, utcOffsetSeconds: utcOffsetSeconds))
    }

    /// Seconds after local midnight, 0..<86400, of `date` in a city `utcOffsetSeconds` ahead of UTC.
    public static func secondOfDay(_ date: Date, utcOffsetSeconds: Int) -> Int {
        let local = Int((date.timeIntervalSince1970 + Double(utcOffsetSeconds)).rounded(.down))
        return ((local % 86_400) + 86_400) % 86_400
    }

    /// Whether any of `windows` holds at `date`; nil or no windows means all day.
    public static func covers(_ windows: [DailyWindow]?, _ date: Date, utcOffsetSeconds: Int) -> Bool {
        guard let windows, !windows.isEmpty else { return true }
        let s = secondOfDay(date, utcOffsetSeconds: utcOffsetSeconds)
        return windows.contains { $0.contains(secondOfDay: s) }
    }
}
