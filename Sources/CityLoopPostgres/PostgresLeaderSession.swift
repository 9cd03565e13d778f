import CityLoopDomain
import Foundation
import Logging
import PostgresNIO

/// The one connection, outside the pool, on which a node holds its leadership: a session-level advisory lock per
/// task. The server releases a session's locks the moment the session ends (the process died, the connection
/// broke, `pg_terminate_backend`), so another node's next attempt takes the task; and a node that finds its
/// session gone stops leading until it wins the lock again on a new one.
actor PostgresLeaderSession {
    private let location: PostgresLocation
    private let logger: Logger
    private var connection: PostgresConnection?
    private var held: Set<String> = []
    private var closed = false

    init(location: PostgresLocation, logger: Logger) {
        self.location = location
        self.logger = logger
    }

    /// Class of the two-part advisory lock keys ("CL"); the second part is the task's name hashed. The migration
    /// lock is a one-part key, which PostgreSQL keeps apart from two-part ones.
    static let lockClass: Int32 = 0x434C

    /// A stable 32-bit key for a task name (FNV-1a).
    static func key(_ task: String) -> Int32 {
        var hash: UInt32 = 2_166_136_261
        for byte in task.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return Int32(bitPattern: hash)
    }

    /// Takes the task's lock unless another session holds it, or checks that this session, which holds it, lives.
    func tryLead(_ task: String) async throws -> Bool {
        guard !closed else { return false }
        do {
            let c = try await session()
            if held.contains(task) {
                _ = try await c.query("SELECT 1", logger: logger).collect()
                return true
            }
            let got = try await c.query("SELECT pg_try_advisory_lock(\(Self.lockClass), \(Self.key(task)))", logger: logger)
                .collect().first?.decode(Bool.self) ?? false
            if got { held.insert(task) }
            return got
        } catch {
            // The session is gone or unusable, and the server has let go of its locks (or will, when it notices).
            drop()
            throw StoreError(.unavailable, "leadership session lost: \(Self.reason(error))")
        }
    }

    /// Lets go of the task's lock.
    func resign(_ task: String) async throws {
        guard held.remove(task) != nil, let connection else { return }
        do {
            _ = try await connection.query("SELECT pg_advisory_unlock(\(Self.lockClass), \(Self.key(task)))", logger: logger).collect()
        } catch {
            drop()
        }
    }

    /// Ends the session (every lock with it); later attempts lead nothing.
    func close() async {
        closed = true
        held.removeAll()
        if let c = connection {
            connection = nil
            try? await c.close()
        }
    }

    /// The open session, or a new one when there was none. A session found ended is reported (this attempt leads
    /// nothing) and replaced at the next attempt, so the other nodes' attempts in between can take its tasks.
    private func session() async throws -> PostgresConnection {
        if let connection {
            guard connection.isClosed else { return connection }
            drop()
            throw StoreError(.unavailable, "the session ended")
        }
        let c = try await PostgresConnection.connect(configuration: try location.connectionConfiguration(), id: 1, logger: logger)
        connection = c
        return c
    }

    private func drop() {
        held.removeAll()
        if let c = connection {
            connection = nil
            Task { try? await c.close() }
        }
    }

    static func reason(_ error: any Error) -> String {
        guard let p = error as? PSQLError else { return "\(error)" }
        return p.serverInfo?[.message] ?? p.underlying.map { "\($0)" } ?? "\(p.code)"
    }
}
