import CityLoopDomain
import Foundation
import GRDB

/// Group commit for new cases: reports that arrive while a write is in flight wait and are then written
/// together in one transaction, each inside its own savepoint so that one refused report does not undo the
/// others. Every caller is answered only after the transaction holding its case has committed, so an
/// acknowledged report is on disk. Under load this turns a hundred small transactions (each writing the same
/// table and index pages to the WAL again) into one.
actor IntakeBatcher {
    typealias Outcome = Result<CaseCreation, any Error>
    /// Stores a batch in one transaction and answers each item.
    typealias Writer = @Sendable ([NewCase]) async throws -> [Outcome]
    struct Item {
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
            do {
                let outcomes = try await batch[0].write(batch.map(\.new))
                for (item, outcome) in zip(batch, outcomes) { item.reply.resume(with: outcome) }
            } catch {
                for item in batch { item.reply.resume(throwing: error) }
            }
        }
        draining = false
    }
}
