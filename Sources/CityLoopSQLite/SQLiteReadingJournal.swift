import CityLoopDomain
import Foundation
import GRDB
import Synchronization

/// The journal of device messages (`ReadingJournalStore`) in a SQLite file of its own beside the database
/// (`<database>.device-journal`): appends group-commit there while an ingest batch holds the database's writer. Opened
/// on first use.
final class SQLiteReadingJournal: Sendable {
    private let path: String
    private let queue = Mutex<DatabaseQueue?>(nil)

    init(path: String) { self.path = path }

    /// The journal's database, created on first use; its numbering starts past `floor` (the highest mark already
    /// recorded), so a journal file removed by hand cannot number new messages as ingested ones.
    func database(floor: () throws -> Int64) throws -> DatabaseQueue {
        try queue.withLock { q in
            if let q { return q }
            var config = Configuration()
            config.busyMode = .timeout(10)
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            let db = try DatabaseQueue(path: path, configuration: config)
            let low = try floor()
            try db.write { db in
                try db.execute(
                    sql: """
                        CREATE TABLE IF NOT EXISTS journal (
                            seq INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT NOT NULL, topic TEXT NOT NULL, payload BLOB NOT NULL);
                        CREATE INDEX IF NOT EXISTS journal_owner ON journal (owner, seq);
                        """)
                let current = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'journal'") ?? 0
                if current < low {
                    try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = 'journal'")
                    try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('journal', ?)", arguments: [low])
                }
            }
            q = db
            return db
        }
    }
}

extension SQLiteStore {
    private func journalDatabase() throws -> DatabaseQueue {
        try readingJournal.database { try pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM reading_journal_marks") ?? 0 } }
    }

    /// Appends messages to an owner's journal.
    public func appendJournal(_ messages: [JournalMessage], owner: String) async throws {
        guard !messages.isEmpty else { return }
        let db = try journalDatabase()
        try await db.write { db in
            let insert = try db.cachedStatement(sql: "INSERT INTO journal (owner, topic, payload) VALUES (?, ?, ?)")
            for m in messages { try insert.execute(arguments: [owner, m.topic, m.payload]) }
        }
    }

    /// The oldest messages of an owner's journal after `seq` (after its mark when nil).
    public func journal(owner: String, after seq: Int64?, limit: Int) async throws -> [JournalEntry] {
        let mark = try await journalMark(owner: owner)
        let from = max(seq ?? mark, mark)
        let db = try journalDatabase()
        return try await db.read { db in
            try Row.fetchAll(
                db, sql: "SELECT seq, topic, payload FROM journal WHERE owner = ? AND seq > ? ORDER BY seq LIMIT ?", arguments: [owner, from, max(0, limit)]
            ).map { JournalEntry(seq: $0[0], message: JournalMessage(topic: $0[1], payload: $0[2])) }
        }
    }

    private func journalMark(owner: String) async throws -> Int64 {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT seq FROM reading_journal_marks WHERE owner = ?", arguments: [owner]) ?? 0 }
    }

    /// Records a journal mark inside an ingest transaction.
    func recordJournalMark(_ mark: JournalMark, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO reading_journal_marks (owner, seq) VALUES (?, ?) ON CONFLICT(owner) DO UPDATE SET seq = max(seq, excluded.seq)",
            arguments: [mark.owner, mark.seq])
    }

    /// Drops the journal's ingested messages (after the mark's transaction committed; a failure leaves them to the
    /// next time, and the mark keeps them from being ingested twice).
    func trimJournal(_ mark: JournalMark) async {
        guard let db = try? journalDatabase() else { return }
        _ = try? await db.write { db in
            try db.execute(sql: "DELETE FROM journal WHERE owner = ? AND seq <= ?", arguments: [mark.owner, mark.seq])
        }
    }
}
