import Foundation

/// Cases encoded by a store's `prepare`, for that store's `load`.
public protocol PreparedCases: Sendable {
    /// How many cases.
    var count: Int { get }
}

/// Loading many cases with their history at once (the demo city, bulk import, copying a city).
public protocol BulkLoadStore: Sendable {
    /// Encodes cases and their events the way the store keeps them, with what they add to the kept sums
    /// (`CaseDelta`), without touching storage: pure work that callers run on their own tasks while an earlier
    /// batch is being written (see `load(_:)`).
    func prepare(_ cases: [(CaseRecord, [CaseEvent])]) -> any PreparedCases
    /// Writes prepared cases in one transaction; numbers must be set. Live numbering continues after the loaded
    /// numbers.
    func load(_ prepared: any PreparedCases) async throws
    /// Runs `body`, which loads cases with `load(_:)`, as one bulk load. Into a store without cases, a store
    /// may build its secondary indexes once at the end instead of row by row; they are complete when this returns.
    func withBulkLoad(_ body: () async throws -> Void) async throws
}

extension BulkLoadStore {
    /// Runs `body` as it is: nothing to defer.
    public func withBulkLoad(_ body: () async throws -> Void) async throws { try await body() }

    /// Loads many cases with their events at once (demo and bulk import); numbers must be set.
    public func bulkLoad(_ cases: [(CaseRecord, [CaseEvent])]) async throws {
        try await load(prepare(cases))
    }
}
