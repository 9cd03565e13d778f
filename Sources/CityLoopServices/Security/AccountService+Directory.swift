import CityLoopDomain
import Foundation

/// An account as an administrator creates or changes it (by username).
public struct UserInput: Codable, Sendable {
    /// The login name; an existing one is updated.
    public var username: String
    /// The name shown.
    public var displayName: String
    /// The role.
    public var role: Role
    /// A handler's department.
    public var departmentID: DepartmentID?
    /// An inspector's or operator's grid scopes.
    public var gridScopes: [String]?
    /// The phone number.
    public var phone: String?
    /// A new password (required for a new account).
    public var password: String?
    /// Whether the account may sign in (default true).
    public var active: Bool?
}

extension AccountService {
    /// The account with this ID; `notFound` otherwise.
    public func user(id: UserID) async throws -> User {
        guard let user = try await platform.store.user(id: id) else { throw DomainError.notFound("user", id.rawValue) }
        return user
    }

    /// Every account.
    public func users() async throws -> [User] { try await platform.store.users() }

    /// Creates the account named by `input.username`, or updates it (keeping its ID); a new account needs a
    /// password. Returns the account and whether it was created.
    public func saveUser(_ input: UserInput) async throws -> (user: User, created: Bool) {
        let existing = try await platform.store.user(username: input.username)?.0
        if existing == nil, input.password == nil { throw DomainError.invalid("password", "a new account needs a password") }
        let user = User(
            id: existing?.id ?? UserID(platform.ids.next()), username: input.username, displayName: input.displayName,
            role: input.role, departmentID: input.departmentID, gridScopes: input.gridScopes ?? [], phone: input.phone,
            active: input.active ?? true)
        try await saveUser(user, password: input.password)
        return (user, existing == nil)
    }

    /// Creates an API token for the account named `username` (see `createAPIToken(userID:label:ratePerMinute:text:)`).
    public func createAPIToken(username: String, label: String?, ratePerMinute: Int?) async throws -> String {
        guard let (user, _) = try await platform.store.user(username: username) else {
            throw DomainError.invalid("username", "username of an existing account is required")
        }
        return try await createAPIToken(userID: user.id, label: label ?? username, ratePerMinute: ratePerMinute)
    }

    /// Sign-in attempts, newest first (登录审计), at most `limit` (1–10,000).
    public func recentLoginAttempts(limit: Int) async throws -> [LoginAttempt] {
        guard (1...10_000).contains(limit) else { throw DomainError.invalid("limit", "limit is a number from 1 to 10000") }
        return try await platform.store.recentLoginAttempts(limit: limit)
    }
}
