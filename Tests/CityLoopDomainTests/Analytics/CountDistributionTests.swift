import CityLoopDomain
import Foundation
import Testing

extension AnalyticsTests {
    @Suite("CountDistribution")
    struct CountDistributionTests {
        static func tail(_ k: Int, _ lambda: Double) -> Double {
            CountDistribution.poissonUpperTail(atLeast: k, mean: lambda)
        }

        static func close(_ a: Double, _ b: Double, relative: Double = 1e-9) -> Bool {
            abs(a - b) <= relative * abs(b)
        }

        @Test("Poisson upper tails match known values, from near 1 to 1e-19")
        func poissonTail() {
            #expect(Self.close(Self.tail(10, 3), 0.001_102_488_130_115_481_5))
            #expect(Self.tail(0, 3) == 1 && Self.tail(-2, 3) == 1)
            #expect(Self.close(Self.tail(1, 1), 1 - exp(-1)))
            #expect(Self.close(Self.tail(19, 10), 0.007_186_504_603_854_357))
            #expect(Self.close(Self.tail(50, 10), 1.854_726_883_869_845_7e-19, relative: 1e-8))
            // Large counts use the continued fraction side and must not lose the small tail.
            #expect(Self.close(Self.tail(1000, 900), 0.000_549_902_265_711_7, relative: 1e-7))
            #expect(Self.close(Self.tail(3, 10), 1 - exp(-10) * (1 + 10 + 50)))
        }

        @Test("no mean: no count above 0 is possible")
        func zeroMean() {
            #expect(Self.tail(1, 0) == 0)
            #expect(Self.tail(0, 0) == 1)
            #expect(CountDistribution.poisson(0).quantile(0.99) == 0)
        }

        @Test("quantiles of Poisson and negative binomial counts")
        func quantiles() {
            #expect(CountDistribution.poisson(4).quantile(0.1) == 2)
            #expect(CountDistribution.poisson(4).quantile(0.9) == 7)
            #expect(CountDistribution.poisson(100).quantile(0.1) == 87)
            #expect(CountDistribution.poisson(100).quantile(0.9) == 113)
            // Size 2 (overdispersion 0.5), mean 10: far wider than Poisson.
            let wide = CountDistribution(mean: 10, overdispersion: 0.5)
            #expect(wide.quantile(0.1) == 2 && wide.quantile(0.9) == 20)
            #expect(wide.variance == 60)
        }

        @Test("probabilities sum to 1")
        func probabilities() {
            for d in [CountDistribution.poisson(3.5), CountDistribution(mean: 7, overdispersion: 0.3)] {
                let sum = (0...200).reduce(0.0) { $0 + exp(d.logProbability($1)) }
                #expect(abs(sum - 1) < 1e-12)
            }
        }
    }
}
