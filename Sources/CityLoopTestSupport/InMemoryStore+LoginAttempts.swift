import CityLoopDomain
import Foundation

extension InMemoryStore {
    /// Records an attempt.
    public func recordLoginAttempt(_ attempt: LoginAttempt) async throws { loginLog.append(attempt) }

    /// Attempts for a user name since a time.
    public func loginAttempts(username: String, since: Date) async throws -> [LoginAttempt] {
        loginLog.filter { $0.username == username && $0.at >= since }.sorted { $0.at < $1.at }
    }

    /// Attempts from an address since a time.
    public func loginAttempts(address: String, since: Date) async throws -> [LoginAttempt] {
        loginLog.filter { $0.address == address && $0.at >= since }.sorted { $0.at < $1.at }
    }

    /// The newest attempts.
    public func recentLoginAttempts(limit: Int) async throws -> [LoginAttempt] {
        Array(loginLog.sorted { $0.at > $1.at }.prefix(max(0, limit)))
    }
}
