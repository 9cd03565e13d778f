import CityLoopDomain
import Foundation
import GRDB

extension SQLiteStore {
    /// Records a sign-in attempt.
    public func recordLoginAttempt(_ attempt: LoginAttempt) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO login_attempts (at, username, address, outcome, reason) VALUES (?, ?, ?, ?, ?)",
                arguments: [Self.millis(attempt.at), attempt.username, attempt.address, attempt.outcome.rawValue, attempt.reason])
        }
    }

    /// Attempts for a user name since a time, oldest first.
    public func loginAttempts(username: String, since: Date) async throws -> [LoginAttempt] {
        try await loginAttempts("WHERE username = ? AND at >= ? ORDER BY at, id", [username, Self.millis(since)])
    }

    /// Attempts from an address since a time, oldest first.
    public func loginAttempts(address: String, since: Date) async throws -> [LoginAttempt] {
        try await loginAttempts("WHERE address = ? AND at >= ? ORDER BY at, id", [address, Self.millis(since)])
    }

    /// The newest attempts first.
    public func recentLoginAttempts(limit: Int) async throws -> [LoginAttempt] {
        try await loginAttempts("ORDER BY at DESC, id DESC LIMIT ?", [max(0, limit)])
    }

    private func loginAttempts(_ clause: String, _ arguments: StatementArguments) async throws -> [LoginAttempt] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT at, username, address, outcome, reason FROM login_attempts \(clause)", arguments: arguments).map { r in
                LoginAttempt(
                    at: Date(timeIntervalSince1970: Double(r["at"] as Int64) / 1000), username: r["username"], address: r["address"],
                    outcome: LoginAttempt.Outcome(rawValue: r["outcome"]) ?? .failure, reason: r["reason"])
            }
        }
    }

    private static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}
