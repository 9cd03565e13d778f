import Foundation

/// Why a PostgreSQL store could not be opened or used: one line a person can act on, never a stack trace.
public struct PostgresStoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, as a stable code.
    public enum Code: String, Sendable {
        /// The database URL cannot be read.
        case badURL = "database.bad_url"
        /// No PostgreSQL server answers at the URL's host and port (or socket).
        case unreachable = "database.unreachable"
        /// The server refused the user name or password.
        case authentication = "database.authentication"
        /// The URL names a database the server does not have.
        case missingDatabase = "database.missing"
        /// The database holds a schema migrated by a newer CityLoop than this one.
        case schemaTooNew = "database.schema_too_new"
        /// A stored migration differs from the one this CityLoop ships under the same number.
        case migrationChanged = "database.migration_changed"
        /// The server answered with an error the store did not expect.
        case server = "database.error"
    }

    /// The kind of failure.
    public var code: Code
    /// The one-line message.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
