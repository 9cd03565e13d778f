import CityLoopDomain
import Foundation
import Logging

/// This node's end of the change bus: what changes here goes out in order (reference data reloaded, accounts
/// changed, live items), and what other nodes send is applied here (the context reloaded, cached sign-ins
/// forgotten, live items shown to this node's consoles). Without a bus (SQLite: one node) nothing is sent.
public final class ChangeRelay: Sendable {
    let bus: (any ChangeBus)?
    /// This node.
    public let node: String
    private let outgoing: AsyncStream<ChangeNotice>
    private let continuation: AsyncStream<ChangeNotice>.Continuation
    private let logger = Logger(label: "cityloop.changes")

    init(bus: (any ChangeBus)?, node: String) {
        self.bus = bus
        self.node = node
        // Bounded: a node that is not running its relay (a command, a test) keeps only the newest notices.
        (outgoing, continuation) = AsyncStream<ChangeNotice>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
    }

    /// Whether notices travel to other nodes.
    public var isShared: Bool { bus != nil }

    /// Queues a notice for the other nodes.
    func send(_ topic: ChangeNotice.Topic, payload: String? = nil) {
        guard bus != nil else { return }
        continuation.yield(ChangeNotice(topic: topic, node: node, payload: payload))
    }

    /// Sends the queued notices in order and applies the other nodes' with `apply`, until cancelled; listening
    /// starts again after a lost connection.
    public func run(apply: @escaping @Sendable (ChangeNotice) async -> Void) async {
        guard let bus else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [outgoing, logger] in
                for await notice in outgoing {
                    do { try await bus.publish(notice) } catch { logger.warning("change notice not sent: \(error)") }
                }
            }
            group.addTask { [node, logger] in
                while !Task.isCancelled {
                    do {
                        try await bus.listen { notice in if notice.node != node { await apply(notice) } }
                    } catch {
                        logger.warning("change bus: listening again after \(error)")
                    }
                    try? await Task.sleep(for: .seconds(1))
                }
            }
            await group.next()
            group.cancelAll()
        }
    }
}
