import CityLoopDomain
import Foundation
import PostgresNIO

/// Statements on a connection that the server may close at any moment. postgres-nio hands a statement to a closed
/// connection's channel without a promise, and it is never answered (its caller would wait forever: a transaction
/// that sends `ROLLBACK` after the server went away, or a batch of reports whose next statement meets a connection
/// just closed). So every statement's answer is a promise of our own, completed by the statement or, once the
/// connection's channel closes, failed with `lost`. One close callback per connection answers all its statements
/// (no task or timer per statement); a statement that is never answered is kept (`stuck`), as NIO stops a debug
/// build on an unfulfilled promise that goes away.
enum ClosedConnectionGuard {
    /// The error a statement on a closed connection gets (HTTP 503; the client may retry).
    static var lost: StoreError { StoreError(.unavailable, "the database closed the connection; try again") }

    /// Sends `queries` to `connection` one after another without waiting in between (postgres-nio queues them and
    /// sends each when the one before is answered) and returns their answers in order; the first failure is thrown.
    /// Later queries run even when an earlier one fails: in a transaction they then fail too (the transaction is
    /// aborted), and a `COMMIT` answers `ROLLBACK`.
    static func run(_ queries: [PostgresQuery], on connection: PostgresConnection, logger: Logger) async throws -> [PostgresQueryResult] {
        guard !connection.isClosed else { throw lost }
        let answers = queries.map { _ in connection.eventLoop.makePromise(of: PostgresQueryResult.self) }
        let key = watch.add(connection, answers)
        defer { watch.done(answers, key: key) }
        let sent = queries.map { connection.query($0, logger: logger) }
        for (statement, answer) in zip(sent, answers) {
            watch.hold(statement, key: key)
            statement.whenComplete { outcome in
                watch.release(statement, key: key)
                answer.completeWith(outcome)
            }
        }
        // A promise completed twice keeps its first outcome: the statement's, or `lost` from the close callback.
        var out: [PostgresQueryResult] = []
        for answer in answers { out.append(try await answer.futureResult.get()) }
        return out
    }

    /// The statements waiting for an answer, by connection.
    private static let watch = Watch()

    private final class Watch: @unchecked Sendable {
        struct Key: Hashable, Sendable {
            var connection: ObjectIdentifier
            var number: Int
        }

        private struct Connection {
            var waiting: [ObjectIdentifier: EventLoopPromise<PostgresQueryResult>] = [:]
            var running: [ObjectIdentifier: EventLoopFuture<PostgresQueryResult>] = [:]
        }

        private struct State {
            var connections: [ObjectIdentifier: Connection] = [:]
            /// A connection's number, so that a new connection at the address of a closed one is another key.
            var numbers: [ObjectIdentifier: Int] = [:]
            var nextNumber = 0
            /// Statements of closed connections still unanswered.
            var stuck: [ObjectIdentifier: EventLoopFuture<PostgresQueryResult>] = [:]
        }

        private let lock = NSLock()
        private var state = State()

        private func withState<T>(_ body: (inout State) -> T) -> T {
            lock.lock()
            defer { lock.unlock() }
            return body(&state)
        }

        /// Registers the answers of statements about to be sent; the first statement on a connection adds the
        /// connection's close callback.
        func add(_ connection: PostgresConnection, _ answers: [EventLoopPromise<PostgresQueryResult>]) -> Key {
            let id = ObjectIdentifier(connection)
            let (key, isNew) = withState { s -> (Key, Bool) in
                let isNew = s.numbers[id] == nil
                if isNew {
                    s.numbers[id] = s.nextNumber
                    s.nextNumber += 1
                }
                let key = Key(connection: id, number: s.numbers[id]!)
                for a in answers { s.connections[id, default: Connection()].waiting[ObjectIdentifier(a.futureResult)] = a }
                return (key, isNew)
            }
            if isNew { connection.closeFuture.whenComplete { _ in self.closed(key) } }
            return key
        }

        func hold(_ statement: EventLoopFuture<PostgresQueryResult>, key: Key) {
            withState { s in
                if s.numbers[key.connection] == key.number {
                    s.connections[key.connection, default: Connection()].running[ObjectIdentifier(statement)] = statement
                } else {
                    s.stuck[ObjectIdentifier(statement)] = statement
                }
            }
        }

        func release(_ statement: EventLoopFuture<PostgresQueryResult>, key: Key) {
            withState { s in
                let id = ObjectIdentifier(statement)
                if s.stuck.removeValue(forKey: id) == nil, s.numbers[key.connection] == key.number {
                    s.connections[key.connection]?.running[id] = nil
                }
            }
        }

        func done(_ answers: [EventLoopPromise<PostgresQueryResult>], key: Key) {
            withState { s in
                guard s.numbers[key.connection] == key.number else { return }
                for a in answers { s.connections[key.connection]?.waiting[ObjectIdentifier(a.futureResult)] = nil }
            }
        }

        /// The connection closed: every statement still waiting is answered with `lost`, and those unanswered are
        /// kept until postgres-nio answers them, if ever.
        private func closed(_ key: Key) {
            let waiting = withState { s -> [EventLoopPromise<PostgresQueryResult>] in
                guard s.numbers[key.connection] == key.number else { return [] }
                s.numbers[key.connection] = nil
                let c = s.connections.removeValue(forKey: key.connection) ?? Connection()
                s.stuck.merge(c.running) { a, _ in a }
                return Array(c.waiting.values)
            }
            for w in waiting { w.fail(lost) }
        }
    }
}
