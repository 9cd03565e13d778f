import Foundation

/// Storage of cases and their history. Implementations: in-memory (tests), SQLite, PostgreSQL.
/// All must pass the same conformance suite.
public protocol CaseStore: Sendable {
    /// Stores a new case and its first event, assigning its number as `numberPrefix` + a daily sequence.
    /// When the same reporting account (the first reporter's user) already sent a case with the same
    /// `clientRequestID`, stores nothing and returns that case with `created` false. Request IDs of different
    /// accounts never collide.
    /// With `nearby`, also returns the open cases that query finds, read in the same transaction right after
    /// the new case was stored (the new case itself included), so intake needs no second trip to the store.
    /// With `recurrence`, the case is stored with `recurrenceOf` set from the closed cases that lookup finds (复发).
    /// The new case enters the kept sums as `CaseDelta(created:events:)` gives them.
    func createCase(
        _ record: CaseRecord, firstEvent: CaseEvent, numberPrefix: String, nearby: OpenCasesQuery?, recurrence: RecurrenceLookup?
    ) async throws -> CaseCreation
    /// Applies changes to one or more cases atomically, writes each change's `delta` as it is, and queues the notices they cause in the same
    /// transaction (the outbox), so a notice exists exactly when its change does; throws `conflict` when any
    /// stored version differs.
    func commit(_ changes: [CaseChange], notices: [ReporterNotice]) async throws
    /// The case with this ID.
    func caseRecord(id: CaseID) async throws -> CaseRecord?
    /// The case with this number.
    func caseRecord(number: String) async throws -> CaseRecord?
    /// A case's events in order.
    func events(caseID: CaseID) async throws -> [CaseEvent]
    /// Cases matching a query, newest first.
    func cases(_ query: CaseQuery) async throws -> CasePage
    /// How many cases match the query (ignoring paging), by state.
    func countsByState(_ query: CaseQuery) async throws -> [CaseState: Int]
    /// Open cases of a matter class inside a box reported since a time (duplicate candidates), newest first.
    func openCases(_ query: OpenCasesQuery) async throws -> [CaseSummary]
    /// Calls `body` with every case and its events, in batches, for verification and export.
    func forEachCase(batchSize: Int, _ body: @Sendable ([(CaseRecord, [CaseEvent])]) throws -> Void) async throws
    /// The number of cases stored.
    func caseCount() async throws -> Int
}

extension CaseStore {
    /// Applies changes atomically, queuing no notice.
    public func commit(_ changes: [CaseChange]) async throws { try await commit(changes, notices: []) }

    /// Stores a new case as it is (no recurrence lookup).
    public func createCase(_ record: CaseRecord, firstEvent: CaseEvent, numberPrefix: String, nearby: OpenCasesQuery?) async throws
        -> CaseCreation
    {
        try await createCase(record, firstEvent: firstEvent, numberPrefix: numberPrefix, nearby: nearby, recurrence: nil)
    }

    /// Stores a new case without looking up open cases near it.
    public func createCase(_ record: CaseRecord, firstEvent: CaseEvent, numberPrefix: String) async throws -> (
        record: CaseRecord, created: Bool
    ) {
        let c = try await createCase(record, firstEvent: firstEvent, numberPrefix: numberPrefix, nearby: nil)
        return (c.record, c.created)
    }

    /// Open cases of a matter class inside a box reported since a time, newest first.
    public func openCases(matterCode: String, in box: BoundingBox, since: Date, limit: Int) async throws -> [CaseSummary] {
        try await openCases(OpenCasesQuery(matterCode: matterCode, box: box, since: since, limit: limit))
    }
}
