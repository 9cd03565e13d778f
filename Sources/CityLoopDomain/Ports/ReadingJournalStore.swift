import Foundation

/// Device messages taken in and not yet ingested (接入日志). The MQTT subscriber acknowledges a message to the
/// broker once it is here, so that many messages are in flight at once; ingest then takes them in large batches,
/// and the batch that stores their readings records in its own transaction how far it went (`JournalMark`): a
/// crash or a kill loses nothing acknowledged and ingests nothing twice. Each owner (a node's MQTT client ID,
/// the same after a restart) has its own journal.
public protocol ReadingJournalStore: Sendable {
    /// Appends `messages` to `owner`'s journal in order; returns once they are durable.
    func appendJournal(_ messages: [JournalMessage], owner: String) async throws
    /// The oldest messages of `owner`'s journal after `seq` (after the last one ingested when nil), at most `limit`.
    func journal(owner: String, after seq: Int64?, limit: Int) async throws -> [JournalEntry]
}

/// A message as the broker delivered it.
public struct JournalMessage: Hashable, Sendable {
    public var topic: String
    public var payload: Data

    /// Creates a message.
    public init(topic: String, payload: Data) {
        self.topic = topic
        self.payload = payload
    }
}

/// A message in a journal, numbered in the order it was appended.
public struct JournalEntry: Hashable, Sendable {
    public var seq: Int64
    public var message: JournalMessage

    /// Creates an entry.
    public init(seq: Int64, message: JournalMessage) {
        self.seq = seq
        self.message = message
    }
}

/// How far an ingest batch took an owner's journal: its messages up to `seq` are ingested.
public struct JournalMark: Hashable, Sendable {
    public var owner: String
    public var seq: Int64

    /// Creates a mark.
    public init(owner: String, seq: Int64) {
        self.owner = owner
        self.seq = seq
    }
}
