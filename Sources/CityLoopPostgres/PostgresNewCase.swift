import CityLoopDomain
import Foundation

/// A new case as `createCase` received it (chain head set, number not yet drawn), waiting in the store's group
/// commit (`GroupCommit`): reports that arrive together are written in one transaction, so that the case-write
/// lock, the ledger head and the commit are paid once per batch rather than once per report.
struct PostgresNewCase: Sendable {
    var record: CaseRecord
    var firstEvent: CaseEvent
    var numberPrefix: String
    var nearby: OpenCasesQuery?
    var recurrence: RecurrenceLookup?
}

extension Result where Failure == any Error {
    /// The outcome of an asynchronous throwing body.
    init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
