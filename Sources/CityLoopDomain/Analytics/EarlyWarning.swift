import Foundation

/// Early warning (预警): whether the cases of a recent window run significantly above the forecast.
///
/// The test is one-sided Poisson: p = P(X ≥ observed | λ = expected), with λ floored by the policy. An alert needs
/// all three of p below the policy's alert threshold, at least the minimum count, and at least the minimum ratio,
/// so that one case where 0.1 were expected stays quiet however small its p.
public struct EarlyWarning: Hashable, Codable, Sendable {
    /// The thresholds.
    public var policy: EarlyWarningPolicy

    /// Creates early warning with a policy (the defaults unless given).
    public init(policy: EarlyWarningPolicy = EarlyWarningPolicy()) {
        self.policy = policy
    }

    /// Compares an observed count with its expectation over a window; nil when there is nothing to alert.
    public func assess(observed: Int, expected: Double, window: DateInterval) -> EarlyWarningAlert? {
        let lambda = max(expected.isFinite ? expected : 0, policy.expectedFloor)
        let ratio = Double(observed) / lambda
        guard observed >= policy.minimumCount, ratio >= policy.minimumRatio else { return nil }
        let p = CountDistribution.poissonUpperTail(atLeast: observed, mean: lambda)
        guard p < policy.alertPValue else { return nil }
        let severity: EarlyWarningAlert.Severity =
            p < policy.severePValue ? .severe : p < policy.warningPValue ? .warning : .watch
        return EarlyWarningAlert(
            window: window, observed: observed, expected: expected, ratio: ratio, pValue: p, severity: severity)
    }

    /// Checks the last `windowDays` days of a series: fits the seasonal model on the days before them, forecasts
    /// the window, and compares the window's total with the forecast's. Counts are rounded to whole cases.
    /// Nil when the window is empty or longer than the series.
    public func check(_ series: DailySeries, windowDays: Int = 1) -> EarlyWarningAlert? {
        guard windowDays > 0, windowDays <= series.days else { return nil }
        let forecasts = SeasonalForecaster.fit(series.dropLast(windowDays)).forecast(days: windowDays)
        let expected = forecasts.reduce(0) { $0 + $1.expected }
        let observed = Int(series.counts.suffix(windowDays).reduce(0, +).rounded())
        let window = DateInterval(
            start: series.day(series.days - windowDays), duration: Double(windowDays) * DailySeries.secondsPerDay)
        return assess(observed: observed, expected: expected, window: window)
    }
}
