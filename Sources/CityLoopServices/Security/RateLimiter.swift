import CityLoopDomain
import Foundation

/// Per-key request budgets (token buckets), refilled continuously at each key's rate per minute, with a burst of
/// one minute's worth. Kept in memory per node: a limit is per node, which is what protects the node.
public final class RateLimiter: @unchecked Sendable {
    private let clock: any CityClock
    private let lock = NSLock()
    private var buckets: [String: (tokens: Double, at: Date)] = [:]

    /// Creates a limiter on a clock.
    public init(clock: any CityClock) { self.clock = clock }

    /// Takes one request from `key`'s budget, or throws `rateLimited` naming when to retry.
    public func take(_ key: String, perMinute rate: Int) throws {
        let now = clock.now()
        let capacity = Double(max(rate, 1))
        let retry: Int? = lock.withLock {
            if buckets.count > 100_000 { buckets.removeAll() }
            var b = buckets[key] ?? (capacity, now)
            b.tokens = min(capacity, b.tokens + now.timeIntervalSince(b.at) * capacity / 60)
            b.at = now
            defer { buckets[key] = b }
            guard b.tokens >= 1 else { return Int(((1 - b.tokens) * 60 / capacity).rounded(.up)) }
            b.tokens -= 1
            return nil
        }
        if let retry {
            var e = DomainError(
                .rateLimited, code: "rate.exceeded", "rate limit of \(rate) requests per minute reached; retry in \(retry) s", field: "api_key")
            e.retryAfter = retry
            throw e
        }
    }
}
