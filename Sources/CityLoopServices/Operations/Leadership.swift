import CityLoopDomain
import Foundation
import Logging

/// This node's part in once-per-city work (值守): the tasks it runs only while it leads them (early-warning scans,
/// ledger checkpoints), which of them it leads now, and the attempts that take or keep them. On PostgreSQL one node
/// at a time leads a task and a dead node's tasks move at the next attempt of another; on SQLite this node leads all.
public final class Leadership: Sendable {
    let store: any LeadershipStore
    /// This node, for the log.
    public let node: String
    private let state = LockedBox<[String: Bool]>([:])
    private let logger = Logger(label: "cityloop.leadership")

    /// How often a node tries to lead each task, and checks that it still does.
    public static let attemptInterval: Duration = .seconds(5)
    /// How long one attempt may take before this node counts itself as not leading (a connection that hangs).
    public static let attemptDeadline: Duration = .seconds(5)

    /// Creates the leadership of a node on a store (the platform makes its own).
    public init(store: any LeadershipStore, node: String) {
        self.store = store
        self.node = node
    }

    /// Adds a task this node runs only while it leads it (not led until an attempt wins it).
    public func register(_ task: String) { state.withValue { if $0[task] == nil { $0[task] = false } } }

    /// The registered tasks and whether this node leads each now.
    public var tasks: [String: Bool] { state.value }

    /// Whether this node leads `task` now.
    public func leads(_ task: String) -> Bool { state.value[task] ?? false }

    /// Tries to lead every registered task (or checks that it still does), logging each one taken or lost.
    public func attempt() async {
        for task in tasks.keys.sorted() {
            let now: Bool
            var why = ""
            do {
                now = try await Self.within(Self.attemptDeadline) { [store] in try await store.tryLead(task) }
            } catch {
                (now, why) = (false, " (\(error))")
            }
            let was = state.withValue { s -> Bool in
                defer { s[task] = now }
                return s[task] ?? false
            }
            if now && !was { logger.notice("leading \(task) (node \(node))") }
            if was && !now { logger.warning("no longer leading \(task) (node \(node))\(why)") }
        }
    }

    /// Gives up every task this node leads, so another node takes them at once (graceful shutdown).
    public func resignAll() async {
        for (task, led) in tasks where led {
            state.withValue { $0[task] = false }
            try? await store.resign(task)
            logger.notice("resigned \(task) (node \(node))")
        }
    }

    /// The value of `body`, or an error when it takes longer than `limit`.
    static func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw StoreError(.unavailable, "no answer from the database within \(limit)")
            }
            return value
        }
    }
}
