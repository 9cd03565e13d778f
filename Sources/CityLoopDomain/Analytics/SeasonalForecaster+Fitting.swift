import Foundation

extension SeasonalForecaster {
    /// Level smoothing constants tried by `fit`.
    static let levelGrid: [Double] = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7]
    /// (trend smoothing, damping) pairs tried by `fit`; the first is no trend.
    static let trendGrid: [(smoothing: Double, damping: Double)] = [(0, 1), (0.05, 0.9), (0.2, 0.9), (0.05, 0.98), (0.2, 0.98)]
    /// Share smoothing constants tried by `fit`.
    static let shareSmoothingGrid: [Double] = [0.02, 0.05, 0.1, 0.2, 0.4]
    /// Share shrinkage pseudo-counts tried by `fit`.
    static let shareShrinkageGrid: [Double] = [0.5, 2, 8]
    /// Weeks of history before the yearly factor is tried: a year, the warm-up, and eight weeks to judge it on.
    static let weeksForYearly = SeasonalRun.yearWeeks + SeasonalRun.warmUpWeeks + 8

    /// Fits the model to a history and returns it ready to forecast.
    ///
    /// In two deterministic grid searches: first level, trend and yearly factor by the squared error of the
    /// one-week-ahead forecasts of weekly totals (the weekday shares cannot change a week's total), then the
    /// weekday shares by the squared error of the daily forecasts. Ties keep the earlier, simpler candidate.
    /// Histories of fewer than 4 weeks have nothing to score and use `Parameters.standard`.
    public static func fit(_ series: DailySeries) -> SeasonalForecaster {
        let weeks = series.days / 7
        let standard = Parameters.standard
        guard weeks > SeasonalRun.warmUpWeeks else { return SeasonalForecaster(series, parameters: standard) }

        var best = standard
        var bestError = Double.infinity
        for yearly in weeks >= weeksForYearly ? [false, true] : [false] {
            for alpha in levelGrid {
                for trend in trendGrid {
                    let candidate = Parameters(
                        levelSmoothing: alpha, trendSmoothing: trend.smoothing, trendDamping: trend.damping,
                        shareSmoothing: standard.shareSmoothing, shareShrinkage: standard.shareShrinkage, yearly: yearly)
                    let error = SeasonalRun(counts: series.counts, parameters: candidate).weeklySquaredError
                    if isBetter(error, than: bestError) { (best, bestError) = (candidate, error) }
                }
            }
        }

        bestError = .infinity
        var chosen = best
        for smoothing in shareSmoothingGrid {
            for shrinkage in shareShrinkageGrid {
                var candidate = best
                candidate.shareSmoothing = smoothing
                candidate.shareShrinkage = shrinkage
                let error = SeasonalRun(counts: series.counts, parameters: candidate).dailySquaredError
                if isBetter(error, than: bestError) { (chosen, bestError) = (candidate, error) }
            }
        }
        return SeasonalForecaster(series, parameters: chosen)
    }

    /// Better by more than rounding noise, so that near-ties keep the earlier candidate.
    private static func isBetter(_ error: Double, than best: Double) -> Bool {
        best.isInfinite ? error.isFinite : error < best * (1 - 1e-9)
    }
}
