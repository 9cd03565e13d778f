import CityLoopDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Records a sign-in attempt.
    public func recordLoginAttempt(_ attempt: LoginAttempt) async throws {
        _ = try await rows(
            """
            INSERT INTO login_attempts (at, username, address, outcome, reason)
            VALUES (\(Self.ms(attempt.at)), \(attempt.username), \(attempt.address), \(attempt.outcome.rawValue), \(attempt.reason))
            """)
    }

    /// Attempts for a user name since a time, oldest first.
    public func loginAttempts(username: String, since: Date) async throws -> [LoginAttempt] {
        try loginAttempts(try await rows(
            "SELECT at, username, address, outcome, reason FROM login_attempts WHERE username = \(username) AND at >= \(Self.ms(since)) ORDER BY at, id"))
    }

    /// Attempts from an address since a time, oldest first.
    public func loginAttempts(address: String, since: Date) async throws -> [LoginAttempt] {
        try loginAttempts(try await rows(
            "SELECT at, username, address, outcome, reason FROM login_attempts WHERE address = \(address) AND at >= \(Self.ms(since)) ORDER BY at, id"))
    }

    /// The newest attempts first.
    public func recentLoginAttempts(limit: Int) async throws -> [LoginAttempt] {
        try loginAttempts(try await rows(
            "SELECT at, username, address, outcome, reason FROM login_attempts ORDER BY at DESC, id DESC LIMIT \(max(0, limit))"))
    }

    private func loginAttempts(_ rows: [PostgresRow]) throws -> [LoginAttempt] {
        try rows.map { r in
            let (at, username, address, outcome, reason) = try r.decode((Int64, String, String, String, String?).self)
            return LoginAttempt(
                at: Self.date(at), username: username, address: address, outcome: LoginAttempt.Outcome(rawValue: outcome) ?? .failure,
                reason: reason)
        }
    }
}
