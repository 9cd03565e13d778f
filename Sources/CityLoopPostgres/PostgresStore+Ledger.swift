import CityLoopDomain
import Crypto
import Foundation
import PostgresNIO

/// SHA-256 for the ledger entries the store appends inside its transactions (the same digest as the services'
/// `SHA256Hasher`; the store cannot depend on the services).
struct LedgerDigest: EventHasher {
    func digest(_ text: String) -> String { digest(utf8: Array(text.utf8)) }

    func digest(utf8 bytes: [UInt8]) -> String {
        // As `SHA256Hasher`: String(format:) per byte was a twentieth of a PostgreSQL node's intake CPU time.
        String(unsafeUninitializedCapacity: 2 * SHA256.byteCount) { out in
            var i = 0
            for byte in SHA256.hash(data: bytes) {
                out[i] = Self.hexDigits[Int(byte >> 4)]
                out[i + 1] = Self.hexDigits[Int(byte & 0x0F)]
                i += 2
            }
            return i
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}

extension PostgresStore {
    /// The advisory lock every case-writing transaction takes first: the city ledger is one chain whose head is
    /// read and extended inside the transaction, and the daily number sequences and request keys are checked there.
    static let caseWriteLockKey: Int64 = 0x4369_7479_4C65_6467

    /// Takes the case-write lock for the rest of the transaction.
    func lockCaseWrites(on c: PostgresConnection) async throws {
        try await run("SELECT pg_advisory_xact_lock(\(Self.caseWriteLockKey))", on: c)
    }

    /// The ledger's head inside the current transaction.
    func ledgerHead(on c: PostgresConnection) async throws -> LedgerHead {
        guard let row = try await rows("SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1", on: c).first else { return .empty }
        let (seq, hash) = try row.decode((Int64, String).self)
        return LedgerHead(seq: seq, hash: hash)
    }

    /// Appends ledger entries for events written in the same transaction (which holds the case-write lock).
    func appendLedger(_ events: [CaseEvent], on c: PostgresConnection) async throws {
        guard !events.isEmpty else { return }
        var head = try await ledgerHead(on: c)
        let hasher = LedgerDigest()
        try await insertLedger(events.map { head.append($0, hasher: hasher) }, on: c)
    }

    func insertLedger(_ entries: [LedgerEntry], on c: PostgresConnection) async throws {
        guard !entries.isEmpty else { return }
        try await run(
            """
            INSERT INTO ledger (seq, case_id, event_seq, event_hash, hash)
            SELECT * FROM unnest(\(entries.map(\.seq))::int8[], \(entries.map(\.caseID.rawValue))::text[], \(entries.map { Int64($0.eventSeq) })::int8[],
                \(entries.map(\.eventHash))::text[], \(entries.map(\.hash))::text[])
            """, on: c)
    }

    static func ledgerEntry(_ row: PostgresRow) throws -> LedgerEntry {
        let (seq, caseID, eventSeq, eventHash, hash) = try row.decode((Int64, String, Int, String, String).self)
        return LedgerEntry(seq: seq, caseID: CaseID(caseID), eventSeq: eventSeq, eventHash: eventHash, hash: hash)
    }

    /// The ledger's head and the numbers of cases and events, in one read (one snapshot).
    public func ledgerStatus() async throws -> (head: LedgerHead, cases: Int, events: Int) {
        let row = try await rows(
            """
            SELECT (SELECT seq FROM ledger ORDER BY seq DESC LIMIT 1), (SELECT hash FROM ledger ORDER BY seq DESC LIMIT 1),
                (SELECT count(*) FROM cases), (SELECT count(*) FROM case_events)
            """
        ).first
        guard let row else { return (.empty, 0, 0) }
        let (seq, hash, cases, events) = try row.decode((Int64?, String?, Int, Int).self)
        return (seq.map { LedgerHead(seq: $0, hash: hash ?? "") } ?? .empty, cases, events)
    }

    /// Ledger entries after `after`, in order.
    public func ledgerEntries(after: Int64, limit: Int) async throws -> [LedgerEntry] {
        try await rows("SELECT seq, case_id, event_seq, event_hash, hash FROM ledger WHERE seq > \(after) ORDER BY seq LIMIT \(limit)")
            .map(Self.ledgerEntry)
    }

    /// Cases after position `after` with their events and ledger entries.
    public func storedHistories(after: Int64, limit: Int) async throws -> (items: [StoredHistory], next: Int64?) {
        try await transaction { c in
            let cases = try await self.rows("SELECT pos, id, data FROM cases WHERE pos > \(after) ORDER BY pos LIMIT \(limit)", on: c)
                .map { try $0.decode((Int64, String, String).self) }
            guard let last = cases.last else { return ([], nil) }
            let ids = cases.map(\.1)
            let events = try await self.events(of: ids, on: c)
            var ledger: [String: [LedgerEntry]] = [:]
            for row in try await self.rows(
                "SELECT seq, case_id, event_seq, event_hash, hash FROM ledger WHERE case_id = ANY(\(ids)::text[]) ORDER BY case_id, event_seq", on: c)
            {
                let l = try Self.ledgerEntry(row)
                ledger[l.caseID.rawValue, default: []].append(l)
            }
            let items = try cases.map { _, id, data in
                StoredHistory(record: try self.decode(CaseRecord.self, data), events: events[id] ?? [], ledger: ledger[id] ?? [])
            }
            return (items, cases.count < limit ? nil : last.0)
        }
    }

    /// Ledger entries whose case row or event is gone.
    public func orphanLedgerEntries(limit: Int) async throws -> [OrphanLedgerEntry] {
        try await rows(
            """
            SELECT l.seq, l.case_id, l.event_seq, c.id IS NULL FROM ledger l LEFT JOIN cases c ON c.id = l.case_id
            WHERE c.id IS NULL OR NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = l.case_id AND e.seq = l.event_seq)
            ORDER BY l.seq LIMIT \(limit)
            """
        ).map { r in
            let (seq, caseID, eventSeq, missing) = try r.decode((Int64, String, Int, Bool).self)
            return OrphanLedgerEntry(seq: seq, caseID: CaseID(caseID), eventSeq: eventSeq, caseMissing: missing)
        }
    }
}
