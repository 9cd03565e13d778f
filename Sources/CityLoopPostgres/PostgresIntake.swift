import CityLoopDomain
import Foundation

/// Group commit for new cases: reports that arrive while a batch is being written wait and are then written
/// together in one transaction, so that the case-write lock, the ledger head and the commit are paid once per
/// batch rather than once per report. Every caller is answered only after the transaction holding its case has
/// committed.
actor PostgresIntake {
    /// A new case as `createCase` received it (chain head set, number not yet drawn).
    struct NewCase: Sendable {
        var record: CaseRecord
        var firstEvent: CaseEvent
        var numberPrefix: String
        var nearby: OpenCasesQuery?
    }

    typealias Outcome = Result<CaseCreation, any Error>
    /// Stores a batch and answers each item, in order.
    typealias Writer = @Sendable ([NewCase]) async -> [Outcome]

    private struct Item {
        var new: NewCase
        var write: Writer
        var reply: CheckedContinuation<CaseCreation, any Error>
    }

    /// Most reports written in one transaction.
    static let maxBatch = 256
    private var pending: [Item] = []
    private var draining = false

    /// Stores one new case with the next batch and returns once that batch has committed.
    func submit(_ new: NewCase, write: @escaping Writer) async throws -> CaseCreation {
        try await withCheckedThrowingContinuation { reply in
            pending.append(Item(new: new, write: write, reply: reply))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(Self.maxBatch))
            pending.removeFirst(batch.count)
            let outcomes = await batch[0].write(batch.map(\.new))
            for (item, outcome) in zip(batch, outcomes) { item.reply.resume(with: outcome) }
        }
        draining = false
    }
}

extension Result where Failure == any Error {
    /// The outcome of an asynchronous throwing body.
    init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
