import Foundation

/// The thresholds of early warning (预警阈值): configuration, with defaults that keep small counts quiet.
public struct EarlyWarningPolicy: Hashable, Codable, Sendable {
    /// Alert (关注) when the Poisson upper-tail probability is below this.
    public var alertPValue: Double
    /// Warning (预警) below this.
    public var warningPValue: Double
    /// Severe (严重) below this.
    public var severePValue: Double
    /// No alert when fewer cases than this were observed in the window, however unlikely.
    public var minimumCount: Int
    /// No alert unless observed ≥ expected × this.
    public var minimumRatio: Double
    /// Expectations below this are raised to it, so that a first case where none were expected is not infinitely
    /// surprising.
    public var expectedFloor: Double

    /// Creates a policy. Defaults: p < 0.01 watch, < 0.001 warning, < 0.0001 severe; at least 5 cases and
    /// 1.5 × expected; expectations floored at 0.1.
    public init(
        alertPValue: Double = 0.01, warningPValue: Double = 0.001, severePValue: Double = 0.0001, minimumCount: Int = 5,
        minimumRatio: Double = 1.5, expectedFloor: Double = 0.1
    ) {
        self.alertPValue = alertPValue
        self.warningPValue = warningPValue
        self.severePValue = severePValue
        self.minimumCount = minimumCount
        self.minimumRatio = minimumRatio
        self.expectedFloor = expectedFloor
    }

    /// What is wrong with the thresholds, in words; empty when usable.
    public func problems() -> [String] {
        var problems: [String] = []
        if !(severePValue <= warningPValue && warningPValue <= alertPValue) {
            problems.append("p-value thresholds must run severe ≤ warning ≤ alert")
        }
        if !(alertPValue > 0 && alertPValue < 1) { problems.append("the alert p-value must lie between 0 and 1") }
        if minimumCount < 1 { problems.append("the minimum count must be at least 1") }
        if !(minimumRatio >= 1) { problems.append("the minimum ratio must be at least 1") }
        if !(expectedFloor > 0) { problems.append("the expected floor must be above 0") }
        return problems
    }
}
