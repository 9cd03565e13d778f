import Foundation

/// An early-warning alert (预警): more cases in a window than the forecast makes plausible.
public struct EarlyWarningAlert: Hashable, Codable, Sendable {
    /// How unlikely the count is.
    public enum Severity: String, Hashable, Codable, Sendable, Comparable, CaseIterable {
        /// Watch (关注): p below the policy's alert threshold (0.01 by default).
        case watch
        /// Warning (预警): p below 0.001 by default.
        case warning
        /// Severe (严重): p below 0.0001 by default.
        case severe

        /// Orders by seriousness: watch < warning < severe.
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }

        private var rank: Int {
            switch self {
            case .watch: 1
            case .warning: 2
            case .severe: 3
            }
        }
    }

    /// The days compared: from the first day's midnight to the midnight after the last.
    public var window: DateInterval
    /// Cases observed in the window.
    public var observed: Int
    /// Cases the forecast expected in the window (before the policy's floor).
    public var expected: Double
    /// Observed over expected (the floored expectation).
    public var ratio: Double
    /// P(X ≥ observed) for X Poisson with the (floored) expectation.
    public var pValue: Double
    /// How unlikely.
    public var severity: Severity

    /// Creates an alert.
    public init(window: DateInterval, observed: Int, expected: Double, ratio: Double, pValue: Double, severity: Severity) {
        self.window = window
        self.observed = observed
        self.expected = expected
        self.ratio = ratio
        self.pValue = pValue
        self.severity = severity
    }
}
