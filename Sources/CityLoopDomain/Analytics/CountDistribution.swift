import Foundation

/// The distribution of a day's count: negative binomial with a mean and an overdispersion, Poisson when the
/// overdispersion is zero. Its variance is `mean + overdispersion × mean²`.
public struct CountDistribution: Hashable, Codable, Sendable {
    /// The mean (λ for Poisson).
    public var mean: Double
    /// The overdispersion (1/size of the negative binomial); 0 is Poisson.
    public var overdispersion: Double

    /// Creates a distribution; negative or non-finite figures become 0.
    public init(mean: Double, overdispersion: Double = 0) {
        self.mean = mean.isFinite ? max(0, mean) : 0
        self.overdispersion = overdispersion.isFinite ? max(0, overdispersion) : 0
    }

    /// A Poisson distribution.
    public static func poisson(_ mean: Double) -> CountDistribution { CountDistribution(mean: mean) }

    /// The variance.
    public var variance: Double { mean + overdispersion * mean * mean }

    /// The natural logarithm of P(X = k).
    public func logProbability(_ k: Int) -> Double {
        guard k >= 0 else { return -.infinity }
        guard mean > 0 else { return k == 0 ? 0 : -.infinity }
        let x = Double(k)
        guard overdispersion > 0 else { return x * log(mean) - mean - lgamma(x + 1) }
        let size = 1 / overdispersion
        // log of Γ(x+r)/(Γ(r) x!) · (r/(r+μ))^r · (μ/(r+μ))^x, with log1p to keep precision when μ ≪ r.
        return lgamma(x + size) - lgamma(size) - lgamma(x + 1) - size * log1p(mean / size)
            + x * (log(mean) - log(size + mean))
    }

    /// The smallest count k with P(X ≤ k) ≥ p.
    public func quantile(_ p: Double) -> Int {
        guard mean > 0, p > 0 else { return 0 }
        let target = min(p, 1 - 1e-12)
        // Past mean + 40 standard deviations the remaining mass is far below any p asked for.
        let limit = Int((mean + 40 * variance.squareRoot() + 10).rounded(.up))
        var cumulative = 0.0
        for k in 0...limit {
            cumulative += exp(logProbability(k))
            if cumulative >= target { return k }
        }
        return limit
    }

    /// P(X ≥ observed) for a Poisson count with mean λ (upper tail), via the regularized incomplete gamma function:
    /// P(X ≥ k) = P(k, λ) for k ≥ 1. Accurate to a few ulps in relative terms even when the tail is 1e-100.
    /// Observed ≤ 0 gives 1; λ ≤ 0 gives 0 for any observed ≥ 1.
    public static func poissonUpperTail(atLeast observed: Int, mean lambda: Double) -> Double {
        guard observed > 0 else { return 1 }
        guard lambda > 0, lambda.isFinite else { return lambda > 0 ? 1 : 0 }
        return regularizedLowerGamma(Double(observed), lambda)
    }
}
