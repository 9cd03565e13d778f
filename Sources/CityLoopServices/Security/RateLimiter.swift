import CityLoopDomain
import Foundation

/// Per-key request budgets (token buckets) refilled continuously at each key's rate per minute, with a burst of
/// one minute's worth, kept in the store: every node sharing it takes from the same budget, so a partner's limit
/// holds however many nodes serve it. There is no per-node budget in front: one atomic statement per request is
/// cheap beside the request itself, and two budgets would answer with two different Retry-After times.
public final class RateLimiter: Sendable {
    private let store: any RateBudgetStore
    private let clock: any CityClock
    private let lastPrune = LockedBox<Date?>(nil)

    /// Budgets untouched this long are full again and are forgotten.
    static let pruneAfter: TimeInterval = 120

    /// Creates a limiter keeping its budgets in `store`.
    public init(store: any RateBudgetStore, clock: any CityClock) {
        self.store = store
        self.clock = clock
    }

    /// Takes one request from `key`'s budget, or throws `rateLimited` naming when to retry.
    public func take(_ key: String, perMinute rate: Int) async throws {
        let now = clock.now()
        let retry = try await store.takeRequest(key, perMinute: rate, at: now)
        let due = lastPrune.withValue { last -> Bool in
            guard last.map({ now.timeIntervalSince($0) >= Self.pruneAfter }) ?? true else { return false }
            last = now
            return true
        }
        if due { try? await store.pruneRateBudgets(before: now - Self.pruneAfter) }
        if let retry {
            var e = DomainError(
                .rateLimited, code: "rate.exceeded", "rate limit of \(rate) requests per minute reached; retry in \(retry) s", field: "api_key")
            e.retryAfter = retry
            throw e
        }
    }
}
