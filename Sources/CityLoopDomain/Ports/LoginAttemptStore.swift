import Foundation

/// One sign-in attempt (登录记录): who tried, from where, and what happened. Kept for the throttle and read by
/// administrators as the sign-in audit log.
public struct LoginAttempt: Hashable, Codable, Sendable {
    /// What became of an attempt.
    public enum Outcome: String, Hashable, Codable, Sendable {
        /// Signed in.
        case success
        /// Wrong password, unknown or inactive account (the client is told the same for all three).
        case failure
        /// Refused without checking the password: the account or the address is locked.
        case locked
    }
    /// When.
    public var at: Date
    /// The user name as typed.
    public var username: String
    /// The client's address.
    public var address: String
    /// The outcome.
    public var outcome: Outcome
    /// Why, for the audit log only: `wrong_password`, `unknown_user`, `inactive`, `account_locked`, `address_locked`.
    public var reason: String?

    /// Creates a record.
    public init(at: Date, username: String, address: String, outcome: Outcome, reason: String? = nil) {
        self.at = at
        self.username = username
        self.address = address
        self.outcome = outcome
        self.reason = reason
    }
}

/// Storage of sign-in attempts, shared by every node that uses the same store, so the throttle holds across them.
public protocol LoginAttemptStore: Sendable {
    /// Records one attempt.
    func recordLoginAttempt(_ attempt: LoginAttempt) async throws
    /// Attempts at or after `since` for the user name, oldest first.
    func loginAttempts(username: String, since: Date) async throws -> [LoginAttempt]
    /// Attempts at or after `since` from the address, oldest first.
    func loginAttempts(address: String, since: Date) async throws -> [LoginAttempt]
    /// The newest attempts first, at most `limit`.
    func recentLoginAttempts(limit: Int) async throws -> [LoginAttempt]
}
