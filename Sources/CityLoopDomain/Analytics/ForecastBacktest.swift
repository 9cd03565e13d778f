import Foundation

/// Rolling-origin backtest (滚动回测): for each of the last `weeks` weeks of a series, fit on everything before that
/// week, forecast its 7 days, and compare the seasonal model and the naive weekly forecast with what happened.
public struct ForecastBacktest: Hashable, Codable, Sendable {
    /// Held-out weeks at the end of each series.
    public var weeks: Int
    /// Folds whose history is shorter than this many days are skipped for both forecasts alike (at least 7, so
    /// that "same as last week" exists).
    public var minimumHistoryDays: Int

    /// Creates a backtest over the last `weeks` weeks (8 by default), needing 14 days of history per fold.
    public init(weeks: Int = 8, minimumHistoryDays: Int = 14) {
        self.weeks = weeks
        self.minimumHistoryDays = minimumHistoryDays
    }

    /// Evaluates one series.
    public func evaluate(_ series: DailySeries) -> BacktestResult {
        var result = BacktestResult(series: 1)
        let needed = max(7, minimumHistoryDays)
        for held in stride(from: max(0, weeks), through: 1, by: -1) {
            let origin = series.days - 7 * held
            guard origin >= needed else { continue }
            let history = series.prefix(origin)
            let actual = series.counts[origin..<(origin + 7)]
            let model = SeasonalForecaster.fit(history).forecast(days: 7)
            let naive = NaiveWeeklyForecaster(history).forecast(days: 7)
            for (i, count) in actual.enumerated() {
                result.model.add(actual: count, forecast: model[i].expected)
                result.naive.add(actual: count, forecast: naive[i].expected)
            }
            result.folds += 1
        }
        return result
    }

    /// Evaluates every series and pools the errors: the city-wide figure over all area × class series.
    public func evaluate(_ series: [DailySeries]) -> BacktestResult {
        BacktestResult.pooled(series.map { evaluate($0) })
    }
}
