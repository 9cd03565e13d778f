import Foundation

/// How a store's connection pool is used right now, for `/metrics` (stores without a pool do not conform).
public protocol ConnectionPoolUse: Sendable {
    /// Connections working for a request, requests waiting for one, and the most the pool opens.
    var poolUse: (inUse: Int, waiting: Int, limit: Int) { get }
}
