import CityLoopDomain
import Foundation
import PostgresNIO

/// A statement on a connection that the server may close at any moment. postgres-nio hands a statement to a closed
/// connection's channel without a promise, and it is never answered (its caller would wait forever: a transaction
/// that sends `ROLLBACK` after the server went away, or a batch of reports whose next statement meets a connection
/// just closed). So the statement runs as a task of its own, and a watcher that looks at the connection every
/// second answers in its place once the connection is closed; the stuck statement is left behind (it holds no
/// lease: the pool has dropped the closed connection).
enum ClosedConnectionGuard {
    /// How often a running statement's connection is looked at.
    static let interval: Duration = .seconds(1)

    /// The error a statement on a closed connection gets (HTTP 503; the client may retry).
    static var lost: StoreError { StoreError(.unavailable, "the database closed the connection; try again") }

    /// Runs `work` (a statement on `connection`) unless the connection is closed, or closes before it is answered.
    static func run<T: Sendable>(on connection: PostgresConnection, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        guard !connection.isClosed else { throw lost }
        let answer = Answer<T>()
        return try await withCheckedThrowingContinuation { continuation in
            answer.wait(continuation)
            let statement = Task { answer.give(await Result { try await work() }) }
            answer.watcher = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    if connection.isClosed {
                        answer.give(.failure(lost))
                        statement.cancel()
                        return
                    }
                }
            }
        }
    }

    /// The first outcome of a statement or its watcher, given once.
    private final class Answer<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<T, any Error>?
        private var early: Result<T, any Error>?
        private var watching: Task<Void, Never>?
        private var done = false

        var watcher: Task<Void, Never>? {
            get { lock.withLock { watching } }
            set {
                let cancel = lock.withLock { () -> Bool in
                    watching = newValue
                    return done
                }
                if cancel { newValue?.cancel() }
            }
        }

        func wait(_ c: CheckedContinuation<T, any Error>) {
            let now = lock.withLock { () -> Result<T, any Error>? in
                continuation = c
                return early
            }
            if let now { c.resume(with: now) }
        }

        func give(_ outcome: Result<T, any Error>) {
            let (c, w) = lock.withLock { () -> (CheckedContinuation<T, any Error>?, Task<Void, Never>?) in
                guard !done else { return (nil, nil) }
                done = true
                guard let c = continuation else {
                    early = outcome
                    return (nil, watching)
                }
                continuation = nil
                return (c, watching)
            }
            w?.cancel()
            c?.resume(with: outcome)
        }
    }
}
