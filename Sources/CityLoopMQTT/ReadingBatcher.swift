import CityLoopDomain
import CityLoopServices
import Foundation

/// Gathers the messages of several MQTT connections into ingest batches (group commit): while one batch is
/// written, the messages that arrive wait and go together in the next. Each message's sender waits until its
/// batch is stored, so it acknowledges nothing that is not.
actor ReadingBatcher {
    private struct Waiting {
        var raws: [RawReading]
        var refused: [ReadingRejection]
        var done: CheckedContinuation<Void, any Error>
    }

    private let ingest: DeviceIngest
    private var pending: [Waiting] = []
    private var draining = false
    /// Readings of one batch at most (a larger backlog goes in several).
    private let maxReadings: Int

    init(ingest: DeviceIngest, maxReadings: Int = 20_000) {
        self.ingest = ingest
        self.maxReadings = maxReadings
    }

    /// Stores the readings with others arriving meanwhile; returns when they are stored.
    func submit(_ raws: [RawReading], refused: [ReadingRejection]) async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            pending.append(Waiting(raws: raws, refused: refused, done: c))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            var batch: [Waiting] = []
            var count = 0
            while let next = pending.first, batch.isEmpty || count + next.raws.count <= maxReadings {
                batch.append(pending.removeFirst())
                count += next.raws.count
            }
            do {
                _ = try await ingest.ingest(batch.flatMap(\.raws), refused: batch.flatMap(\.refused))
                for w in batch { w.done.resume() }
            } catch {
                for w in batch { w.done.resume(throwing: error) }
            }
        }
        draining = false
    }
}
