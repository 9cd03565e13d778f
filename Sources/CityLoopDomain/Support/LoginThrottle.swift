import Foundation

/// When sign-in attempts are refused: after `accountFailures` failed attempts on one account since its last
/// success (or `addressFailures` from one address) within `window`, further attempts wait `firstLock`, doubling
/// with every further failure up to `maxLock`.
public struct LoginThrottle: Hashable, Codable, Sendable {
    /// Failures on one account that start a lock.
    public var accountFailures = 5
    /// Failures from one address that start a lock (looser: many people may share an address).
    public var addressFailures = 20
    /// How far back failures count.
    public var window: TimeInterval = 3600
    /// The first lock.
    public var firstLock: TimeInterval = 60
    /// The longest lock.
    public var maxLock: TimeInterval = 900

    /// Creates a throttle.
    public init(accountFailures: Int = 5, addressFailures: Int = 20, window: TimeInterval = 3600, firstLock: TimeInterval = 60, maxLock: TimeInterval = 900) {
        self.accountFailures = accountFailures
        self.addressFailures = addressFailures
        self.window = window
        self.firstLock = firstLock
        self.maxLock = maxLock
    }

    /// Whole seconds until the next attempt is allowed, or nil when it is allowed now. `account` and `address` are
    /// the attempts within `window` for the user name and the address, oldest first.
    public func retryAfter(account: [LoginAttempt], address: [LoginAttempt], now: Date) -> Int? {
        let sinceSuccess = account.lastIndex { $0.outcome == .success }.map { Array(account[($0 + 1)...]) } ?? account
        let ends = [
            lockEnd(failures: sinceSuccess.filter { $0.outcome == .failure }.map(\.at), threshold: accountFailures),
            lockEnd(failures: address.filter { $0.outcome == .failure }.map(\.at), threshold: addressFailures),
        ].compactMap { $0 }
        guard let end = ends.max(), end > now else { return nil }
        return max(1, Int(end.timeIntervalSince(now).rounded(.up)))
    }

    private func lockEnd(failures: [Date], threshold: Int) -> Date? {
        guard failures.count >= threshold, let last = failures.max() else { return nil }
        let doublings = min(failures.count - threshold, 30)
        return last.addingTimeInterval(min(firstLock * pow(2, Double(doublings)), maxLock))
    }
}
