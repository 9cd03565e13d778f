import CityLoopDomain
import Foundation

/// Appends the messages of several MQTT connections to the node's journal together (group commit): while one
/// append is written, the messages that arrive wait and go in the next. Each message's sender waits until it is
/// durable, so it acknowledges to the broker nothing that is not; `appended` hears of each append, for the
/// ingester.
actor JournalAppender {
    private struct Waiting {
        var message: JournalMessage
        var done: CheckedContinuation<Void, any Error>
    }

    private let store: any ReadingJournalStore
    private let owner: String
    private let appended: @Sendable () -> Void
    private var pending: [Waiting] = []
    private var draining = false
    /// Messages of one append at most.
    private let maxMessages = 1000

    init(store: any ReadingJournalStore, owner: String, appended: @escaping @Sendable () -> Void) {
        self.store = store
        self.owner = owner
        self.appended = appended
    }

    /// Appends `message` with others arriving meanwhile; returns when it is durable.
    func append(_ message: JournalMessage) async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            pending.append(Waiting(message: message, done: c))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(maxMessages))
            pending.removeFirst(batch.count)
            do {
                try await store.appendJournal(batch.map(\.message), owner: owner)
                for w in batch { w.done.resume() }
                appended()
            } catch {
                for w in batch { w.done.resume(throwing: error) }
            }
        }
        draining = false
    }
}
