import Foundation

/// A failure stated in the domain's words. The HTTP layer maps each kind to a status in one place.
public struct DomainError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of failure this is; decides the HTTP status.
    public enum Kind: String, Sendable, Codable {
        /// The input is malformed or fails a rule (400/422).
        case invalidInput
        /// The thing asked for does not exist (404).
        case notFound
        /// The caller is not signed in or the credentials are wrong (401).
        case unauthenticated
        /// The caller may not do this (403).
        case forbidden
        /// The case is not in a state that allows the action (409).
        case invalidTransition
        /// Someone else changed the record first, or a uniqueness rule was hit (409).
        case conflict
        /// The upload or body is too large (413).
        case tooLarge
        /// The upload's media type is not accepted (415).
        case unsupportedMedia
        /// The caller sent more requests than their rate limit allows (429).
        case rateLimited
        /// Stored data cannot be read back: the history was damaged outside the platform (500).
        case corrupted
    }

    /// The kind of failure.
    public var kind: Kind
    /// A stable machine-readable code, e.g. `location.outside_city`.
    public var code: String
    /// A human-readable message naming the field or state at fault.
    public var message: String
    /// The input field at fault, when there is one.
    public var field: String?
    /// For `rateLimited`: the seconds after which a retry is served (the `Retry-After` header).
    public var retryAfter: Int?

    /// Creates an error.
    public init(_ kind: Kind, code: String, _ message: String, field: String? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.field = field
    }

    /// A textual description for logs.
    public var description: String { "\(kind.rawValue) \(code): \(message)" }

    /// An invalid-input error naming the field.
    public static func invalid(_ field: String, _ message: String, code: String? = nil) -> DomainError {
        DomainError(.invalidInput, code: code ?? "invalid.\(field)", message, field: field)
    }

    /// A not-found error for the named thing.
    public static func notFound(_ what: String, _ id: String) -> DomainError {
        DomainError(.notFound, code: "\(what).not_found", "\(what) '\(id)' does not exist")
    }

    /// A forbidden error.
    public static func forbidden(_ message: String) -> DomainError {
        DomainError(.forbidden, code: "forbidden", message)
    }
}
