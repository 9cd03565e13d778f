import CityLoopDomain
import Foundation
import Testing

extension AnalyticsTests {
    @Suite("ForecastBacktest")
    struct ForecastBacktestTests {
        static func report(_ name: String, _ result: BacktestResult) {
            print("backtest \(name): \(result.summary)")
        }

        @Test("weekly pattern, rising trend and Poisson noise over two years: the model beats last week's counts")
        func trendAndWeeklyPattern() throws {
            let series = Synthetic.poisson(days: 2 * 364, seed: 2026, mean: Synthetic.mean(base: 8, trendPerYear: 0.5))
            let result = ForecastBacktest(weeks: 8).evaluate(series)
            Self.report("weekly + trend, 1 series", result)
            #expect(result.series == 1 && result.folds == 8 && result.model.days == 56)
            #expect(try #require(result.relativeMAE) < 1)

            let many = (UInt64(1)...12).map {
                Synthetic.poisson(days: 2 * 364, seed: $0, mean: Synthetic.mean(base: 2 + Double($0), trendPerYear: 0.5))
            }
            let pooled = ForecastBacktest(weeks: 8).evaluate(many)
            Self.report("weekly + trend, 12 series pooled", pooled)
            #expect(try #require(pooled.relativeMAE) < 0.9)
            #expect(try #require(pooled.relativeRMSE) < 0.9)
        }

        @Test("yearly wave (summer peak) over three years: the model beats last week's counts")
        func yearlySeason() throws {
            let mean = Synthetic.mean(base: 10, trendPerYear: 0.1, yearly: 0.5)
            let series = Synthetic.poisson(days: 3 * 364, seed: 7, mean: mean)
            let result = ForecastBacktest(weeks: 8).evaluate(series)
            Self.report("yearly wave, 1 series", result)
            #expect(try #require(result.relativeMAE) < 1)

            let many = (UInt64(100)...107).map { Synthetic.poisson(days: 3 * 364, seed: $0, mean: mean) }
            // Twenty-six weeks: half a year of origins, from the peak into the trough.
            let pooled = ForecastBacktest(weeks: 26).evaluate(many)
            Self.report("yearly wave, 8 series × 26 weeks pooled", pooled)
            #expect(try #require(pooled.relativeMAE) < 0.9)
        }

        @Test("small counts (0–5 a day) over many area × class series: the model still beats the naive forecast")
        func smallCounts() throws {
            let many = (UInt64(0)..<30).map { seed in
                let base = 0.2 + Double(seed % 10) * 0.3
                let mean = Synthetic.mean(base: base, trendPerYear: 0.2, yearly: 0.3)
                return Synthetic.poisson(days: 2 * 364, seed: 500 + seed, mean: mean)
            }
            let pooled = ForecastBacktest(weeks: 8).evaluate(many)
            Self.report("small counts, 30 series pooled", pooled)
            #expect(pooled.series == 30 && pooled.folds == 240)
            #expect(try #require(pooled.relativeMAE) < 0.9)
        }

        @Test("an exact weekly pattern: both forecasts are right, and there is no ratio to a zero error")
        func exactPattern() {
            let result = ForecastBacktest().evaluate(Synthetic.exact(days: 30 * 7, mean: Synthetic.mean(base: 5)))
            #expect(result.naive.mae == 0)
            #expect(result.model.mae < 0.05)
            #expect(result.relativeMAE == nil)
        }

        @Test("folds without two weeks of history before them are skipped")
        func shortSeries() {
            let backtest = ForecastBacktest(weeks: 8)
            let counts = (0..<21).map { Double($0 % 3) }
            #expect(backtest.evaluate(DailySeries(start: Synthetic.monday, counts: Array(counts.prefix(20)))).folds == 0)
            #expect(backtest.evaluate(DailySeries(start: Synthetic.monday, counts: counts)).folds == 1)
            #expect(backtest.evaluate(DailySeries(start: Synthetic.monday, counts: [])).model.days == 0)
        }

        @Test("pooling sums the errors of every series day by day")
        func pooling() {
            let a = ForecastBacktest().evaluate(Synthetic.poisson(days: 200, seed: 1, mean: Synthetic.mean(base: 3)))
            let b = ForecastBacktest().evaluate(Synthetic.poisson(days: 300, seed: 2, mean: Synthetic.mean(base: 30)))
            let pooled = BacktestResult.pooled([a, b])
            #expect(pooled.series == 2 && pooled.folds == a.folds + b.folds)
            #expect(pooled.model.days == a.model.days + b.model.days)
            #expect(abs(pooled.model.absoluteSum - a.model.absoluteSum - b.model.absoluteSum) < 1e-9)
            #expect(abs(pooled.naive.mae - (a.naive.absoluteSum + b.naive.absoluteSum) / Double(pooled.naive.days)) < 1e-12)
        }
    }
}
