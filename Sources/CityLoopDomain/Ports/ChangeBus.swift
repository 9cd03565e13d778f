import Foundation

/// A note that something changed, sent to every node sharing the store (PostgreSQL's LISTEN/NOTIFY): "what
/// changed", so each node refreshes what it keeps in memory, and the live feed's items so every node's consoles
/// see changes made through any node.
public struct ChangeNotice: Codable, Sendable, Equatable {
    /// What changed.
    public enum Topic: String, Codable, Sendable {
        /// Reference data (areas, grids, rules, calendar, catalog, departments, policies): reload the context.
        case reference
        /// Accounts or tokens: forget cached sign-ins.
        case accounts
        /// An item of the live feed, in `payload`.
        case live
    }

    /// What changed.
    public var topic: Topic
    /// The node it comes from (a node ignores its own).
    public var node: String
    /// The item, for `live`.
    public var payload: String?

    /// Creates a notice.
    public init(topic: Topic, node: String, payload: String? = nil) {
        self.topic = topic
        self.node = node
        self.payload = payload
    }
}

/// Carries change notices between the nodes sharing a store.
public protocol ChangeBus: Sendable {
    /// Sends a notice to every listening node (this one included).
    func publish(_ notice: ChangeNotice) async throws
    /// Calls `receive` with every notice until the task is cancelled; throws when the connection is lost (the
    /// caller listens again).
    func listen(_ receive: @escaping @Sendable (ChangeNotice) async -> Void) async throws
}
