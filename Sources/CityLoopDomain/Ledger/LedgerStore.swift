import Foundation

/// A case as stored, with its events and the ledger entries that name it, for verification.
public struct StoredHistory: Sendable {
    /// The case row.
    public var record: CaseRecord
    /// Its events, by position.
    public var events: [CaseEvent]
    /// The ledger entries naming the case, by event position.
    public var ledger: [LedgerEntry]

    /// Creates a stored history.
    public init(record: CaseRecord, events: [CaseEvent], ledger: [LedgerEntry]) {
        self.record = record
        self.events = events
        self.ledger = ledger
    }
}

/// A ledger entry whose event is not stored any more.
public struct OrphanLedgerEntry: Hashable, Sendable {
    /// The entry.
    public var seq: Int64
    /// The case it names.
    public var caseID: CaseID
    /// The event position it names.
    public var eventSeq: Int
    /// Whether the case row itself is gone.
    public var caseMissing: Bool

    /// Creates an orphan entry.
    public init(seq: Int64, caseID: CaseID, eventSeq: Int, caseMissing: Bool) {
        self.seq = seq
        self.caseID = caseID
        self.eventSeq = eventSeq
        self.caseMissing = caseMissing
    }
}

/// The city ledger's storage (port). Stores append entries themselves, in the transaction of the events they
/// cover (`LedgerHead.append`); this is the reading side.
public protocol LedgerStore: Sendable {
    /// The ledger's head and the numbers of cases and events stored, read together.
    func ledgerStatus() async throws -> (head: LedgerHead, cases: Int, events: Int)
    /// Ledger entries after sequence number `after`, in order, at most `limit`.
    func ledgerEntries(after: Int64, limit: Int) async throws -> [LedgerEntry]
    /// Cases stored after position `after` (0 for the first page) with their events and ledger entries, at most
    /// `limit`, and the position to ask from next (nil after the last page).
    func storedHistories(after: Int64, limit: Int) async throws -> (items: [StoredHistory], next: Int64?)
    /// Ledger entries whose case or event is not stored, in sequence order.
    func orphanLedgerEntries(limit: Int) async throws -> [OrphanLedgerEntry]
}
