import CityLoopDomain
import Crypto
import Foundation
import GRDB

/// SHA-256 for the ledger entries the store appends inside its transactions (the same digest as the services'
/// `SHA256Hasher`; the store cannot depend on the services).
struct LedgerDigest: EventHasher {
    func digest(_ text: String) -> String { digest(utf8: Array(text.utf8)) }

    func digest(utf8 bytes: [UInt8]) -> String {
        let d = SHA256.hash(data: bytes)
        return String(unsafeUninitializedCapacity: 64) { out in
            var i = 0
            for byte in d {
                out[i] = Self.hexDigits[Int(byte >> 4)]
                out[i + 1] = Self.hexDigits[Int(byte & 0x0F)]
                i += 2
            }
            return i
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}

extension SQLiteStore {
    static let ledgerInsertHead = "INSERT INTO ledger (seq, case_id, event_seq, event_hash, hash) VALUES "

    /// The ledger's head inside the current transaction.
    static func ledgerHead(_ db: Database) throws -> LedgerHead {
        try db.cachedStatement(sql: "SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1").firstRawRow([]) { row in
            LedgerHead(seq: row.int64(0), hash: row.text(1) ?? "")
        } ?? .empty
    }

    /// Appends ledger entries for events written in the same transaction.
    static func appendLedger(_ db: Database, _ events: [CaseEvent]) throws {
        guard !events.isEmpty else { return }
        var head = try ledgerHead(db)
        let hasher = LedgerDigest()
        for e in events {
            let entry = head.append(e, hasher: hasher)
            try db.cachedStatement(sql: ledgerInsertHead + "(?, ?, ?, ?, ?)").executeRaw { b in bindLedger(&b, entry) }
        }
    }

    static func bindLedger(_ b: inout RawBinder, _ l: LedgerEntry) {
        b.int(l.seq)
        b.text(l.caseID.rawValue)
        b.int(Int64(l.eventSeq))
        b.text(l.eventHash)
        b.text(l.hash)
    }

    /// Fills the ledger of a city stored before it had one (migration `012_ledger`), in a deterministic order:
    /// cases by creation time and ID, each case's events by position.
    static func backfillLedger(_ db: Database) throws {
        var head = try ledgerHead(db)
        let hasher = LedgerDigest()
        let insert = try db.makeStatement(sql: ledgerInsertHead + "(?, ?, ?, ?, ?)")
        let rows = try db.makeStatement(
            sql: "SELECT e.case_id, e.seq, e.hash FROM cases c JOIN case_events e ON e.case_id = c.id ORDER BY c.created_at, c.id, e.seq")
        var entries: [LedgerEntry] = []
        try rows.forEachRawRow([]) { row in
            entries.append(head.append(caseID: CaseID(row.text(0) ?? ""), eventSeq: Int(row.int64(1)), eventHash: row.text(2) ?? "", hasher: hasher))
        }
        for e in entries { try insert.executeRaw { b in bindLedger(&b, e) } }
    }

    static func ledgerEntry(_ row: RawRow) -> LedgerEntry {
        LedgerEntry(seq: row.int64(0), caseID: CaseID(row.text(1) ?? ""), eventSeq: Int(row.int64(2)), eventHash: row.text(3) ?? "", hash: row.text(4) ?? "")
    }

    /// The ledger's head and the numbers of cases and events, in one read.
    public func ledgerStatus() async throws -> (head: LedgerHead, cases: Int, events: Int) {
        try await pool.read { db in
            (try Self.ledgerHead(db), try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM case_events") ?? 0)
        }
    }

    /// Ledger entries after `after`, in order.
    public func ledgerEntries(after: Int64, limit: Int) async throws -> [LedgerEntry] {
        try await pool.read { db in
            var out: [LedgerEntry] = []
            out.reserveCapacity(limit)
            try db.cachedStatement(sql: "SELECT seq, case_id, event_seq, event_hash, hash FROM ledger WHERE seq > ? ORDER BY seq LIMIT ?")
                .forEachRawRow([after, limit]) { out.append(Self.ledgerEntry($0)) }
            return out
        }
    }

    /// Cases after row `after` with their events and ledger entries.
    public func storedHistories(after: Int64, limit: Int) async throws -> (items: [StoredHistory], next: Int64?) {
        // The reader only copies text out; the records' JSON and the events' text are decoded afterwards on as
        // many tasks as there are cores (decoding was two thirds of verifying a million cases, all on the reader).
        let (rows, eventRows, ledger) = try await pool.read { db in
            // The record's JSON as bytes: what the decoder reads, without making a string of it first.
            var rows: [(Int64, String, Data)] = []
            try db.cachedStatement(sql: "SELECT rowid, id, data FROM cases WHERE rowid > ? ORDER BY rowid LIMIT ?").forEachRawRow([after, limit]) {
                rows.append(($0.int64(0), $0.text(1) ?? "", $0.data(2)))
            }
            guard !rows.isEmpty else { return (rows, [(String, Int, String, String)](), [String: [LedgerEntry]]()) }
            let ids = rows.map(\.1)
            let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
            var events: [(String, Int, String, String)] = []
            try db.makeStatement(sql: "SELECT case_id, seq, hash, data FROM case_events WHERE case_id IN (\(placeholders)) ORDER BY case_id, seq")
                .forEachRawRow(StatementArguments(ids)) { r in events.append((r.text(0) ?? "", Int(r.int64(1)), r.text(2) ?? "", r.text(3) ?? "")) }
            var ledger: [String: [LedgerEntry]] = [:]
            try db.makeStatement(
                sql: "SELECT seq, case_id, event_seq, event_hash, hash FROM ledger WHERE case_id IN (\(placeholders)) ORDER BY case_id, event_seq"
            ).forEachRawRow(StatementArguments(ids)) { row in
                let l = Self.ledgerEntry(row)
                ledger[l.caseID.rawValue, default: []].append(l)
            }
            return (rows, events, ledger)
        }
        guard let last = rows.last else { return ([], nil) }
        var eventsByCase: [String: ArraySlice<(String, Int, String, String)>] = [:]
        var i = 0
        while i < eventRows.count {
            var j = i
            while j < eventRows.count, eventRows[j].0 == eventRows[i].0 { j += 1 }
            eventsByCase[eventRows[i].0] = eventRows[i..<j]
            i = j
        }
        let slices = eventsByCase
        let decoded = try await Parallel.map(rows) { _, id, data in
            let events = try (slices[id] ?? []).map { caseID, seq, hash, text in
                do {
                    return try CaseEvent(canonicalText: text, hash: hash)
                } catch {
                    throw DomainError(.corrupted, code: "event.malformed", "event \(seq) of case \(caseID) is damaged: \(error)")
                }
            }
            return StoredHistory(record: try self.decoder.decode(CaseRecord.self, from: data), events: events, ledger: ledger[id] ?? [])
        }
        return (decoded, rows.count < limit ? nil : last.0)
    }

    /// Ledger entries whose case row is gone.
    public func orphanLedgerEntries(limit: Int) async throws -> [OrphanLedgerEntry] {
        try await pool.read { db in
            var out: [OrphanLedgerEntry] = []
            try db.makeStatement(
                sql: """
                    SELECT l.seq, l.case_id, l.event_seq, c.id IS NULL FROM ledger l LEFT JOIN cases c ON c.id = l.case_id
                    WHERE c.id IS NULL OR NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = l.case_id AND e.seq = l.event_seq)
                    ORDER BY l.seq LIMIT ?
                    """
            ).forEachRawRow([limit]) { row in
                out.append(OrphanLedgerEntry(seq: row.int64(0), caseID: CaseID(row.text(1) ?? ""), eventSeq: Int(row.int64(2)), caseMissing: row.int64(3) != 0))
            }
            return out
        }
    }
}
