import Foundation

/// Request budgets of API keys (token buckets), kept in the store so a key's limit holds across every node that
/// shares it. A budget holds up to `perMinute` requests and refills continuously at `perMinute` a minute; a budget
/// untouched for a minute is full again, the same as one never used.
public protocol RateBudgetStore: Sendable {
    /// Takes one request from `key`'s budget at `now` in one atomic step: nil when taken, else the seconds until a
    /// request is available again (at least 1).
    func takeRequest(_ key: String, perMinute: Int, at now: Date) async throws -> Int?
    /// Forgets the budgets last touched before `date` (full again by then).
    func pruneRateBudgets(before date: Date) async throws
}

/// The token-bucket arithmetic every store applies inside its atomic statement.
public enum RateBudget {
    /// The seconds until a budget holding `tokens` of `perMinute` has one whole request again (at least 1).
    public static func retryAfter(tokens: Double, perMinute: Int) -> Int {
        let rate = Double(max(perMinute, 1))
        return max(1, Int(((1 - tokens) * 60 / rate).rounded(.up)))
    }
}
