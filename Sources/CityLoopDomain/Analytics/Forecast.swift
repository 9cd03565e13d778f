import Foundation

/// The forecast (预测) of one day's count: the expected count and an interval the count should fall in.
public struct Forecast: Hashable, Codable, Sendable {
    /// The day forecast (local midnight).
    public var day: Date
    /// The expected count (the mean, not rounded).
    public var expected: Double
    /// The lower end of the interval: a whole count.
    public var low: Double
    /// The upper end of the interval: a whole count.
    public var high: Double

    /// Creates a forecast.
    public init(day: Date, expected: Double, low: Double, high: Double) {
        self.day = day
        self.expected = expected
        self.low = low
        self.high = high
    }

    /// A forecast whose interval is the central `coverage` of a count distribution with this mean
    /// (e.g. coverage 0.8: from its 10% to its 90% quantile).
    public init(day: Date, distribution: CountDistribution, coverage: Double) {
        let tail = (1 - min(max(coverage, 0), 1)) / 2
        self.init(
            day: day, expected: distribution.mean, low: Double(distribution.quantile(tail)),
            high: Double(distribution.quantile(1 - tail)))
    }
}
