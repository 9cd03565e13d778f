import CityLoopDomain
import Foundation
import PostgresNIO

/// Where a PostgreSQL database is and how to sign in, read from a URL:
/// `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]`; `postgresql://` works too,
/// and `?host=/path/to/dir` connects through the server's unix socket in that folder (libpq's convention).
public struct PostgresLocation: Sendable, Equatable {
    /// How the connection uses TLS (libpq's `sslmode`).
    public enum TLSMode: String, Sendable {
        /// Never.
        case disable
        /// When the server offers it (libpq's default).
        case prefer
        /// Always; the connection fails without it.
        case require
    }

    /// The host name or address; nil when connecting through a unix socket.
    public var host: String?
    /// The TCP port.
    public var port: Int
    /// The unix socket's path, when connecting through one.
    public var socketPath: String?
    /// The user name.
    public var username: String
    /// The password, if any.
    public var password: String?
    /// The database name.
    public var database: String
    /// TLS use.
    public var tls: TLSMode

    /// Reads a URL; throws `StoreError.badURL` naming what is wrong.
    public init(_ text: String) throws {
        func bad(_ why: String) -> StoreError {
            StoreError(.badURL, "database URL '\(Self.redacted(text))' \(why) (expected postgres://user[:password]@host[:port]/database)")
        }
        guard let c = URLComponents(string: text) else { throw bad("cannot be read") }
        guard let scheme = c.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw bad("must start with postgres://")
        }
        let query = Dictionary((c.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let known: Set<String> = ["sslmode", "host", "port", "user", "password", "application_name", "connect_timeout"]
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) { throw bad("has an unknown parameter '\(unknown)'") }
        let database = String(c.percentEncodedPath.drop(while: { $0 == "/" })).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else { throw bad("names no database") }
        self.database = database
        guard let user = (c.percentEncodedUser?.removingPercentEncoding ?? query["user"]), !user.isEmpty else {
            throw bad("names no user")
        }
        username = user
        password = c.percentEncodedPassword?.removingPercentEncoding ?? query["password"]
        if let p = c.port ?? query["port"].flatMap({ Int($0) }) {
            guard (1...65535).contains(p) else { throw bad("has port \(p) outside 1–65535") }
            port = p
        } else if query["port"] != nil {
            throw bad("has a port that is not a number")
        } else {
            port = 5432
        }
        let hostParameter = query["host"].flatMap { $0.isEmpty ? nil : $0 }
        if let h = hostParameter, h.hasPrefix("/") {
            socketPath = h + "/.s.PGSQL.\(port)"
            host = nil
        } else if let h = c.host.flatMap({ $0.isEmpty ? nil : $0 }) ?? hostParameter {
            host = h.hasPrefix("[") && h.hasSuffix("]") ? String(h.dropFirst().dropLast()) : h
            socketPath = nil
        } else {
            throw bad("names no host")
        }
        switch query["sslmode"] ?? "prefer" {
        case "disable": tls = .disable
        case "allow", "prefer": tls = .prefer
        case "require", "verify-ca", "verify-full": tls = .require
        case let other: throw bad("has an unknown sslmode '\(other)'")
        }
    }

    /// The URL without its password, for messages and logs.
    public var displayText: String {
        let at = socketPath.map { "socket \($0)" } ?? "\(host ?? ""):\(port)"
        return "postgres://\(username)@\(at)/\(database)"
    }

    /// The same server with another database (tests create and drop databases through it).
    public func with(database: String) -> PostgresLocation {
        var l = self
        l.database = database
        return l
    }

    /// A URL's text with any password replaced by `***`.
    public static func redacted(_ text: String) -> String {
        guard let c = URLComponents(string: text), c.password != nil else { return text }
        var r = c
        r.password = "***"
        return r.string ?? "postgres://…"
    }

    /// The pooled client's configuration.
    func clientConfiguration() throws -> PostgresClient.Configuration {
        var config: PostgresClient.Configuration
        if let socketPath {
            config = .init(unixSocketPath: socketPath, username: username, password: password, database: database)
        } else {
            let tls: PostgresClient.Configuration.TLS
            switch self.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(.makeClientConfiguration())
            case .require: tls = .require(.makeClientConfiguration())
            }
            config = .init(host: host ?? "localhost", port: port, username: username, password: password, database: database, tls: tls)
        }
        config.options.maximumConnections = Self.maximumConnections
        config.options.connectTimeout = .seconds(10)
        return config
    }

    /// The most connections a node's pool opens.
    static let maximumConnections = 16

    /// A single connection's configuration (opening checks the server with one before starting the pool).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        if let socketPath {
            return .init(unixSocketPath: socketPath, username: username, password: password, database: database)
        }
        let tls: PostgresConnection.Configuration.TLS
        switch self.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var config = PostgresConnection.Configuration(
            host: host ?? "localhost", port: port, username: username, password: password, database: database, tls: tls)
        config.options.connectTimeout = .seconds(10)
        return config
    }
}
