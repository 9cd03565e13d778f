import Foundation

/// A time limit in working time (工作时限): so many working hours or working days.
public struct TimeLimit: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The unit of a time limit.
    public enum Unit: String, Codable, Sendable {
        /// Working minutes.
        case workingMinutes
        /// Working hours (工作小时).
        case workingHours
        /// Working days (工作日): a day is the calendar's working minutes per day.
        case workingDays
    }

    /// How many units.
    public var amount: Int
    /// The unit.
    public var unit: Unit

    /// Creates a limit.
    public init(_ amount: Int, _ unit: Unit) {
        self.amount = amount
        self.unit = unit
    }

    /// A limit in working hours.
    public static func hours(_ n: Int) -> TimeLimit { TimeLimit(n, .workingHours) }
    /// A limit in working days.
    public static func days(_ n: Int) -> TimeLimit { TimeLimit(n, .workingDays) }
    /// A limit in working minutes.
    public static func minutes(_ n: Int) -> TimeLimit { TimeLimit(n, .workingMinutes) }

    /// The limit in working minutes on a calendar.
    public func minutes(on calendar: WorkingCalendar) -> Int {
        switch unit {
        case .workingMinutes: amount
        case .workingHours: amount * 60
        case .workingDays: amount * calendar.minutesPerWorkingDay
        }
    }

    /// E.g. `4 workingHours`.
    public var description: String { "\(amount) \(unit.rawValue)" }
}

/// The working calendar (工作日历): working periods of a day, weekends, holidays and make-up working days
/// (调休), in one fixed UTC offset (China Standard Time by default). All arithmetic is pure.
public struct WorkingCalendar: Hashable, Codable, Sendable {
    /// A working period within a day, in minutes after local midnight.
    public struct Period: Hashable, Codable, Sendable {
        /// Start minute (inclusive).
        public var start: Int
        /// End minute (exclusive).
        public var end: Int
        /// Creates a period.
        public init(start: Int, end: Int) {
            self.start = start
            self.end = end
        }
    }

    /// Offset of local time from UTC in seconds (28,800 for UTC+8).
    public var utcOffsetSeconds: Int
    /// Working periods of a working day, sorted and disjoint.
    public var periods: [Period]
    /// Non-working weekdays, 1 = Monday ... 7 = Sunday.
    public var weekendDays: Set<Int>
    /// Public holidays (`yyyy-MM-dd`), not worked even on weekdays.
    public var holidays: Set<String>
    /// Make-up working days (`yyyy-MM-dd`), worked even on weekends.
    public var makeUpDays: Set<String>

    /// Creates a calendar. Defaults: UTC+8, 08:30–12:00 and 13:30–18:00, Saturday and Sunday off.
    public init(
        utcOffsetSeconds: Int = 8 * 3600,
        periods: [Period] = [Period(start: 8 * 60 + 30, end: 12 * 60), Period(start: 13 * 60 + 30, end: 18 * 60)],
        weekendDays: Set<Int> = [6, 7], holidays: Set<String> = [], makeUpDays: Set<String> = []
    ) {
        self.utcOffsetSeconds = utcOffsetSeconds
        self.periods = periods.sorted { $0.start < $1.start }
        self.weekendDays = weekendDays
        self.holidays = holidays
        self.makeUpDays = makeUpDays
    }

    /// Problems with the calendar's configuration.
    public func problems() -> [String] {
        var out: [String] = []
        var last = -1
        for p in periods {
            if p.start < 0 || p.end > 1440 || p.start >= p.end { out.append("period \(p.start)–\(p.end) is not within a day") }
            if p.start < last { out.append("periods overlap at minute \(p.start)") }
            last = p.end
        }
        if periods.isEmpty { out.append("no working periods") }
        if weekendDays.count >= 7 && makeUpDays.isEmpty { out.append("every day is a weekend") }
        for d in holidays.union(makeUpDays) where Self.dayNumber(d) == nil { out.append("'\(d)' is not a yyyy-MM-dd date") }
        if !holidays.isDisjoint(with: makeUpDays) { out.append("a day is both a holiday and a make-up day") }
        return out
    }

    /// Working minutes in one working day.
    public var minutesPerWorkingDay: Int { periods.reduce(0) { $0 + $1.end - $1.start } }

    /// Whether the local day numbered `day` (days since 1970-01-01) is a working day.
    public func isWorkingDay(_ day: Int) -> Bool {
        let key = Self.dayKey(day)
        if makeUpDays.contains(key) { return true }
        if holidays.contains(key) { return false }
        return !weekendDays.contains(Self.weekday(day))
    }

    /// Whether `date` falls on a working day in local time.
    public func isWorkingDay(_ date: Date) -> Bool { isWorkingDay(localDay(date)) }

    /// The date `minutes` working minutes after `start`. Non-working time is skipped.
    public func adding(workingMinutes minutes: Int, to start: Date) -> Date {
        guard minutes > 0, minutesPerWorkingDay > 0 else { return start }
        var remaining = Double(minutes) * 60
        var local = start.timeIntervalSince1970 + Double(utcOffsetSeconds)
        var day = Int((local / 86400).rounded(.down))
        for _ in 0..<(366 * 20) {
            if isWorkingDay(day) {
                let dayStart = Double(day) * 86400
                for p in periods {
                    let ps = dayStart + Double(p.start) * 60, pe = dayStart + Double(p.end) * 60
                    let from = max(ps, local)
                    guard from < pe else { continue }
                    if from + remaining <= pe { return Date(timeIntervalSince1970: from + remaining - Double(utcOffsetSeconds)) }
                    remaining -= pe - from
                    local = pe
                }
            }
            day += 1
            local = Double(day) * 86400
        }
        return Date(timeIntervalSince1970: local - Double(utcOffsetSeconds))
    }

    /// The date after a time limit from `start`.
    public func adding(_ limit: TimeLimit, to start: Date) -> Date {
        adding(workingMinutes: limit.minutes(on: self), to: start)
    }

    /// Working seconds between two instants (0 when `to` is not after `from`).
    public func workingSeconds(from: Date, to: Date) -> Double {
        guard to > from else { return 0 }
        let a = from.timeIntervalSince1970 + Double(utcOffsetSeconds)
        let b = to.timeIntervalSince1970 + Double(utcOffsetSeconds)
        var total = 0.0
        var day = Int((a / 86400).rounded(.down))
        let lastDay = Int((b / 86400).rounded(.down))
        while day <= lastDay {
            if isWorkingDay(day) {
                let dayStart = Double(day) * 86400
                for p in periods {
                    let s = max(a, dayStart + Double(p.start) * 60), e = min(b, dayStart + Double(p.end) * 60)
                    if e > s { total += e - s }
                }
            }
            day += 1
        }
        return total
    }

    /// The local day number (days since 1970-01-01 in local time) of `date`.
    public func localDay(_ date: Date) -> Int {
        Int(((date.timeIntervalSince1970 + Double(utcOffsetSeconds)) / 86400).rounded(.down))
    }

    /// The local date of `date` as `yyyyMMdd`.
    public func compactDate(_ date: Date) -> String {
        let (y, m, d) = Self.civil(localDay(date))
        return String(zeroPadded: y, width: 4) + String(zeroPadded: m, width: 2) + String(zeroPadded: d, width: 2)
    }

    /// ISO weekday of a day number: 1 = Monday ... 7 = Sunday (1970-01-01 was a Thursday).
    public static func weekday(_ day: Int) -> Int { ((day % 7 + 7) % 7 + 3) % 7 + 1 }

    /// `yyyy-MM-dd` of a day number (proleptic Gregorian).
    public static func dayKey(_ day: Int) -> String {
        let (y, m, d) = civil(day)
        return String(zeroPadded: y, width: 4) + "-" + String(zeroPadded: m, width: 2) + "-" + String(zeroPadded: d, width: 2)
    }

    /// The day number of a `yyyy-MM-dd` string, or nil when malformed.
    public static func dayNumber(_ key: String) -> Int? {
        let parts = key.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        let n = days(y, m, d)
        return civil(n) == (y, m, d) ? n : nil
    }

    /// A W3C date-time in the calendar's UTC offset, whole seconds, e.g. `2026-11-23T09:30:00+08:00`.
    public func w3cDateTime(_ d: Date) -> String {
        let local = Int(d.timeIntervalSince1970.rounded(.down)) + utcOffsetSeconds
        let day = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let secs = local - day * 86400
        let (y, m, dd) = Self.civil(day)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        let o = abs(utcOffsetSeconds) / 60
        return "\(y)-\(two(m))-\(two(dd))T\(two(secs / 3600)):\(two(secs / 60 % 60)):\(two(secs % 60))"
            + "\(utcOffsetSeconds < 0 ? "-" : "+")\(two(o / 60)):\(two(o % 60))"
    }

    // Howard Hinnant's civil-from-days and days-from-civil algorithms.
    static func civil(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func days(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
