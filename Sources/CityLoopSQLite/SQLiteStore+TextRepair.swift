import CityLoopDomain
import Crypto
import Foundation
import GRDB

extension SQLiteStore {
    /// Migration 011 (issue 13 §1): a city that accepted control characters before `TextRules` existed holds
    /// events that cannot be read back (a NUL cut the stored text short) and case rows with the same text. Every
    /// such event and case row gets U+FFFD in place of each refused character, the case's chain is sealed again
    /// from its first event, and a row in `text_repairs` says what was repaired, so `cityloop verify` passes and
    /// the repair stays visible.
    static func repairControlCharacters(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE text_repairs (
                    case_id TEXT PRIMARY KEY, number TEXT NOT NULL, repaired_at INTEGER NOT NULL,
                    events_repaired INTEGER NOT NULL, case_row_repaired INTEGER NOT NULL,
                    old_head TEXT NOT NULL, new_head TEXT NOT NULL
                )
                """)
        // One pass over the events and one over the case rows, on the raw bytes (read as text, a NUL ends them).
        var eventsByCase: [String: Int] = [:]
        let events = try Row.fetchCursor(db, sql: "SELECT case_id, CAST(data AS BLOB) FROM case_events")
        while let row = try events.next() {
            let data: Data = row[1] ?? Data()
            if TextRules.repairedRawText(data) != nil { eventsByCase[row[0], default: 0] += 1 }
        }
        var rowRepaired: Set<String> = []
        let rows = try Row.fetchCursor(db, sql: "SELECT id, CAST(data AS BLOB) FROM cases")
        while let row = try rows.next() {
            let data: Data = row[1] ?? Data()
            if TextRules.repairedJSONText(data) != nil { rowRepaired.insert(row[0]) }
        }
        let affected = Set(eventsByCase.keys).union(rowRepaired).sorted()
        guard !affected.isEmpty else { return }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        let hasher = RepairHasher()
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        for caseID in affected {
            guard let rowData = try Data.fetchOne(db, sql: "SELECT CAST(data AS BLOB) FROM cases WHERE id = ?", arguments: [caseID]) else {
                continue
            }
            var record = try decoder.decode(CaseRecord.self, from: Data(TextRules.repairedJSONText(rowData) ?? Array(rowData)))
            let stored = try Row.fetchAll(
                db, sql: "SELECT seq, hash, CAST(data AS BLOB) FROM case_events WHERE case_id = ? ORDER BY seq", arguments: [caseID])
            var prev = CaseEvent.genesisHash
            for row in stored {
                let raw: Data = row[2] ?? Data()
                let text = String(decoding: TextRules.repairedRawText(raw) ?? Array(raw), as: UTF8.self)
                let event = try CaseEvent(canonicalText: text, hash: row[1]).sealed(after: prev, hasher: hasher)
                prev = event.hash
                try db.execute(
                    sql: "UPDATE case_events SET hash = ?, data = ? WHERE case_id = ? AND seq = ?",
                    arguments: [event.hash, event.canonicalText, caseID, row[0] as Int64])
            }
            let oldHead = record.lastEventHash
            record.lastEventHash = prev
            try db.execute(
                sql: "UPDATE cases SET data = ? WHERE id = ?",
                arguments: [JSONText.text(record, dates: .millisecondsSince1970), caseID])
            try db.execute(
                sql: "INSERT INTO text_repairs VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [caseID, record.number, now, eventsByCase[caseID] ?? 0, rowRepaired.contains(caseID) ? 1 : 0, oldHead, prev])
        }
    }

    /// The cases repaired by migration 011, by case number, with how many events each had repaired.
    public func textRepairs() async throws -> [(number: String, events: Int)] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT number, events_repaired FROM text_repairs ORDER BY number").map { ($0[0], $0[1]) }
        }
    }
}

/// SHA-256 for resealing during the migration (the store has no hasher of its own; this is the same digest as
/// the services' `SHA256Hasher`).
private struct RepairHasher: EventHasher {
    func digest(_ text: String) -> String { digest(utf8: Array(text.utf8)) }
    func digest(utf8 bytes: [UInt8]) -> String { SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }
}
