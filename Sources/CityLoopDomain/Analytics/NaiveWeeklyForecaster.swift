import Foundation

/// The naive weekly forecast (同期朴素预测): "same as last week", the day's count 7 days before; days further ahead
/// repeat the last week again. The yardstick the seasonal model must beat.
///
/// With fewer than 7 days of history every day is forecast as the mean of what there is (0 when empty).
/// Intervals are Poisson quantiles around the forecast.
public struct NaiveWeeklyForecaster: Hashable, Sendable {
    /// The last week of the history (or all of it when shorter).
    public let lastWeek: [Double]
    /// The first day after the history: the first day forecast.
    public let start: Date

    /// Takes the last week of a history.
    public init(_ series: DailySeries) {
        lastWeek = Array(series.counts.suffix(7))
        start = series.end
    }

    /// Forecasts `days` days from `start` with the central `coverage` Poisson interval.
    public func forecast(days: Int, coverage: Double = 0.8) -> [Forecast] {
        let mean = lastWeek.isEmpty ? 0 : lastWeek.reduce(0, +) / Double(lastWeek.count)
        return (0..<max(0, days)).map { h in
            let expected = lastWeek.count == 7 ? lastWeek[h % 7] : mean
            return Forecast(
                day: start.addingTimeInterval(Double(h) * DailySeries.secondsPerDay), distribution: .poisson(expected),
                coverage: coverage)
        }
    }
}
