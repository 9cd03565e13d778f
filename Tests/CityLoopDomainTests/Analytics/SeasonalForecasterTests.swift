import CityLoopDomain
import Foundation
import Testing

extension AnalyticsTests {
    @Suite("SeasonalForecaster")
    struct SeasonalForecasterTests {
        @Test("a pure weekly pattern without noise is forecast almost exactly, for two weeks ahead")
        func exactPattern() {
            let series = Synthetic.exact(days: 20 * 7, mean: Synthetic.mean(base: 10))
            let forecasts = SeasonalForecaster.fit(series).forecast(days: 14)
            #expect(forecasts.count == 14)
            for (h, f) in forecasts.enumerated() {
                let truth = 10 * Synthetic.weekdayFactors[h % 7]
                #expect(abs(f.expected - truth) < 0.01 * truth, "day \(h): \(f.expected) vs \(truth)")
                #expect(f.low <= f.expected && f.expected <= f.high)
                #expect(f.day == series.day(series.days + h))
            }
        }

        @Test("the weekday pattern follows the weekday, whatever day the history ends on")
        func alignment() {
            let series = Synthetic.exact(days: 20 * 7 + 3, mean: Synthetic.mean(base: 10))
            let model = SeasonalForecaster.fit(series)
            // The history ends on a Wednesday, so the forecast starts on a Thursday.
            #expect(abs(model.forecast(days: 1)[0].expected - 10) < 0.1)
            #expect(abs(model.weekdayFactors[3] - 0.65) < 0.01)  // the Sunday
        }

        @Test("a series of zeros forecasts zero with an empty interval")
        func zeros() {
            let series = DailySeries(start: Synthetic.monday, counts: Array(repeating: 0, count: 100))
            for f in SeasonalForecaster.fit(series).forecast(days: 10) {
                #expect(f.expected == 0 && f.low == 0 && f.high == 0)
            }
        }

        @Test("an all-equal series forecasts that count on every day, with a Poisson interval")
        func constant() {
            let series = DailySeries(start: Synthetic.monday, counts: Array(repeating: 4, count: 200))
            let model = SeasonalForecaster.fit(series)
            #expect(model.overdispersion == 0)
            for f in model.forecast(days: 21) {
                #expect(abs(f.expected - 4) < 1e-9)
                #expect(f.low == 2 && f.high == 7)
            }
        }

        @Test("no history forecasts zero on the right days")
        func empty() {
            let series = DailySeries(start: Synthetic.monday, counts: [])
            let forecasts = SeasonalForecaster.fit(series).forecast(days: 3)
            #expect(forecasts.map(\.expected) == [0, 0, 0])
            #expect(forecasts.map(\.day) == [series.day(0), series.day(1), series.day(2)])
            #expect(SeasonalForecaster.fit(series).forecast(days: 0).isEmpty)
        }

        @Test("less than a week of history forecasts its mean every day")
        func lessThanAWeek() {
            let series = DailySeries(start: Synthetic.monday, counts: [1, 2, 6])
            #expect(SeasonalForecaster.fit(series).forecast(days: 9).map(\.expected) == Array(repeating: 3, count: 9))
        }

        @Test("one to three weeks: the last whole week's total, spread by shrunk weekday shares")
        func shortHistory() {
            // Three leading days that do not fill a week are left out.
            let counts: [Double] = [50, 50, 50] + [7, 0, 0, 0, 0, 0, 0]
            let model = SeasonalForecaster.fit(DailySeries(start: Synthetic.monday, counts: counts))
            #expect(model.parameters == .standard)
            let week = model.forecast(days: 7).map(\.expected)
            #expect(abs(week.reduce(0, +) - 7) < 1e-9)
            // One busy day in one week is only partly believed: its share is pulled toward the others.
            #expect(week[0] > week[1] && week[0] < 7 && week[1] > 0)
        }

        @Test("the level keeps up with a rising series")
        func trend() {
            let series = Synthetic.poisson(days: 2 * 364, seed: 11, mean: Synthetic.mean(base: 10, trendPerYear: 1))
            // The mean daily count of the week ahead, its middle day 3 days after the history.
            let truth = 10 * (1 + Double(series.days + 3) / 365.25)
            let level = SeasonalForecaster.fit(series).level
            #expect(abs(level - truth) < 0.05 * truth, "level \(level) vs \(truth)")
        }

        @Test("80% intervals hold about 80% of held-out Poisson counts")
        func intervalCoverage() {
            var inside = 0
            var total = 0
            for seed in UInt64(1)...6 {
                let series = Synthetic.poisson(days: 70 * 7, seed: seed, mean: Synthetic.mean(base: 6, trendPerYear: 0.3))
                for held in 1...8 {
                    let origin = series.days - 7 * held
                    let forecasts = SeasonalForecaster.fit(series.prefix(origin)).forecast(days: 7)
                    for (i, f) in forecasts.enumerated() {
                        let actual = series.counts[origin + i]
                        if f.low <= actual && actual <= f.high { inside += 1 }
                        total += 1
                    }
                }
            }
            let coverage = Double(inside) / Double(total)
            print("80% interval coverage on held-out days: \(String(format: "%.3f", coverage)) of \(total)")
            // Whole-count intervals include both ends, so they hold somewhat more than 80%.
            #expect(coverage > 0.75 && coverage < 0.95)
        }
    }
}
