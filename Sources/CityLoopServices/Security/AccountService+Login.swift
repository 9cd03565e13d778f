import CityLoopDomain
import Foundation

/// A sign-in refused because the account or the address failed too often; try again after `retryAfter` seconds.
public struct LoginLockout: Error, Sendable {
    /// Whole seconds until the next attempt may be made.
    public let retryAfter: Int

    /// The error as the API reports it (429).
    public var domainError: DomainError {
        DomainError(
            .rateLimited, code: "auth.locked",
            "too many failed sign-ins; try again in \(retryAfter) s (登录失败次数过多，请 \(retryAfter) 秒后再试)", field: "username")
    }
}

extension AccountService {
    /// Signs in from a client `address`; returns a session token (shown once) and the user. Every attempt is
    /// recorded; too many failures lock the account or the address (`LoginLockout`). Unknown and inactive accounts
    /// cost the same bcrypt check as a wrong password, so the answer's timing does not tell which names exist.
    public func login(username: String, password: String, address: String = "unknown") async throws -> (
        token: String, user: User, expiresAt: Date
    ) {
        let store = platform.store
        let now = platform.clock.now()
        let since = now.addingTimeInterval(-throttle.window)
        if let retry = throttle.retryAfter(
            account: try await store.loginAttempts(username: username, since: since), address: try await store.loginAttempts(address: address, since: since),
            now: now)
        {
            try await store.recordLoginAttempt(LoginAttempt(at: now, username: username, address: address, outcome: .locked, reason: "locked"))
            throw LoginLockout(retryAfter: retry)
        }
        let found = try await store.user(username: username)
        let matches = platform.passwords.verify(password, hash: found?.1 ?? Self.dummyHash(platform.passwords))
        guard let (user, hash) = found, hash != nil, matches, user.active else {
            let reason = found == nil || found?.1 == nil ? "unknown_user" : matches ? "inactive" : "wrong_password"
            try await store.recordLoginAttempt(LoginAttempt(at: now, username: username, address: address, outcome: .failure, reason: reason))
            throw DomainError(.unauthenticated, code: "auth.invalid_credentials", "wrong username or password")
        }
        try await store.recordLoginAttempt(LoginAttempt(at: now, username: username, address: address, outcome: .success))
        let token = Passwords.randomToken()
        let expires = now.addingTimeInterval(Self.sessionLifetime)
        try await store.saveToken(
            AccessToken(
                hash: SHA256Hasher.hex(Data(token.utf8)), userID: user.id, label: "session", isAPIToken: false,
                createdAt: now, expiresAt: expires))
        return (token, user, expires)
    }

    private static let dummyHashes = LockedBox([UInt8: String]())

    // A hash of a random password at the platform's cost, checked for accounts that have none.
    static func dummyHash(_ passwords: Passwords) -> String {
        if let h = dummyHashes.value[passwords.cost] { return h }
        let h = passwords.hash(Passwords.randomToken())
        dummyHashes.withValue { $0[passwords.cost] = h }
        return h
    }
}
