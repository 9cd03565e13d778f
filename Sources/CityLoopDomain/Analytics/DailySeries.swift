import Foundation

/// A series of daily counts (日序列) for one area × matter class: the count of each consecutive day from `start`.
///
/// Days are consecutive 24-hour steps from `start`, which is a local midnight; the platform works in one fixed
/// UTC offset (see `WorkingCalendar`), so there is no daylight-saving day of 23 or 25 hours.
public struct DailySeries: Hashable, Codable, Sendable {
    /// Seconds in a day.
    public static let secondsPerDay: TimeInterval = 86_400

    /// The first day (local midnight).
    public var start: Date
    /// The count of each day, `counts[0]` on `start`. Counts are non-negative; fractions are allowed (e.g. weights).
    public var counts: [Double]

    /// Creates a series.
    public init(start: Date, counts: [Double]) {
        self.start = start
        self.counts = counts
    }

    /// The number of days.
    public var days: Int { counts.count }

    /// The sum of all counts.
    public var total: Double { counts.reduce(0, +) }

    /// The day (local midnight) of the count at `index`; indices past the end are the days that follow.
    public func day(_ index: Int) -> Date {
        start.addingTimeInterval(Double(index) * Self.secondsPerDay)
    }

    /// The day after the last one: where a forecast starts.
    public var end: Date { day(days) }

    /// The first `days` days.
    public func prefix(_ days: Int) -> DailySeries {
        DailySeries(start: start, counts: Array(counts.prefix(max(0, days))))
    }

    /// The last `days` days, starting on the right day.
    public func suffix(_ days: Int) -> DailySeries {
        let kept = min(max(0, days), self.days)
        return DailySeries(start: day(self.days - kept), counts: Array(counts.suffix(kept)))
    }

    /// The series without its last `days` days.
    public func dropLast(_ days: Int) -> DailySeries {
        prefix(self.days - max(0, days))
    }

    /// The totals of whole weeks, aligned to the end: the last element is the total of the last 7 days.
    /// Leading days that do not fill a week are left out.
    public var weekTotals: [Double] {
        let offset = days % 7
        return stride(from: offset, to: days, by: 7).map { counts[$0..<($0 + 7)].reduce(0, +) }
    }
}
