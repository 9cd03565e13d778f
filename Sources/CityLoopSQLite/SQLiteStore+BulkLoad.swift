import CityLoopDomain
import Foundation
import GRDB

extension SQLiteStore {
    static let eventRowsPerInsert = 64
    static let caseRowsPerInsert = 32

    /// Cases and events encoded as stored: record JSON and event canonical text.
    struct Prepared: PreparedCases {
        var cases: [(record: CaseRecord, json: [UInt8], events: [(event: CaseEvent, text: [UInt8])])]
        /// The highest loaded sequence number per case-number prefix.
        var sequences: [String: Int]
        /// The cases' evaluation facts and sums.
        var evaluation: CaseDelta
        var count: Int { cases.count }
    }

    /// Encodes cases for `load(_:)` on the caller's task, so the single writer only binds bytes.
    public func prepare(_ cases: [(CaseRecord, [CaseEvent])]) -> any PreparedCases {
        var sequences: [String: Int] = [:]
        for (c, _) in cases {
            // Numbers are a prefix + a 5-digit sequence; live numbering continues after the highest loaded one.
            if let seq = Int(c.number.suffix(5)) { sequences[String(c.number.dropLast(5)), default: 0] = max(sequences[String(c.number.dropLast(5))] ?? 0, seq) }
        }
        var evaluation = CaseDelta()
        for (c, events) in cases { evaluation.add(created: c, events: events) }
        return Prepared(
            cases: cases.map { c, events in
                (c, JSONText.data(c, dates: .millisecondsSince1970), events.map { ($0, $0.canonicalBytes) })
            },
            sequences: sequences, evaluation: evaluation)
    }

    /// Writes prepared cases and events in one transaction.
    public func load(_ prepared: any PreparedCases) async throws {
        guard let prepared = prepared as? Prepared else {
            throw DomainError(.invalidInput, code: "load.foreign", "cases were prepared by another kind of store")
        }
        try await pool.writeWithoutTransaction { db in
            try db.inTransaction {
                try self.write(prepared, db)
                return .commit
            }
            // The checkpointer of `withBulkLoad` copies the log while the writer goes on, but the log can only
            // start over once it is copied up to its end, which never happens while loads follow each other:
            // past a bound the writer copies the rest and truncates it. While the checkpointer is copying, SQLite
            // answers busy at once (the writer has no busy handler): that batch's data is committed all the same,
            // and the next batch tries again.
            if let size = try? FileManager.default.attributesOfItem(atPath: self.path + "-wal")[.size] as? Int, size > Self.walBound {
                do {
                    _ = try db.checkpoint(.truncate)
                } catch let e as DatabaseError where e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED {
                    // Tried again after the next batch.
                }
            }
        }
    }

    /// A write-ahead log larger than this is truncated after a bulk load's transaction.
    static let walBound = 512 << 20

    private func write(_ prepared: Prepared, _ db: Database) throws {
        // A larger page cache for the writer once it bulk-loads, kept between batches: shrinking it after each
        // batch threw away every index page and made each later batch slower than the one before.
        try db.execute(sql: "PRAGMA cache_size = -262144")
        // Cases, reporters and events go in many rows per statement: one statement per row spent more on
        // starting and finishing statements than on the rows.
        try insertMany(db, Self.caseInsertHead, row: Self.caseColumns, prepared.cases, perStatement: Self.caseRowsPerInsert) { b, c in
            Self.bindCase(&b, c.record, data: c.json)
        }
        let reporters = prepared.cases.flatMap { c, _, _ in c.reporters.compactMap { r in r.userID.map { (c.id, $0) } } }
        try insertMany(db, "INSERT OR IGNORE INTO case_reporters (case_id, user_id) VALUES ", row: 2, reporters, perStatement: Self.eventRowsPerInsert) { b, r in
            b.text(r.0.rawValue)
            b.text(r.1.rawValue)
        }
        try insertMany(db, "INSERT INTO case_events (case_id, seq, hash, data) VALUES ", row: 4, prepared.cases.flatMap(\.events), perStatement: Self.eventRowsPerInsert) { b, e in
            b.text(e.event.caseID.rawValue)
            b.int(Int64(e.event.seq))
            b.text(e.event.hash)
            b.text(utf8: e.text)
        }
        // The city ledger, chained on in the same transaction (hashed here: the chain needs the head this writer holds).
        var head = try Self.ledgerHead(db)
        let hasher = LedgerDigest()
        var entries: [LedgerEntry] = []
        entries.reserveCapacity(prepared.cases.reduce(0) { $0 + $1.events.count })
        for c in prepared.cases { for e in c.events { entries.append(head.append(e.event, hasher: hasher)) } }
        try insertMany(db, Self.ledgerInsertHead, row: 5, entries, perStatement: Self.eventRowsPerInsert) { b, l in Self.bindLedger(&b, l) }
        try Self.write(prepared.evaluation, db)
        for (prefix, seq) in prepared.sequences {
            try db.cachedStatement(
                sql: "INSERT INTO sequences (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value)"
            ).execute(arguments: [prefix, seq])
        }
    }

    /// Inserts `rows` with `perStatement` rows of `columns` placeholders per statement.
    private func insertMany<Row>(
        _ db: Database, _ head: String, row columns: Int, _ rows: [Row], perStatement: Int, bind: (inout RawBinder, Row) -> Void
    ) throws {
        let tuple = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            let slice = rows[start..<min(start + perStatement, rows.count)]
            try db.cachedStatement(sql: head + Array(repeating: tuple, count: slice.count).joined(separator: ", ")).executeRaw { b in
                for r in slice { bind(&b, r) }
            }
        }
    }

    /// The secondary indexes of `cases` (as the migrations left them), which a bulk load into an empty table
    /// drops and builds again at the end: sorting a million rows once is far cheaper than a million inserts
    /// at random places in six b-trees. Unique indexes stay, so duplicates are still refused row by row.
    static let deferredIndexes: [(name: String, columns: String)] = [
        ("cases_state", "(state, created_at)"),
        ("cases_department", "(lead_department, state)"),
        ("cases_grid", "(grid_code, created_at)"),
        ("cases_created", "(created_at, matter_code, grid_code)"),
        ("cases_due", "(step_due_at) WHERE has_deadline = 1"),
        ("cases_duplicate_cells", "(matter_code, cell, created_at, state, lat, lon)"),
        ("cases_filed", "(filed_at) WHERE filed_at IS NOT NULL"),
        ("cases_closed", "(state, closed_at, handling_due_at) WHERE closed_at IS NOT NULL"),
    ]

    /// Creates any missing deferred index: after a bulk load, and at opening (a load cut short by a crash).
    func restoreDeferredIndexes(_ db: Database) throws {
        for index in Self.deferredIndexes { try db.execute(sql: "CREATE INDEX IF NOT EXISTS \(index.name) ON cases\(index.columns)") }
        try db.execute(sql: "CREATE INDEX IF NOT EXISTS ledger_event ON ledger(case_id, event_seq)")
    }

    /// Runs `body` as one bulk load: WAL checkpoints on a connection of their own, beside the writer; and into
    /// an empty table, without the secondary indexes until it ends.
    public func withBulkLoad(_ body: () async throws -> Void) async throws {
        let empty = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1 FROM cases LIMIT 1") == nil }
        try await pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            // No fsync while loading: a killed process still loses nothing committed (the OS holds the writes);
            // only a power cut during the load could, and the final truncating checkpoint syncs everything.
            try db.execute(sql: "PRAGMA synchronous = OFF")
            if empty {
                for index in Self.deferredIndexes { try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)") }
                try db.execute(sql: "DROP INDEX IF EXISTS ledger_event")
            }
        }
        // Copying the log into the database was a fifth of the writer's time; a second connection does it
        // meanwhile on the other core (a passive checkpoint never blocks the writer).
        var checkpointerConfig = Configuration()
        checkpointerConfig.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = OFF") }
        let checkpointer = try DatabaseQueue(path: path, configuration: checkpointerConfig)
        let checkpoints = Task.detached {
            while !Task.isCancelled {
                _ = try? await checkpointer.writeWithoutTransaction { db in try db.checkpoint(.passive) }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        func finish() async throws {
            checkpoints.cancel()
            _ = await checkpoints.result
            try await pool.writeWithoutTransaction { db in
                if empty {
                    // Generation is over by now: let SQLite's sorter use the other core for the index builds.
                    try db.execute(sql: "PRAGMA threads = 2")
                    try db.inTransaction { try self.restoreDeferredIndexes(db); return .commit }
                    try db.execute(sql: "PRAGMA threads = 0")
                }
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Self.walAutocheckpoint)")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                _ = try db.checkpoint(.truncate)
            }
            try checkpointer.close()
        }
        do {
            try await body()
        } catch {
            try? await finish()
            throw error
        }
        try await finish()
    }
}
