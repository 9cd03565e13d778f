import Foundation

extension CountDistribution {
    /// The regularized lower incomplete gamma function P(a, x) = γ(a, x)/Γ(a), for a > 0 and x ≥ 0.
    ///
    /// Below x = a + 1 the power series gives P directly (no cancellation, so tiny tails keep their precision);
    /// above it the continued fraction gives Q = 1 − P, which converges fast there (Numerical Recipes §6.2).
    static func regularizedLowerGamma(_ a: Double, _ x: Double) -> Double {
        guard x > 0 else { return 0 }
        let logPrefactor = a * log(x) - x - lgamma(a)
        if x < a + 1 {
            var term = 1 / a
            var sum = term
            var n = a
            for _ in 0..<1_000_000 {
                n += 1
                term *= x / n
                sum += term
                if term < sum * 1e-16 { break }
            }
            return min(1, sum * exp(logPrefactor))
        }
        return max(0, 1 - upperGammaContinuedFraction(a, x) * exp(logPrefactor))
    }

    /// The continued fraction for Γ(a, x)·eˣ·x⁻ᵃ (modified Lentz), valid for x > a + 1.
    private static func upperGammaContinuedFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1...10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return h
    }
}
