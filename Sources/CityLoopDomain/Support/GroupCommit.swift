import Foundation

/// Group commit (组提交): items that arrive while a batch is being written wait and are then written together by
/// the next call of `write`, one transaction for many items. Every caller is answered only after the batch
/// holding its item has been written, with that item's own outcome. The stores' intake of new cases uses it.
public actor GroupCommit<Input: Sendable, Output: Sendable> {
    /// Writes a batch and answers each item in order; throwing fails the whole batch.
    public typealias Writer = @Sendable ([Input]) async throws -> [Result<Output, any Error>]

    private struct Item {
        var input: Input
        var write: Writer
        var reply: CheckedContinuation<Output, any Error>
    }

    /// Most items written at once.
    public let maxBatch: Int
    private var pending: [Item] = []
    private var draining = false

    /// Creates a group commit of batches of at most `maxBatch`.
    public init(maxBatch: Int = 256) { self.maxBatch = maxBatch }

    /// Writes `input` with the next batch and returns its outcome once that batch is written.
    public func submit(_ input: Input, write: @escaping Writer) async throws -> Output {
        try await withCheckedThrowingContinuation { reply in
            pending.append(Item(input: input, write: write, reply: reply))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(maxBatch))
            pending.removeFirst(batch.count)
            do {
                let outcomes = try await batch[0].write(batch.map(\.input))
                for (item, outcome) in zip(batch, outcomes) { item.reply.resume(with: outcome) }
            } catch {
                for item in batch { item.reply.resume(throwing: error) }
            }
        }
        draining = false
    }
}
