import Foundation

/// The result of a backtest (回测): the seasonal model's and the naive forecast's errors on the same held-out days,
/// for one series or pooled over many.
public struct BacktestResult: Hashable, Codable, Sendable {
    /// Series evaluated.
    public var series: Int
    /// Held-out weeks evaluated, over all series.
    public var folds: Int
    /// The seasonal model's errors.
    public var model: ForecastErrors
    /// The naive weekly forecast's errors.
    public var naive: ForecastErrors

    /// Creates a result.
    public init(
        series: Int = 0, folds: Int = 0, model: ForecastErrors = ForecastErrors(), naive: ForecastErrors = ForecastErrors()
    ) {
        self.series = series
        self.folds = folds
        self.model = model
        self.naive = naive
    }

    /// Model MAE over naive MAE: below 1 when the model beats "same as last week"; nil when the naive MAE is 0.
    public var relativeMAE: Double? { naive.mae > 0 ? model.mae / naive.mae : nil }

    /// Model RMSE over naive RMSE; nil when the naive RMSE is 0.
    public var relativeRMSE: Double? { naive.rmse > 0 ? model.rmse / naive.rmse : nil }

    /// Results summed over series: errors are pooled day by day, so a big series weighs more than a small one.
    public static func pooled(_ results: [BacktestResult]) -> BacktestResult {
        results.reduce(into: BacktestResult()) { sum, r in
            sum.series += r.series
            sum.folds += r.folds
            sum.model = sum.model + r.model
            sum.naive = sum.naive + r.naive
        }
    }

    /// One line for a report, e.g. `12 series, 96 weeks: MAE 1.84 vs naive 2.51 (0.733), RMSE 2.33 vs 3.17 (0.735)`.
    public var summary: String {
        func f(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "–" }
        return "\(series) series, \(folds) weeks: MAE \(f(model.mae)) vs naive \(f(naive.mae)) (\(f(relativeMAE))), "
            + "RMSE \(f(model.rmse)) vs naive \(f(naive.rmse)) (\(f(relativeRMSE)))"
    }
}
