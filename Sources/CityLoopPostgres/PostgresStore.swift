import CityLoopDomain
import Foundation
import Logging
import PostgresNIO

/// The storage contract on a PostgreSQL server, through postgres-nio's pooled client. Records are stored as JSON
/// text with the columns that queries filter on beside them, times as milliseconds since 1970 (`bigint`), codes in
/// the "C" collation so that prefix ranges and orderings match the SQLite store byte for byte. Case writes take a
/// transaction-scoped advisory lock: the city ledger is one chain, and its head is read and extended in the
/// transaction that writes the events.
public final class PostgresStore: Sendable {
    let client: PostgresClient
    private let runner: Task<Void, Never>
    /// Where the database is (without the password).
    public let location: PostgresLocation
    let encoder: JSONEncoder
    let decoder: JSONDecoder
    let logger: Logger
    /// Requests holding or waiting for a pooled connection (`/metrics`).
    let pool = PoolGauge()
    /// Group commit of new cases.
    let intake = GroupCommit<PostgresNewCase, CaseCreation>()
    /// The next intake batch's transaction, begun while this one is written.
    let intakeAhead = TransactionAhead()
    /// The connection this node's leadership locks live on.
    let leaderSession: PostgresLeaderSession
    /// Change notices on their way to the other nodes (`publish`).
    let outgoingNotices = NoticeQueue()

    /// Opens the database at `url`: checks that the server answers and accepts the sign-in, starts the
    /// connection pool, refuses a schema newer than this CityLoop knows, and applies pending migrations unless
    /// `migrate` is false (`cityloop migrate --dry-run` lists them instead).
    public init(url: String, migrate: Bool = true, logger: Logger = Logger(label: "cityloop.postgres")) async throws {
        let location = try PostgresLocation(url)
        self.location = location
        self.logger = logger
        leaderSession = PostgresLeaderSession(location: location, logger: logger)
        try await Self.probe(location, logger: logger)
        // The pool warns when a lease comes before its run task has started, which is harmless here; its
        // connection failures reach the caller as query errors.
        var background = logger
        background.logLevel = max(logger.logLevel, .error)
        let client = PostgresClient(configuration: try location.clientConfiguration(), backgroundLogger: background)
        self.client = client
        runner = Task { await client.run() }
        let enc = JSONEncoder()
        enc.dateEncodingStrategy = .millisecondsSince1970
        encoder = enc
        let dec = JSONDecoder()
        dec.dateDecodingStrategy = .millisecondsSince1970
        decoder = dec
        do {
            if migrate {
                _ = try await self.migrate()
                try await restoreDeferredIndexes()
            } else {
                try await checkSchemaKnown()
            }
        } catch {
            close()
            throw error
        }
    }

    /// Stops the connection pool and ends the leadership session (another node takes the tasks this one led);
    /// the store cannot be used afterwards.
    public func close() {
        intakeAhead.drop()
        runner.cancel()
        Task { [leaderSession] in await leaderSession.close() }
    }

    /// Connects once, outside the pool, so that a wrong URL, password or database is told at once and plainly
    /// (the pool would keep retrying in the background while the caller waits).
    static func probe(_ location: PostgresLocation, logger: Logger) async throws {
        do {
            let connection = try await PostgresConnection.connect(
                configuration: try location.connectionConfiguration(), id: 0, logger: logger)
            try await connection.close()
        } catch {
            throw openingError(error, location)
        }
    }

    /// A one-line error for a failure to connect or sign in.
    static func openingError(_ error: any Error, _ location: PostgresLocation) -> StoreError {
        if let e = error as? StoreError { return e }
        let at = location.displayText
        guard let p = error as? PSQLError else {
            return StoreError(.unreachable, "cannot reach PostgreSQL at \(at): \(error)")
        }
        let state = p.serverInfo?[.sqlState]
        let message = p.serverInfo?[.message] ?? ""
        switch state {
        case "28P01", "28000":
            return StoreError(.authentication, "PostgreSQL at \(at) refused user '\(location.username)': \(message)")
        case "3D000":
            return StoreError(.missingDatabase, "PostgreSQL at \(at) has no database '\(location.database)': create it first")
        case .some:
            return StoreError(.server, "PostgreSQL at \(at) refused the connection: \(message)")
        case nil:
            if p.code == .authMechanismRequiresPassword {
                return StoreError(.authentication, "PostgreSQL at \(at) asks user '\(location.username)' for a password; put it in the URL")
            }
            let cause = p.underlying.map { "\($0)" } ?? "\(p.code)"
            return StoreError(.unreachable, "cannot reach PostgreSQL at \(at): \(cause)")
        }
    }

    // MARK: Running SQL

    /// Runs `body` in one transaction on a pooled connection: committed when it returns, rolled back when it
    /// throws (the error as thrown, not wrapped).
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await Self.telling { try await self.transactionOnce(body) }
    }

    private func transactionOnce<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await withConnection { connection in
            try await run("BEGIN", on: connection)
            do {
                let value = try await body(connection)
                try await run("COMMIT", on: connection)
                return value
            } catch {
                // A closed connection's transaction has ended on the server already.
                if !connection.isClosed { try? await run("ROLLBACK", on: connection) }
                throw error
            }
        }
    }

    /// The rows of a query on any pooled connection.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await Self.telling { try await withConnection { c in try await self.rows(query, on: c) } }
    }

    /// How long a request waits for a pooled connection before the server is asked whether it answers at all; when
    /// it does not, the request is told the database is unavailable (503), and when it does, the request waits at
    /// most two deadlines more. While the server is down the pool cannot connect, and it would keep a request waiting
    /// until its circuit breaker opens after a minute; the pool keeps trying in the background and serves again once
    /// the server is back.
    static let leaseDeadline: Duration = .seconds(5)

    /// Runs `body` on a pooled connection, waiting at most `leaseDeadline` for one; a lease the pool refuses (its
    /// circuit breaker open, the pool closed) is `StoreError(.unavailable)` too.
    func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let handoff = ConnectionHandoff()
        let holder = Task { [client] in
            do {
                _ = try await client.withConnection { c in await handoff.lend(c) }
            } catch {
                handoff.fail(error)
            }
        }
        // A lease that takes longer than the deadline is given up at once when the server does not answer a
        // connection of its own; when it does, the request waits up to three deadlines: a pool that is busy (a burst)
        // serves it soon, and one that is reconnecting after an outage may wait out a backoff of up to a minute
        // (postgres-nio's, not configurable), longer than a client waits.
        let timer = Task { [location, logger] in
            try await Task.sleep(for: Self.leaseDeadline)
            var waits = 1
            while waits < 3, await Self.answers(location, logger: logger) {
                try await Task.sleep(for: Self.leaseDeadline)
                waits += 1
            }
            let why = waits < 3 ? "not reachable (no connection within \(Self.leaseDeadline))" : "busy or reconnecting (no free connection within \(Self.leaseDeadline * 3))"
            handoff.fail(StoreError(.unavailable, "the database is \(why); try again"))
            holder.cancel()
        }
        let connection: PostgresConnection
        pool.wait()
        do {
            connection = try await withTaskCancellationHandler {
                try await handoff.connection()
            } onCancel: {
                handoff.fail(CancellationError())
                holder.cancel()
            }
            timer.cancel()
            pool.leased(true)
        } catch {
            timer.cancel()
            pool.leased(false)
            if error is StoreError || error is CancellationError { throw error }
            if let p = error as? PSQLError, !Self.isConnectionLoss(p) { throw p }
            throw StoreError(.unavailable, "the database is not reachable (\(Self.reason(error))); try again")
        }
        defer {
            handoff.release()
            pool.released()
        }
        return try await body(connection)
    }

    /// Whether the server takes a new connection now (outside the pool).
    static func answers(_ location: PostgresLocation, logger: Logger) async -> Bool {
        guard var configuration = try? location.connectionConfiguration() else { return false }
        configuration.options.connectTimeout = .seconds(2)
        guard let c = try? await PostgresConnection.connect(configuration: configuration, id: 2, logger: logger) else { return false }
        try? await c.close()
        return true
    }

    /// A lease failure in a few words.
    static func reason(_ error: any Error) -> String {
        guard let p = error as? PSQLError else { return "\(error)" }
        return p.serverInfo?[.message] ?? p.underlying.map { "\($0)" } ?? "\(p.code)"
    }

    /// Runs `body`, turning a lost or refused connection into `StoreError.unavailable` (an HTTP 503 the client may
    /// retry; the pool reconnects by itself). Other errors pass as they are.
    static func telling<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let e as PSQLError where isConnectionLoss(e) {
            throw StoreError(.unavailable, "the database is not reachable (\(e.serverInfo?[.message] ?? "\(e.code)")); try again")
        }
    }

    /// Whether an error means the connection went away or the server cannot take work now (SQLSTATE class 08
    /// connection exception, 57P01–57P03 shutdown or starting up), rather than a problem with the statement.
    static func isConnectionLoss(_ e: PSQLError) -> Bool {
        if let state = e.serverInfo?[.sqlState] { return state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state) }
        return [.serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown, .poolClosed].contains(e.code)
    }

    /// The rows of a query on this connection (`StoreError(.unavailable)` once the connection is closed).
    func rows(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [PostgresRow] {
        try await ClosedConnectionGuard.run([query], on: connection, logger: logger)[0].rows
    }

    /// The rows of several queries sent together on this connection (see `ClosedConnectionGuard.run`): each is sent
    /// as soon as the one before is answered, without a round trip through this process in between.
    func rows(_ queries: [PostgresQuery], on connection: PostgresConnection) async throws -> [[PostgresRow]] {
        try await ClosedConnectionGuard.run(queries, on: connection, logger: logger).map(\.rows)
    }

    /// Runs a statement on this connection (`StoreError(.unavailable)` once the connection is closed).
    func run(_ query: PostgresQuery, on connection: PostgresConnection) async throws {
        _ = try await rows(query, on: connection)
    }

    /// Decodes the first column of each row as JSON of `T`.
    func decodeAll<T: Decodable>(_ t: T.Type, _ rows: [PostgresRow]) throws -> [T] {
        try rows.map { try decode(T.self, try $0.decode(String.self)) }
    }

    func json(_ v: some Encodable) throws -> String { String(decoding: try encoder.encode(v), as: UTF8.self) }
    /// A case record's stored JSON (the hand-written writer the SQLite store uses too).
    func json(_ c: CaseRecord) -> String { JSONText.text(c, dates: .millisecondsSince1970) }
    func decode<T: Decodable>(_ t: T.Type, _ text: String) throws -> T { try decoder.decode(T.self, from: Data(text.utf8)) }

    static func ms(_ d: Date) -> Int64 { Int64((d.timeIntervalSince1970 * 1000).rounded()) }
    static func ms(optional d: Date?) -> Int64? { d.map(ms) }
    /// A query bound in milliseconds, rounded up (stored times are whole milliseconds; see `SQLiteStore.boundMs`).
    static func boundMs(_ d: Date) -> Int64 { Int64((d.timeIntervalSince1970 * 1000).rounded(.up)) }
    static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }
    static func date(optional ms: Int64?) -> Date? { ms.map(date) }

    /// Whether an error is PostgreSQL's unique violation.
    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }

    /// Executes raw SQL; for tests that tamper with stored data.
    public func executeForTesting(_ sql: String) async throws {
        _ = try await withConnection { c in try await self.rows(PostgresQuery(unsafeSQL: sql), on: c) }
    }
}
