import Foundation

/// An evaluation period (考核周期): a day, an ISO week, a month, a quarter, a year or a custom range of days, in
/// the city's local time.
public struct EvaluationPeriod: Hashable, Sendable {
    /// The kind of period.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// One day.
        case day
        /// An ISO week, Monday to Sunday.
        case week
        /// A calendar month.
        case month
        /// A calendar quarter.
        case quarter
        /// A calendar year.
        case year
        /// Any range of whole days.
        case custom
    }

    /// The kind.
    public var kind: Kind
    /// The first local day number.
    public var firstDay: Int
    /// The last local day number (included).
    public var lastDay: Int
    /// The city's offset from UTC.
    public var utcOffsetSeconds: Int

    /// The days covered.
    public var days: ClosedRange<Int> { firstDay...lastDay }
    /// How many days.
    public var length: Int { lastDay - firstDay + 1 }

    /// Creates a period from day numbers.
    public init(kind: Kind, firstDay: Int, lastDay: Int, utcOffsetSeconds: Int = 8 * 3600) {
        self.kind = kind
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    private var calendar: Calendar {
        var cal = Calendar(identifier: .iso8601)
        cal.timeZone = TimeZone(secondsFromGMT: utcOffsetSeconds)!
        return cal
    }

    /// The instant a local day starts.
    public func start(ofDay day: Int) -> Date { Date(timeIntervalSince1970: Double(day) * 86_400 - Double(utcOffsetSeconds)) }
    /// The local day number of an instant.
    public func day(of date: Date) -> Int { EvaluationFacts.day(of: date, utcOffsetSeconds: utcOffsetSeconds) }

    /// The period of `kind` that contains `date`.
    public static func containing(_ date: Date, kind: Kind, utcOffsetSeconds: Int = 8 * 3600) -> EvaluationPeriod {
        var p = EvaluationPeriod(kind: kind, firstDay: 0, lastDay: 0, utcOffsetSeconds: utcOffsetSeconds)
        let cal = p.calendar
        let today = p.day(of: date)
        let unit: Calendar.Component
        switch kind {
        case .day, .custom:
            p.firstDay = today
            p.lastDay = today
            return p
        case .week: unit = .weekOfYear
        case .month: unit = .month
        case .quarter: unit = .quarter
        case .year: unit = .year
        }
        var start: Date
        if kind == .quarter {
            let c = cal.dateComponents([.year, .month], from: date)
            start = cal.date(from: DateComponents(year: c.year, month: ((c.month! - 1) / 3) * 3 + 1, day: 1))!
        } else {
            start = cal.dateInterval(of: unit, for: date)!.start
        }
        let months = kind == .quarter ? 3 : kind == .year ? 12 : kind == .month ? 1 : 0
        let end = months > 0 ? cal.date(byAdding: .month, value: months, to: start)! : cal.date(byAdding: .day, value: 7, to: start)!
        p.firstDay = p.day(of: start)
        p.lastDay = p.day(of: end) - 1
        return p
    }

    /// Parses a period: `2026-11-23` (day), `2026-W48` (week), `2026-11` (month), `2026-Q4` (quarter), `2026` (year)
    /// or `2026-11-01..2026-11-15` (custom); nil when the text is none of these or names a date that does not exist.
    public static func parse(_ text: String, utcOffsetSeconds: Int = 8 * 3600) -> EvaluationPeriod? {
        let probe = EvaluationPeriod(kind: .day, firstDay: 0, lastDay: 0, utcOffsetSeconds: utcOffsetSeconds)
        let cal = probe.calendar
        func date(_ y: Int, _ m: Int, _ d: Int) -> Date? {
            guard (1...12).contains(m), (1...31).contains(d), (1970...9999).contains(y) else { return nil }
            let dc = DateComponents(year: y, month: m, day: d)
            guard let at = cal.date(from: dc), cal.component(.day, from: at) == d, cal.component(.month, from: at) == m else { return nil }
            return at
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        // Int("+1") is 1: every part must be plain digits (after a Q or W).
        guard !text.contains(".."), parts.allSatisfy({ p in
            let digits = p.hasPrefix("Q") || p.hasPrefix("W") ? p.dropFirst() : Substring(p)
            return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
        }) else {
            return text.contains("..") ? parseRange(text, utcOffsetSeconds: utcOffsetSeconds) : nil
        }
        guard let y = Int(parts[0]), parts[0].count == 4 else { return nil }
        switch parts.count {
        case 1:
            return date(y, 1, 1).map { containing($0, kind: .year, utcOffsetSeconds: utcOffsetSeconds) }
        case 2 where parts[1].hasPrefix("Q"):
            guard let q = Int(parts[1].dropFirst()), (1...4).contains(q) else { return nil }
            return date(y, (q - 1) * 3 + 1, 1).map { containing($0, kind: .quarter, utcOffsetSeconds: utcOffsetSeconds) }
        case 2 where parts[1].hasPrefix("W"):
            guard let w = Int(parts[1].dropFirst()), (1...53).contains(w),
                let at = cal.date(from: DateComponents(weekday: 2, weekOfYear: w, yearForWeekOfYear: y)),
                cal.component(.yearForWeekOfYear, from: at) == y
            else { return nil }
            return containing(at, kind: .week, utcOffsetSeconds: utcOffsetSeconds)
        case 2:
            guard parts[1].count == 2, let m = Int(parts[1]) else { return nil }
            return date(y, m, 1).map { containing($0, kind: .month, utcOffsetSeconds: utcOffsetSeconds) }
        case 3:
            guard parts[1].count == 2, parts[2].count == 2, let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
            return date(y, m, d).map { containing($0, kind: .day, utcOffsetSeconds: utcOffsetSeconds) }
        default:
            return nil
        }
    }

    /// `first..last`, two days in order.
    static func parseRange(_ text: String, utcOffsetSeconds: Int) -> EvaluationPeriod? {
        let ends = text.components(separatedBy: "..")
        guard ends.count == 2, let a = parse(ends[0], utcOffsetSeconds: utcOffsetSeconds), a.kind == .day,
            let b = parse(ends[1], utcOffsetSeconds: utcOffsetSeconds), b.kind == .day, a.firstDay <= b.firstDay
        else { return nil }
        return EvaluationPeriod(kind: .custom, firstDay: a.firstDay, lastDay: b.lastDay, utcOffsetSeconds: utcOffsetSeconds)
    }

    /// The period before this one: the previous day, week, month, quarter or year; for a custom range, as many days
    /// just before it.
    public var previous: EvaluationPeriod {
        switch kind {
        case .day, .custom, .week:
            return EvaluationPeriod(kind: kind, firstDay: firstDay - length, lastDay: firstDay - 1, utcOffsetSeconds: utcOffsetSeconds)
        case .month, .quarter, .year:
            return Self.containing(start(ofDay: firstDay - 1), kind: kind, utcOffsetSeconds: utcOffsetSeconds)
        }
    }

    /// The period's name: `2026-11`, `2026-W48`, `2026-Q4`, `2026`, `2026-11-23` or `2026-11-01..2026-11-15`.
    public var name: String {
        let cal = calendar
        let a = cal.dateComponents([.year, .month, .day, .weekOfYear, .yearForWeekOfYear], from: start(ofDay: firstDay))
        func ymd(_ day: Int) -> String {
            let c = cal.dateComponents([.year, .month, .day], from: start(ofDay: day))
            return "\(c.year!)-\(String(zeroPadded: c.month!, width: 2))-\(String(zeroPadded: c.day!, width: 2))"
        }
        switch kind {
        case .day: return ymd(firstDay)
        case .week: return "\(a.yearForWeekOfYear!)-W\(String(zeroPadded: a.weekOfYear!, width: 2))"
        case .month: return "\(a.year!)-\(String(zeroPadded: a.month!, width: 2))"
        case .quarter: return "\(a.year!)-Q\((a.month! - 1) / 3 + 1)"
        case .year: return "\(a.year!)"
        case .custom: return "\(ymd(firstDay))..\(ymd(lastDay))"
        }
    }
}
