import CityLoopDomain
import Foundation
import PostgresNIO

/// Intake's transactions begun one batch ahead (per node). Leasing a pooled connection and sending `BEGIN` took a
/// third of a batch's time on a node busy serving HTTP (the lease passes through tasks that wait for a free thread),
/// and batches are written one after another; so while one batch is written, the next one's connection is leased
/// and its transaction begun. `BEGIN` takes no lock and, in READ COMMITTED, no snapshot: the transaction sees what
/// was committed before its first statement, as one begun later would. A transaction that no batch takes within
/// `idle` is rolled back and its connection returned to the pool.
final class TransactionAhead: @unchecked Sendable {
    /// How long a transaction begun ahead waits for a batch.
    static let idle: Duration = .seconds(1)

    private let lock = NSLock()
    private var next: Opened?

    /// A transaction being begun, or begun, on a leased connection.
    final class Opened: Sendable {
        let handoff = ConnectionHandoff()

        init(_ store: PostgresStore) {
            let handoff = handoff
            Task {
                do {
                    try await store.withConnection { c in
                        try await store.run("BEGIN", on: c)
                        let taken = await handoff.lend(c)
                        // Not taken: the transaction is still open, and the pool must get the connection back idle.
                        if !taken, !c.isClosed { try? await store.run("ROLLBACK", on: c) }
                    }
                } catch {
                    handoff.fail(error)
                }
            }
            Task {
                try? await Task.sleep(for: TransactionAhead.idle)
                handoff.fail(CancellationError())
            }
        }
    }

    /// The transaction begun for this batch (begun now when none was ahead), and the next one begun ahead.
    func take(_ store: PostgresStore) -> Opened {
        let ahead = Opened(store)
        let mine = lock.withLock {
            let mine = next
            next = ahead
            return mine
        }
        return mine ?? Opened(store)
    }

    /// Gives back the transaction begun ahead (the store is closing).
    func drop() {
        lock.withLock {
            let n = next
            next = nil
            return n
        }?.handoff.fail(CancellationError())
    }
}

extension PostgresStore {
    /// Runs `body` in an intake transaction: one begun ahead when there is one (see `TransactionAhead`), else one
    /// begun now. `body` ends it: its last statement goes with `COMMIT` (see `rows(_:on:)` with several queries), so
    /// that the commit costs no round trip of its own. Rolled back when `body` throws.
    func intakeTransaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let opened = intakeAhead.take(self)
        let connection: PostgresConnection
        do {
            connection = try await Self.telling { try await opened.handoff.connection() }
        } catch is CancellationError {
            // Begun ahead too long ago (rolled back): one begun now.
            return try await withConnection { connection in
                try await run("BEGIN", on: connection)
                return try await ending(on: connection, body)
            }
        }
        defer { opened.handoff.release() }
        return try await ending(on: connection, body)
    }

    /// `body` in the transaction open on `connection`, rolled back when it throws.
    private func ending<T: Sendable>(on connection: PostgresConnection, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await Self.telling {
            do {
                return try await body(connection)
            } catch {
                if !connection.isClosed { try? await run("ROLLBACK", on: connection) }
                throw error
            }
        }
    }
}
