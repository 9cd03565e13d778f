import CityLoopDomain
import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    /// Creates an empty database on the server of `url` (signing in with the URL's user to the URL's database),
    /// for tests and tools that need a database of their own.
    public static func createDatabase(named name: String, onServerOf url: String) async throws {
        try await administer(url, "CREATE DATABASE \(try identifier(name))")
    }

    /// Drops a database on the server of `url`, ending its connections first; nothing when it does not exist.
    public static func dropDatabase(named name: String, onServerOf url: String) async throws {
        try await administer(url, "DROP DATABASE IF EXISTS \(try identifier(name)) WITH (FORCE)")
    }

    /// A copy of `url` naming another database on the same server.
    public static func url(_ url: String, database: String) throws -> String {
        guard var c = URLComponents(string: url) else { throw StoreError(.badURL, "database URL '\(PostgresLocation.redacted(url))' cannot be read") }
        c.path = "/" + database
        guard let out = c.string else { throw StoreError(.badURL, "database URL '\(PostgresLocation.redacted(url))' cannot be read") }
        return out
    }

    private static func administer(_ url: String, _ sql: String) async throws {
        let location = try PostgresLocation(url)
        let logger = Logger(label: "cityloop.postgres.admin")
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: try location.connectionConfiguration(), id: 0, logger: logger)
        } catch {
            throw openingError(error, location)
        }
        do {
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
        } catch {
            try? await connection.close()
            throw StoreError(.server, "\(sql) failed on \(location.displayText): \(describe(error))")
        }
        try await connection.close()
    }

    /// A database name as a quoted identifier; only letters, digits and underscores are accepted.
    private static func identifier(_ name: String) throws -> String {
        guard !name.isEmpty, name.count <= 63, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw StoreError(.badURL, "'\(name)' is not a database name CityLoop creates (letters, digits and _ only, at most 63)")
        }
        return "\"\(name)\""
    }
}
