import CityLoopDomain
import Foundation

/// Counts the store's requests holding a pooled connection and those waiting for one.
final class PoolGauge: @unchecked Sendable {
    private let lock = NSLock()
    private var inUse = 0
    private var waiting = 0

    /// A request starts waiting.
    func wait() { lock.withLock { waiting += 1 } }
    /// A waiting request got its connection (`true`) or gave up.
    func leased(_ got: Bool) {
        lock.withLock {
            waiting -= 1
            if got { inUse += 1 }
        }
    }
    /// A request gave its connection back.
    func released() { lock.withLock { inUse -= 1 } }
    /// The counts now.
    var counts: (inUse: Int, waiting: Int) { lock.withLock { (inUse, waiting) } }
}

extension PostgresStore: ConnectionPoolUse {
    /// The pool's use now (this node's store).
    public var poolUse: (inUse: Int, waiting: Int, limit: Int) {
        let c = pool.counts
        return (c.inUse, c.waiting, PostgresLocation.maximumConnections)
    }
}
