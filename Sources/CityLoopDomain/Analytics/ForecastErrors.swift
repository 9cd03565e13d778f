import Foundation

/// Running sums of a forecast's errors against actual counts; sums, not means, so that results pool exactly.
public struct ForecastErrors: Hashable, Codable, Sendable {
    /// Days compared.
    public var days: Int
    /// Σ |actual − forecast|.
    public var absoluteSum: Double
    /// Σ (actual − forecast)².
    public var squaredSum: Double
    /// Σ (forecast − actual): positive when the forecast runs high.
    public var biasSum: Double

    /// Creates sums (empty by default).
    public init(days: Int = 0, absoluteSum: Double = 0, squaredSum: Double = 0, biasSum: Double = 0) {
        self.days = days
        self.absoluteSum = absoluteSum
        self.squaredSum = squaredSum
        self.biasSum = biasSum
    }

    /// Adds one day.
    public mutating func add(actual: Double, forecast: Double) {
        let error = forecast - actual
        days += 1
        absoluteSum += abs(error)
        squaredSum += error * error
        biasSum += error
    }

    /// Mean absolute error (0 when no days).
    public var mae: Double { days > 0 ? absoluteSum / Double(days) : 0 }
    /// Root mean squared error (0 when no days).
    public var rmse: Double { days > 0 ? (squaredSum / Double(days)).squareRoot() : 0 }
    /// Mean of forecast − actual (0 when no days).
    public var bias: Double { days > 0 ? biasSum / Double(days) : 0 }

    /// The sums of both.
    public static func + (a: ForecastErrors, b: ForecastErrors) -> ForecastErrors {
        ForecastErrors(
            days: a.days + b.days, absoluteSum: a.absoluteSum + b.absoluteSum, squaredSum: a.squaredSum + b.squaredSum,
            biasSum: a.biasSum + b.biasSum)
    }
}
