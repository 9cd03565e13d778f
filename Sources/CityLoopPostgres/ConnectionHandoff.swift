import Foundation
import PostgresNIO

/// A pooled connection passed from the task that leases it to the request that uses it, so the request can stop
/// waiting for a lease after a deadline (postgres-nio's pool keeps a lease request waiting while it cannot connect,
/// until its circuit breaker opens after a minute). The leasing task holds the lease until the request releases
/// it, or gives it back at once when the request stopped waiting first.
final class ConnectionHandoff: @unchecked Sendable {
    private enum State {
        case waiting
        case offered(PostgresConnection)
        case taken
        case failed(any Error)
        case released
    }

    private let lock = NSLock()
    private var state = State.waiting
    private var taker: CheckedContinuation<PostgresConnection, any Error>?
    private var lender: CheckedContinuation<Bool, Never>?

    /// From the leasing task: hands the connection over and returns when it is given back (at once when the request
    /// no longer waits for it): true when the request took it, false when it never did.
    @discardableResult
    func lend(_ connection: PostgresConnection) async -> Bool {
        await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
            lock.lock()
            switch state {
            case .waiting:
                lender = done
                if let t = taker {
                    taker = nil
                    state = .taken
                    lock.unlock()
                    t.resume(returning: connection)
                } else {
                    state = .offered(connection)
                    lock.unlock()
                }
            default:
                lock.unlock()
                done.resume(returning: false)
            }
        }
    }

    /// From the request: the connection once lent, or the error that ended the wait.
    func connection() async throws -> PostgresConnection {
        try await withCheckedThrowingContinuation { (t: CheckedContinuation<PostgresConnection, any Error>) in
            lock.lock()
            switch state {
            case .offered(let c):
                state = .taken
                lock.unlock()
                t.resume(returning: c)
            case .failed(let e):
                lock.unlock()
                t.resume(throwing: e)
            default:
                taker = t
                lock.unlock()
            }
        }
    }

    /// Ends the wait with `error` unless the request has the connection already (a connection offered meanwhile
    /// goes back to the pool).
    func fail(_ error: any Error) {
        lock.lock()
        switch state {
        case .waiting:
            state = .failed(error)
            let t = taker
            taker = nil
            lock.unlock()
            t?.resume(throwing: error)
        case .offered:
            state = .failed(error)
            let l = lender
            lender = nil
            lock.unlock()
            l?.resume(returning: false)
        default:
            lock.unlock()
        }
    }

    /// From the request: done with the connection; the lease ends.
    func release() {
        lock.lock()
        state = .released
        let l = lender
        lender = nil
        lock.unlock()
        l?.resume(returning: true)
    }
}
