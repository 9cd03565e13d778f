import Foundation

/// One entry of the city ledger (总账): every event of every case, in the order the city stored them, each
/// entry's hash covering the event's hash and the previous entry's hash. A per-case chain proves a case's
/// history is consistent; the ledger proves no case or event was removed, rewritten or slipped in since its
/// head was checkpointed (see `LedgerCheckpoint`).
public struct LedgerEntry: Hashable, Codable, Sendable {
    /// The hash before the ledger's first entry.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Position in the ledger, from 1, without gaps.
    public var seq: Int64
    /// The case the event belongs to.
    public var caseID: CaseID
    /// The event's position in its case's history.
    public var eventSeq: Int
    /// The event's hash (`CaseEvent.hash`).
    public var eventHash: String
    /// This entry's hash (hex SHA-256 of `canonicalBytes` after the previous entry's hash).
    public var hash: String

    /// Creates an entry with its stored hash.
    public init(seq: Int64, caseID: CaseID, eventSeq: Int, eventHash: String, hash: String) {
        self.seq = seq
        self.caseID = caseID
        self.eventSeq = eventSeq
        self.eventHash = eventHash
        self.hash = hash
    }

    /// The exact bytes the entry hash covers: `L1|seq|caseID|eventSeq|eventHash|prevHash`. A case ID never
    /// holds `|` (IDs are generated), and the other fields are digits or hex, so the text is unambiguous.
    public static func canonicalBytes(seq: Int64, caseID: CaseID, eventSeq: Int, eventHash: String, prevHash: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(200)
        out.append(contentsOf: "L1|".utf8)
        out.append(contentsOf: String(seq).utf8)
        out.append(0x7C)
        out.append(contentsOf: caseID.rawValue.utf8)
        out.append(0x7C)
        out.append(contentsOf: String(eventSeq).utf8)
        out.append(0x7C)
        out.append(contentsOf: eventHash.utf8)
        out.append(0x7C)
        out.append(contentsOf: prevHash.utf8)
        return out
    }

    /// Whether the stored hash is the hash of the entry's content after `prevHash` (the previous entry's hash).
    public func isIntact(after prevHash: String, hasher: some EventHasher) -> Bool {
        hasher.digest(utf8: Self.canonicalBytes(seq: seq, caseID: caseID, eventSeq: eventSeq, eventHash: eventHash, prevHash: prevHash)) == hash
    }
}

/// The ledger's head: how long it is and the hash of its last entry.
public struct LedgerHead: Hashable, Codable, Sendable {
    /// The last entry's sequence number; 0 for an empty ledger.
    public var seq: Int64
    /// The last entry's hash; `LedgerEntry.genesisHash` for an empty ledger.
    public var hash: String

    /// Creates a head.
    public init(seq: Int64 = 0, hash: String = LedgerEntry.genesisHash) {
        self.seq = seq
        self.hash = hash
    }

    /// The empty ledger's head.
    public static let empty = LedgerHead()

    /// Appends one event: returns its entry and moves the head to it. Stores call this inside the transaction
    /// that writes the event, so the ledger and the history can never disagree in a committed state.
    public mutating func append(_ event: CaseEvent, hasher: some EventHasher) -> LedgerEntry {
        append(caseID: event.caseID, eventSeq: event.seq, eventHash: event.hash, hasher: hasher)
    }

    /// Appends one event given by its case, position and hash.
    public mutating func append(caseID: CaseID, eventSeq: Int, eventHash: String, hasher: some EventHasher) -> LedgerEntry {
        let seq = self.seq + 1
        let digest = hasher.digest(utf8: LedgerEntry.canonicalBytes(seq: seq, caseID: caseID, eventSeq: eventSeq, eventHash: eventHash, prevHash: hash))
        let entry = LedgerEntry(seq: seq, caseID: caseID, eventSeq: eventSeq, eventHash: eventHash, hash: digest)
        self = LedgerHead(seq: seq, hash: digest)
        return entry
    }
}
