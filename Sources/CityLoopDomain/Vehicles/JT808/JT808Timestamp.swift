import Foundation

/// A protocol time (时间) BCD[6] YYMMDDhhmmss, as wall-clock time in GMT+8 (Beijing time).
///
/// Only valid calendar dates from 2000-01-01 00:00:00 to 2099-12-31 23:59:59 can be represented;
/// leap seconds (second 60) are rejected.
public struct JT808Timestamp: Sendable, Equatable, Hashable, Comparable {
    /// Full year, 2000–2099.
    public let year: Int
    /// Month, 1–12.
    public let month: Int
    /// Day of month, 1–31 depending on the month.
    public let day: Int
    /// Hour, 0–23.
    public let hour: Int
    /// Minute, 0–59.
    public let minute: Int
    /// Second, 0–59.
    public let second: Int

    /// The offset of the protocol's time zone (GMT+8) from UTC, in seconds.
    public static let utcOffsetSeconds = 8 * 3600

    /// Creates a timestamp from GMT+8 wall-clock components; throws `.invalidTime` if they are not a real time.
    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) throws(JT808Error) {
        guard (2000...2099).contains(year), (1...12).contains(month),
            (1...Self.daysInMonth(year: year, month: month)).contains(day),
            (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { throw .invalidTime }
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Creates the timestamp for `date` (fractional seconds are dropped); throws `.invalidTime` outside 2000–2099.
    public init(date: Date) throws(JT808Error) {
        let interval = date.timeIntervalSince1970
        // Bounds are checked before converting to Int, which would trap on NaN or huge values.
        guard interval.isFinite, interval >= 0, interval < 5_000_000_000 else { throw .invalidTime }
        let local = Int(interval.rounded(.down)) + Self.utcOffsetSeconds
        let days = local / 86_400
        let secondsOfDay = local % 86_400
        let civil = Self.civil(fromDays: days)
        try self.init(
            year: civil.year, month: civil.month, day: civil.day,
            hour: secondsOfDay / 3600, minute: secondsOfDay % 3600 / 60, second: secondsOfDay % 60)
    }

    /// The instant this wall-clock time denotes in GMT+8.
    public var date: Date {
        let days = Self.days(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - Self.utcOffsetSeconds
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Orders timestamps chronologically.
    public static func < (lhs: JT808Timestamp, rhs: JT808Timestamp) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.hour, lhs.minute, lhs.second)
            < (rhs.year, rhs.month, rhs.day, rhs.hour, rhs.minute, rhs.second)
    }

    /// Decodes BCD[6] YYMMDDhhmmss; invalid digits throw `.invalidBCD(field: "time")`, impossible times `.invalidTime`.
    static func decode(bcd bytes: [UInt8]) throws(JT808Error) -> JT808Timestamp {
        guard bytes.count == 6 else { throw .truncated(field: "time") }
        var values: [Int] = []
        for byte in bytes {
            values.append(try JT808BCD.value(of: byte, field: "time"))
        }
        return try JT808Timestamp(
            year: 2000 + values[0], month: values[1], day: values[2],
            hour: values[3], minute: values[4], second: values[5])
    }

    /// The BCD[6] YYMMDDhhmmss encoding.
    var bcd: [UInt8] {
        [year - 2000, month, day, hour, minute, second].map(JT808BCD.byte(for:))
    }

    private static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    private static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days: exact proleptic Gregorian arithmetic without
    // Calendar, which is comparatively slow on Linux and unnecessary for a fixed UTC offset.
    private static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = (month + 9) % 12
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
