import CityLoopDomain
import Foundation
import Testing

extension AnalyticsTests {
    @Suite("EarlyWarning")
    struct EarlyWarningTests {
        let warning = EarlyWarning()
        let today = DateInterval(start: Synthetic.monday, duration: 86_400)

        @Test("severity follows the tail probability: 19, 22 and 30 cases where 10 were expected")
        func severities() throws {
            let watch = try #require(warning.assess(observed: 19, expected: 10, window: today))
            #expect(watch.severity == .watch && abs(watch.pValue - 0.007_186_5) < 1e-6)
            #expect(watch.ratio == 1.9 && watch.window == today)
            #expect(warning.assess(observed: 22, expected: 10, window: today)?.severity == .warning)
            #expect(warning.assess(observed: 30, expected: 10, window: today)?.severity == .severe)
            #expect(EarlyWarningAlert.Severity.watch < .warning && EarlyWarningAlert.Severity.warning < .severe)
        }

        @Test("no alert for a plausible count, a count below the minimum, or a small relative excess")
        func quiet() {
            #expect(warning.assess(observed: 18, expected: 10, window: today) == nil)  // p = 0.014
            #expect(warning.assess(observed: 4, expected: 0.2, window: today) == nil)  // p = 6e-5, but only 4 cases
            #expect(warning.assess(observed: 1, expected: 0.1, window: today) == nil)
            #expect(warning.assess(observed: 1000, expected: 900, window: today) == nil)  // p = 0.0005, ratio 1.11
            #expect(warning.assess(observed: 0, expected: 0, window: today) == nil)
        }

        @Test("where nothing was expected the floor stands in: five cases are severe, not infinitely so")
        func floor() throws {
            let alert = try #require(warning.assess(observed: 5, expected: 0, window: today))
            #expect(alert.expected == 0 && abs(alert.ratio - 50) < 1e-9)
            #expect(alert.pValue > 0 && alert.pValue < 1e-7 && alert.severity == .severe)
        }

        @Test("the policy's thresholds decide")
        func policy() throws {
            let strict = EarlyWarning(policy: EarlyWarningPolicy(alertPValue: 0.02, minimumCount: 20, minimumRatio: 1.2))
            #expect(strict.assess(observed: 18, expected: 10, window: today) == nil)  // below 20 cases
            #expect(strict.assess(observed: 20, expected: 10, window: today)?.severity == .watch)
            #expect(EarlyWarningPolicy().problems().isEmpty)
            #expect(!EarlyWarningPolicy(warningPValue: 0.1).problems().isEmpty)
            let decoded = try JSONDecoder().decode(EarlyWarningPolicy.self, from: JSONEncoder().encode(EarlyWarningPolicy()))
            #expect(decoded == EarlyWarningPolicy())
        }

        /// Twenty weeks at about 10 a day with the weekly pattern, then a Monday (12.5 expected) that is replaced.
        static func history(lastDay: (Double) -> Double) -> (series: DailySeries, expected: Double) {
            var series = Synthetic.poisson(days: 20 * 7 + 1, seed: 99, mean: Synthetic.mean(base: 10))
            let expected = SeasonalForecaster.fit(series.dropLast(1)).forecast(days: 1)[0].expected
            series.counts[series.days - 1] = lastDay(expected)
            return (series, expected)
        }

        @Test("an injected spike of three times the expected count alerts as severe on its day")
        func spike() throws {
            let (series, expected) = Self.history { ($0 * 3).rounded() }
            let alert = try #require(warning.check(series))
            #expect(alert.severity == .severe)
            #expect(alert.observed == Int((expected * 3).rounded()) && abs(alert.expected - expected) < 1e-9)
            #expect(alert.window == DateInterval(start: series.day(series.days - 1), end: series.end))
        }

        @Test("a day at its expected count does not alert, nor does a week around it")
        func normalDay() {
            let (series, _) = Self.history { $0.rounded() }
            #expect(warning.check(series) == nil)
            #expect(warning.check(series, windowDays: 7) == nil)
        }

        @Test("a series of zeros never alerts; an empty window or series does nothing")
        func zeros() {
            let zeros = DailySeries(start: Synthetic.monday, counts: Array(repeating: 0, count: 60))
            for days in [1, 7, 30] { #expect(warning.check(zeros, windowDays: days) == nil) }
            #expect(warning.check(zeros, windowDays: 0) == nil)
            #expect(warning.check(DailySeries(start: Synthetic.monday, counts: [])) == nil)
        }
    }
}
