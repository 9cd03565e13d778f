import CityLoopDomain
import Foundation
import Logging

/// Delivers the outbox's due notices through the notifier, one at a time, and records every attempt; a
/// failed notice is tried again after a growing wait (10 s, 20 s, 40 s … at most an hour). Delivery is at least
/// once: a notice delivered just before a crash is delivered again, with the same `id` for receivers to drop.
/// Nodes sharing a store claim notices with a lease before delivering them, so no two deliver one at once; a dead
/// node's notices are claimed again when their lease ends.
public actor NoticeDispatcher {
    let store: any CityStore
    let notifier: any ReporterNotifier
    let clock: any CityClock
    let node: String
    /// How long claimed notices stay with this node by default: a dead node's notices wait this long.
    public static let defaultLease: TimeInterval = 120
    /// How long claimed notices stay with this node.
    let lease: TimeInterval
    /// Notices claimed at a time: as many as can be delivered well within the lease (a webhook may take 10 s each).
    let batch: Int
    private var current: Task<(delivered: Int, failed: Int), Never>?
    private var stopped = false
    private let logger = Logger(label: "cityloop.notices")

    /// Creates the dispatcher.
    public init(store: any CityStore, notifier: any ReporterNotifier, clock: any CityClock, node: String, lease: TimeInterval = defaultLease) {
        self.lease = lease
        batch = max(1, min(20, Int(lease / 20)))
        self.store = store
        self.notifier = notifier
        self.clock = clock
        self.node = node
    }

    /// The wait before attempt `attempts + 1`, in seconds.
    public static func backoff(afterAttempts attempts: Int) -> TimeInterval { min(3600, 10 * pow(2, Double(max(0, attempts - 1)))) }

    /// Delivers every notice due now (and those queued meanwhile); returns how many were delivered and how
    /// many failed. Runs one at a time: a call while another runs waits for it, then runs itself, so what was
    /// queued before the call has been tried when it returns.
    @discardableResult
    public func deliverDue() async -> (delivered: Int, failed: Int) {
        while let running = current {
            _ = await running.value
            // Whoever sees a finished run first clears it (awaiting a finished task need not suspend).
            if current == running { current = nil }
        }
        let run = Task { await self.deliverAll() }
        current = run
        let result = await run.value
        if current == run { current = nil }
        return result
    }

    private func deliverAll() async -> (delivered: Int, failed: Int) {
        var delivered = 0, failed = 0
        while !stopped {
            let now = clock.now()
            guard let due = try? await store.claimNotices(at: now, limit: batch, leaseUntil: now.addingTimeInterval(lease), node: node),
                !due.isEmpty
            else { break }
            for queued in due {
                if stopped { break }
                do {
                    try await notifier.deliver([queued.notice])
                    // Unrecorded, it would be due again at once: stop rather than loop.
                    guard (try? await store.recordAttempt(notice: queued.id, at: clock.now(), error: nil, retryAt: nil)) != nil else {
                        return (delivered, failed)
                    }
                    delivered += 1
                } catch {
                    let retry = now.addingTimeInterval(Self.backoff(afterAttempts: queued.attempts + 1))
                    // The record is shown to partners: a class of failure only; the detail goes to the server log.
                    logger.warning("notice delivery failed", metadata: ["notice": "\(queued.id)", "error": "\(error)"])
                    let shown = WebhookNotifier.failureClass(error)
                    guard (try? await store.recordAttempt(notice: queued.id, at: now, error: shown, retryAt: retry)) != nil else {
                        return (delivered, failed)
                    }
                    failed += 1
                }
            }
        }
        return (delivered, failed)
    }

    /// Stops delivering (a graceful shutdown): the batch under way ends after the notice being delivered, and the
    /// notices this node claimed but did not try are released for other nodes at once instead of when the lease ends.
    public func stop() async -> Int {
        stopped = true
        if let running = current { _ = await running.value }
        return (try? await store.releaseNotices(node: node)) ?? 0
    }

    /// Starts a delivery in the background (after a change queued notices).
    public nonisolated func kick() { Task { await self.deliverDue() } }
}
