import CityLoopDomain
import Foundation
import Testing

/// The analytics suites, grouped so that `swift test --filter Analytics` runs them all.
@Suite("Analytics")
enum AnalyticsTests {}

/// SplitMix64: a tiny seeded generator, so that every synthetic series, fuzz run and random track is the same on
/// every run (the one generator of the domain tests).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in `range`.
    mutating func between(_ range: ClosedRange<Double>) -> Double { range.lowerBound + uniform() * (range.upperBound - range.lowerBound) }

    /// A Poisson draw by inversion (sequential search): exact, and fast enough for the means used here (< 100).
    mutating func poisson(_ mean: Double) -> Double {
        guard mean > 0 else { return 0 }
        let u = uniform()
        var k = 0
        var p = exp(-mean)
        var cumulative = p
        while u > cumulative, k < 10_000 {
            k += 1
            p *= mean / Double(k)
            cumulative += p
        }
        return Double(k)
    }
}

/// Series of known pattern for the forecasting tests.
enum Synthetic {
    /// Monday 2026-01-05 00:00 in UTC+8.
    static let monday = Date(timeIntervalSince1970: 1_767_542_400 - 8 * 3600)
    /// A city's weekday factors, Monday first: busy early in the week, quiet at the weekend. Mean 1.
    static let weekdayFactors: [Double] = [1.25, 1.15, 1.05, 1.0, 1.1, 0.8, 0.65]

    /// The series of exact means, no noise.
    static func exact(days: Int, mean: (Int) -> Double) -> DailySeries {
        DailySeries(start: monday, counts: (0..<days).map(mean))
    }

    /// Poisson counts around the means.
    static func poisson(days: Int, seed: UInt64, mean: (Int) -> Double) -> DailySeries {
        var rng = SplitMix64(state: seed)
        return DailySeries(start: monday, counts: (0..<days).map { rng.poisson(mean($0)) })
    }

    /// Mean of day `day` for a base rate with the weekly pattern, a relative trend per year, and a yearly wave
    /// (peak in summer, day 180, of relative amplitude `yearly`).
    static func mean(base: Double, trendPerYear: Double = 0, yearly: Double = 0) -> (Int) -> Double {
        { day in
            let t = Double(day)
            let season = 1 + yearly * cos(2 * .pi * (t - 180) / 365.25)
            return base * (1 + trendPerYear * t / 365.25) * season * weekdayFactors[day % 7]
        }
    }
}
