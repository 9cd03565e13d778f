import Foundation

/// A daily series of reported cases with its comparisons: the last 7 days against the 7 before (环比) and the
/// window against the same weekdays a year earlier (同比, 364 days back).
public struct TrendSeries: Hashable, Sendable {
    /// The window's local days.
    public var days: ClosedRange<Int>
    /// Cases per day of the window, oldest first (zeros included).
    public var counts: [Int]
    /// Cases in the last 7 days of the window.
    public var lastWeek: Int
    /// Cases in the 7 days before those.
    public var weekBefore: Int
    /// `lastWeek` against `weekBefore` in percent; nil when `weekBefore` is 0.
    public var weekOverWeek: Double?
    /// Cases in the window.
    public var total: Int
    /// Cases in the same window 364 days earlier.
    public var yearBefore: Int
    /// `total` against `yearBefore` in percent; nil when `yearBefore` is 0.
    public var yearOverYear: Double?

    /// Builds the series from daily counts that cover the window, the 7 days before it and the window a year
    /// earlier (days missing from `daily` count 0).
    public init(days: ClosedRange<Int>, daily: [Int: Int]) {
        func sum(_ r: ClosedRange<Int>) -> Int { r.reduce(0) { $0 + (daily[$1] ?? 0) } }
        func change(_ now: Int, _ before: Int) -> Double? {
            before == 0 ? nil : (Double(now - before) * 10_000 / Double(before)).rounded() / 100
        }
        self.days = days
        counts = days.map { daily[$0] ?? 0 }
        let end = days.upperBound
        lastWeek = sum((end - 6)...end)
        weekBefore = sum((end - 13)...(end - 7))
        weekOverWeek = change(lastWeek, weekBefore)
        total = counts.reduce(0, +)
        yearBefore = sum((days.lowerBound - 364)...(days.upperBound - 364))
        yearOverYear = change(total, yearBefore)
    }

    /// The days whose counts the series needs: the window, the two weeks before its end, and the window a year back.
    public static func neededDays(_ days: ClosedRange<Int>) -> ClosedRange<Int> {
        min(days.lowerBound - 364, days.upperBound - 13)...days.upperBound
    }

    /// Sums the counts by ISO week (Monday first) or calendar month, as (first day, count) pairs in order.
    public func grouped(by kind: EvaluationPeriod.Kind, utcOffsetSeconds: Int = EvaluationFacts.utcOffsetSeconds) -> [(day: Int, count: Int)] {
        var out: [(day: Int, count: Int)] = []
        var current: ClosedRange<Int>?
        for (i, day) in days.enumerated() {
            if current == nil || !current!.contains(day) {
                let p = EvaluationPeriod.containing(
                    EvaluationPeriod(kind: .day, firstDay: day, lastDay: day, utcOffsetSeconds: utcOffsetSeconds).start(ofDay: day), kind: kind,
                    utcOffsetSeconds: utcOffsetSeconds)
                current = p.days
                out.append((max(p.firstDay, days.lowerBound), 0))
            }
            out[out.count - 1].count += counts[i]
        }
        return out
    }
}
