import Foundation

/// Why a store cannot be opened or used, in one line for the operator (never a stack trace).
public struct StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public enum Kind: String, Sendable {
        /// The database URL cannot be read.
        case badURL
        /// The database server cannot be reached.
        case unreachable
        /// The server refused the user or password.
        case authentication
        /// The database named in the URL does not exist.
        case missingDatabase
        /// The database was migrated by a newer CityLoop than this one.
        case schemaTooNew
        /// The database went away while in use (the request may be tried again).
        case unavailable
        /// A stored migration differs from the one this CityLoop ships under the same number.
        case migrationChanged
        /// The server answered with an error the store did not expect.
        case server
    }

    /// What went wrong.
    public var kind: Kind
    /// The message shown.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
