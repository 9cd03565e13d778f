import Foundation

/// The seasonal forecaster (季节性预测) of daily case counts, built for small and drifting counts.
///
/// The model works on weeks: a level (the daily rate) with an optional damped trend is smoothed from weekly
/// totals (damped Holt), each weekday gets its share of the week from exponentially weighted counts shrunk toward
/// a uniform week by a pseudo-count (so a series of 0–5 a day does not invent a weekday pattern from three cases),
/// and with more than a year of history (63 weeks: a year plus weeks to judge it on) an optional yearly factor
/// scales the forecast by how far actual counts ran above or below the model's forecasts in the same weeks
/// (±1 week) one and two years before, e.g. the summer rise of garbage complaints that a level lags behind.
///
/// `fit` chooses the smoothing constants by the smallest in-sample one-week-ahead squared error over a small
/// fixed grid: deterministic. Intervals are negative-binomial quantiles whose overdispersion is estimated from the
/// in-sample errors (Poisson when the errors are no wider than Poisson).
///
/// Short histories: no days forecasts 0; fewer than 7 days forecasts their mean every day, with no weekday pattern;
/// fewer than 4 weeks uses `Parameters.standard` without fitting.
public struct SeasonalForecaster: Hashable, Sendable {
    /// The model's constants.
    public struct Parameters: Hashable, Codable, Sendable {
        /// Weight of the newest week in the level (α), 0...1.
        public var levelSmoothing: Double
        /// Weight of the newest level change in the trend (β); 0 is no trend.
        public var trendSmoothing: Double
        /// How much of the trend is carried into each following week (φ), 0...1.
        public var trendDamping: Double
        /// How fast old weeks fade from the weekday shares, 0...1 per week.
        public var shareSmoothing: Double
        /// Pseudo-count added to every weekday before taking shares: shrinkage toward a uniform week.
        public var shareShrinkage: Double
        /// Whether the yearly factor is applied.
        public var yearly: Bool

        /// Creates parameters.
        public init(
            levelSmoothing: Double, trendSmoothing: Double = 0, trendDamping: Double = 1, shareSmoothing: Double,
            shareShrinkage: Double, yearly: Bool = false
        ) {
            self.levelSmoothing = levelSmoothing
            self.trendSmoothing = trendSmoothing
            self.trendDamping = trendDamping
            self.shareSmoothing = shareSmoothing
            self.shareShrinkage = shareShrinkage
            self.yearly = yearly
        }

        /// The constants used when the history is too short to fit any: α 0.2, no trend, shares fading 10% a week,
        /// 2 pseudo-counts per weekday, no yearly factor.
        public static let standard = Parameters(levelSmoothing: 0.2, shareSmoothing: 0.1, shareShrinkage: 2)
    }

    /// The state after the history.
    let run: SeasonalRun
    /// The first day after the history: the first day forecast.
    public let start: Date
    /// The overdispersion of a day's count around its expectation (0 is Poisson).
    public let overdispersion: Double

    /// Runs the model with fixed parameters over a history.
    public init(_ series: DailySeries, parameters: Parameters) {
        run = SeasonalRun(counts: series.counts, parameters: parameters)
        start = series.end
        // A handful of scored days says little about the spread: stay with Poisson until there are four weeks.
        if run.scoredDays >= 28, run.forecastSquares > 0 {
            overdispersion = min(2, max(0, run.excessVariance / run.forecastSquares))
        } else {
            overdispersion = 0
        }
    }

    /// The parameters in use.
    public var parameters: Parameters { run.parameters }

    /// The level: the expected daily count of the next week, averaged over its weekdays.
    public var level: Double { run.rate(weeksAhead: 1) }

    /// The weekday factors of the next 7 days, in order from `start`: a day's expected count over the week's mean.
    public var weekdayFactors: [Double] {
        (0..<7).map { run.weekdayFactor(slot: (run.historyDays + $0) % 7) }
    }

    /// Forecasts `days` days from `start`, each with the central `coverage` interval (80% by default: the 10% and
    /// 90% quantiles of the negative binomial with the forecast's mean and the fitted overdispersion).
    public func forecast(days: Int, coverage: Double = 0.8) -> [Forecast] {
        let weeks = run.historyDays / 7
        return (0..<max(0, days)).map { h in
            let expected =
                run.rate(weeksAhead: h / 7 + 1) * run.weekdayFactor(slot: (run.historyDays + h) % 7)
                * run.yearlyFactor(week: weeks + h / 7)
            return Forecast(
                day: start.addingTimeInterval(Double(h) * DailySeries.secondsPerDay),
                distribution: CountDistribution(mean: expected, overdispersion: overdispersion), coverage: coverage)
        }
    }
}
