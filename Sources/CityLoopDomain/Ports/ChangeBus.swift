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

extension ChangeNotice {
    /// The notice as one text: its topic, node and payload (when there is one) on lines of their own. A node reads
    /// past its own notices (every node hears them too) with a glance at the second line, and a live item is not
    /// escaped a second time inside JSON. Topics and node names hold no line breaks.
    public var wireText: String {
        guard let payload else { return topic.rawValue + "\n" + node }
        return topic.rawValue + "\n" + node + "\n" + payload
    }

    /// A notice from its `wireText`; nil when the text is not one (an unknown topic, a missing node).
    public init?(wireText: String) {
        let lines = wireText.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
        guard lines.count >= 2, let topic = Topic(rawValue: String(lines[0])), !lines[1].isEmpty else { return nil }
        self.init(topic: topic, node: String(lines[1]), payload: lines.count == 3 ? String(lines[2]) : nil)
    }
}
