import Foundation

/// Accounts and their tokens (账号与令牌).
public protocol AccountStore: Sendable {
    /// Adds or replaces an account, with its password hash when it has one (nil keeps the stored one).
    func saveUser(_ user: User, passwordHash: String?) async throws
    /// The account with this login name and its password hash.
    func user(username: String) async throws -> (User, String?)?
    /// The account with this ID.
    func user(id: UserID) async throws -> User?
    /// Every account.
    func users() async throws -> [User]
    /// Stores a token.
    func saveToken(_ token: AccessToken) async throws
    /// The token with this hash.
    func token(hash: String) async throws -> AccessToken?
    /// Removes a token.
    func deleteToken(hash: String) async throws
    /// Removes the user's sessions (not API tokens) except the one whose hash is `keeping`.
    func deleteSessions(userID: UserID, keeping: String?) async throws
    /// Every API token (not sessions).
    func apiTokens() async throws -> [AccessToken]
}

/// A bearer token: a session after sign-in, or a long-lived API token for a partner system.
public struct AccessToken: Hashable, Codable, Sendable {
    /// SHA-256 of the token text (the text itself is never stored).
    public var hash: String
    /// The user the token acts for.
    public var userID: UserID
    /// A label, e.g. `session` or the partner's name.
    public var label: String
    /// Whether it is a long-lived API token.
    public var isAPIToken: Bool
    /// When issued.
    public var createdAt: Date
    /// When it stops working; nil for no expiry.
    public var expiresAt: Date?
    /// Requests per minute an API key may make (Open311); nil for the platform's default.
    public var ratePerMinute: Int?

    /// Creates a token record.
    public init(
        hash: String, userID: UserID, label: String, isAPIToken: Bool, createdAt: Date, expiresAt: Date?, ratePerMinute: Int? = nil
    ) {
        self.ratePerMinute = ratePerMinute
        self.hash = hash
        self.userID = userID
        self.label = label
        self.isAPIToken = isAPIToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
