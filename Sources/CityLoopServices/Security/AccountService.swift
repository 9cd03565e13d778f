import CityLoopDomain
import Foundation

/// Accounts, sign-in, sessions and partner API tokens.
public struct AccountService: Sendable {
    let platform: Platform
    private let cache: TokenCache

    /// How long a session lasts.
    public static let sessionLifetime: TimeInterval = 12 * 3600

    /// When sign-in attempts are refused.
    public var throttle: LoginThrottle

    /// Creates the service.
    public init(platform: Platform, throttle: LoginThrottle = LoginThrottle()) {
        self.platform = platform
        self.throttle = throttle
        cache = platform.tokenCache
    }

    /// Ends a session or revokes an API token.
    public func revoke(token: String) async throws {
        let hash = SHA256Hasher.hex(Data(token.utf8))
        try await platform.store.deleteToken(hash: hash)
        // After the delete: a request that read the token before it cannot keep it (the cache's generation moved on),
        // and another node that cached the token reads it again and finds it gone.
        cache.remove(hash)
        platform.changes.send(.accounts)
    }

    /// The user a bearer token acts for; throws `unauthenticated` when it is unknown or expired.
    public func authenticate(token: String) async throws -> User { try await authenticatedToken(token).user }

    /// The user a bearer token or API key acts for, with the token's record (its kind and rate limit).
    public func authenticatedToken(_ token: String) async throws -> (user: User, token: AccessToken) {
        let hash = SHA256Hasher.hex(Data(token.utf8))
        let now = platform.clock.now()
        if let hit = cache.get(hash, now: now) { return hit }
        let generation = cache.generation
        guard let t = try await platform.store.token(hash: hash), let user = try await platform.store.user(id: t.userID), user.active else {
            throw DomainError(.unauthenticated, code: "auth.invalid_token", "the token is unknown or revoked")
        }
        if let exp = t.expiresAt, exp <= now {
            throw DomainError(.unauthenticated, code: "auth.expired", "the session has expired; sign in again")
        }
        cache.put(hash, (user, t), until: min(t.expiresAt ?? .distantFuture, now.addingTimeInterval(30)), readIn: generation)
        return (user, t)
    }

    /// Creates or replaces an account. Handlers need a department, inspectors their grids; the last active
    /// administrator stays one. A new password revokes the account's sessions.
    public func saveUser(_ user: User, password: String?) async throws {
        guard user.username.range(of: "^[A-Za-z0-9_.-]{2,64}$", options: .regularExpression) != nil else {
            throw DomainError.invalid("username", "username must be 2–64 letters, digits, _ . -")
        }
        if user.role == .handler {
            guard let d = user.departmentID, platform.context.departments[d] != nil else {
                throw DomainError.invalid("departmentID", "a handler needs an existing departmentID")
            }
        }
        if user.role == .system { throw DomainError.invalid("role", "the system role is reserved") }
        if let existing = try await platform.store.user(id: user.id) {
            try await keepAnAdministrator(replacing: existing, with: user)
        }
        var hash: String?
        if let password {
            if let p = Passwords.problems(password, username: user.username).first { throw DomainError.invalid("password", p) }
            hash = platform.passwords.hash(password)
        }
        try await platform.store.saveUser(user, passwordHash: hash)
        if hash != nil { try await platform.store.deleteSessions(userID: user.id, keeping: nil) }
        cache.removeAll()
        platform.changes.send(.accounts)
    }

    /// Changes the signed-in user's own password after checking the current one; every other session of the
    /// account ends at once (the one holding `currentToken` stays).
    public func changePassword(userID: UserID, current: String, new: String, currentToken: String?) async throws {
        guard let user = try await platform.store.user(id: userID), let (_, stored) = try await platform.store.user(username: user.username),
            let stored, platform.passwords.verify(current, hash: stored)
        else {
            throw DomainError(.invalidInput, code: "auth.wrong_password", "the current password is wrong", field: "currentPassword")
        }
        if let p = Passwords.problems(new, username: user.username).first { throw DomainError.invalid("newPassword", p) }
        try await platform.store.saveUser(user, passwordHash: platform.passwords.hash(new))
        try await platform.store.deleteSessions(userID: userID, keeping: currentToken.map { SHA256Hasher.hex(Data($0.utf8)) })
        cache.removeAll()
        platform.changes.send(.accounts)
    }

    // A city with no active administrator can't be configured any more, so the last one can't step down.
    private func keepAnAdministrator(replacing old: User, with new: User) async throws {
        guard old.role == .admin, old.active, new.role != .admin || !new.active else { return }
        let others = try await platform.store.users().filter { $0.role == .admin && $0.active && $0.id != old.id }
        if others.isEmpty {
            throw DomainError(
                .conflict, code: "users.last_admin",
                "\(old.username) is the last active administrator; make another account an administrator first (最后一个管理员不能降级或停用)",
                field: "role")
        }
    }

    /// Creates a long-lived API token (an Open311 `api_key`) for a partner system's account; the token text is
    /// returned once. `text` fixes the key (the demo partner's key is the demo password); `ratePerMinute` limits it.
    public func createAPIToken(userID: UserID, label: String, ratePerMinute: Int? = nil, text: String? = nil) async throws -> String {
        guard try await platform.store.user(id: userID) != nil else { throw DomainError.notFound("user", userID.rawValue) }
        if let r = ratePerMinute, !(1...1_000_000).contains(r) {
            throw DomainError.invalid("ratePerMinute", "a rate limit is 1 to 1,000,000 requests per minute")
        }
        guard !label.isEmpty, label.count <= 100 else { throw DomainError.invalid("label", "a label has 1 to 100 characters") }
        let token = text ?? Passwords.randomToken()
        try await platform.store.saveToken(
            AccessToken(
                hash: SHA256Hasher.hex(Data(token.utf8)), userID: userID, label: label, isAPIToken: true,
                createdAt: platform.clock.now(), expiresAt: nil, ratePerMinute: ratePerMinute))
        cache.removeAll()
        platform.changes.send(.accounts)
        return token
    }

    /// Revokes every API key whose label is `label` or whose hash starts with `label` (at least 8 characters);
    /// returns how many were revoked.
    public func revokeAPITokens(matching label: String) async throws -> Int {
        let keys = try await platform.store.apiTokens().filter { $0.label == label || (label.count >= 8 && $0.hash.hasPrefix(label)) }
        for k in keys { try await platform.store.deleteToken(hash: k.hash) }
        cache.removeAll()
        platform.changes.send(.accounts)
        return keys.count
    }
}

/// A short-lived per-process cache of token → user, so intake doesn't hit storage for every request. Every removal
/// starts a new generation, and a token read from storage in an older one is not kept: a request that read a token
/// just before it was revoked must not cache it for another 30 s.
final class TokenCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (entry: (User, AccessToken), until: Date)] = [:]
    private var removals = 0

    /// The current generation, read before a token is looked up in storage.
    var generation: Int { lock.withLock { removals } }
    func get(_ hash: String, now: Date) -> (User, AccessToken)? {
        lock.withLock {
            guard let e = entries[hash], e.until > now else { return nil }
            return e.entry
        }
    }

    /// Keeps `entry` unless something was removed since `generation`.
    func put(_ hash: String, _ entry: (User, AccessToken), until: Date, readIn generation: Int) {
        lock.withLock {
            guard generation == removals else { return }
            if entries.count > 100_000 { entries.removeAll() }
            entries[hash] = (entry, until)
        }
    }

    func remove(_ hash: String) {
        lock.withLock {
            removals += 1
            entries[hash] = nil
        }
    }

    func removeAll() {
        lock.withLock {
            removals += 1
            entries.removeAll()
        }
    }
}
