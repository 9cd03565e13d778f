import CityLoopDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Cases, their reporters and events already in `COPY` text, encoded on the preparing task (the demo prepares on
    /// two cores while one writer stores; encoding in the writer made it the slowest part of a load).
    struct Prepared: PreparedCases {
        var cases = CopyRows()
        var reporters = CopyRows()
        var events = CopyRows()
        /// The cases' evaluation fact rows (new cases only add rows).
        var facts = CopyRows()
        /// Every event's case, position and hash, in order: what the ledger chains (only the writer knows its head).
        var chained: [(caseID: CaseID, seq: Int, hash: String)] = []
        /// The highest loaded sequence number per case-number prefix.
        var sequences: [String: Int] = [:]
        /// What the cases add to the evaluation and analytics sums.
        var sums = CaseDelta()
        var count = 0
    }

    /// Encodes cases for `load(_:)` on the caller's task.
    public func prepare(_ cases: [(CaseRecord, [CaseEvent])]) -> any PreparedCases {
        var p = Prepared()
        p.count = cases.count
        p.chained.reserveCapacity(cases.reduce(0) { $0 + $1.1.count })
        for (c, events) in cases {
            // Numbers are a prefix + a 5-digit sequence; live numbering continues after the highest loaded one.
            if let seq = Int(c.number.suffix(5)) { p.sequences[String(c.number.dropLast(5)), default: 0] = max(p.sequences[String(c.number.dropLast(5))] ?? 0, seq) }
            p.sums.add(created: c, events: events)
            Self.encodeCase(&p.cases, c, json: json(c))
            p.cases.endRow()
            for user in Set(c.reporters.compactMap { $0.userID?.rawValue }).sorted() {
                p.reporters.text(c.id.rawValue)
                p.reporters.text(user)
                p.reporters.endRow()
            }
            for e in events {
                p.events.text(e.caseID.rawValue)
                p.events.int(Int64(e.seq))
                p.events.text(e.hash)
                p.events.text(utf8: e.canonicalBytes)
                p.events.endRow()
                p.chained.append((e.caseID, e.seq, e.hash))
            }
        }
        // One row per day and case: a later row of the same day replaces an earlier one.
        var latest: [CaseDelta.FactRow] = []
        var at: [Int: [CaseID: Int]] = [:]
        for row in p.sums.factRows {
            if let i = at[row.day]?[row.caseID] { latest[i] = row } else {
                at[row.day, default: [:]][row.caseID] = latest.count
                latest.append(row)
            }
        }
        for row in latest {
            p.facts.int(Int64(row.day))
            p.facts.text(row.caseID.rawValue)
            p.facts.text(row.gridCode)
            p.facts.bytea(row.blob)
            p.facts.endRow()
        }
        return p
    }

    /// Writes prepared cases with `COPY … FROM STDIN` in two transactions side by side, on two connections: the
    /// cases, their reporters, fact rows and sums; and their events with the ledger entries chained on them (under the
    /// case-write lock). A load is meant for a city not yet served (the demo): a failed load leaves it incomplete
    /// (`verify` tells), and until both commit a reader may see cases without their events.
    public func load(_ prepared: any PreparedCases) async throws {
        guard let prepared = prepared as? Prepared else {
            throw DomainError(.invalidInput, code: "load.foreign", "cases were prepared by another kind of store")
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await self.transaction { c in
                    do {
                        try await self.copy(prepared.cases, into: "cases", columns: Self.copiedCaseColumns, on: c)
                    } catch where Self.isUniqueViolation(error) {
                        throw DomainError(.conflict, code: "case.exists", "a loaded case or its number is stored already: \(Self.describe(error))")
                    }
                    try await self.copy(prepared.reporters, into: "case_reporters", columns: ["case_id", "user_id"], on: c)
                    try await self.writeLoadedSums(prepared, on: c)
                }
            }
            group.addTask {
                try await self.transaction { c in
                    try await self.lockCaseWrites(on: c)
                    // The city ledger, chained on in the same transaction (which holds the case-write lock). Its
                    // hashes are computed while the server stores the events, not after.
                    let start = try await self.ledgerHead(on: c)
                    let chaining = Task {
                        var head = start
                        let hasher = LedgerDigest()
                        return prepared.chained.map { head.append(caseID: $0.caseID, eventSeq: $0.seq, eventHash: $0.hash, hasher: hasher) }
                    }
                    do {
                        try await self.copy(prepared.events, into: "case_events", columns: ["case_id", "seq", "hash", "data"], on: c)
                    } catch {
                        chaining.cancel()
                        throw error
                    }
                    let entries = await chaining.value
                    try await self.copy(entries, into: "ledger", columns: ["seq", "case_id", "event_seq", "event_hash", "hash"], on: c) { out, l in
                        out.int(l.seq)
                        out.text(l.caseID.rawValue)
                        out.int(Int64(l.eventSeq))
                        out.text(l.eventHash)
                        out.text(l.hash)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// The loaded cases' fact rows (copied), sums and numbering.
    private func writeLoadedSums(_ prepared: Prepared, on c: PostgresConnection) async throws {
        guard prepared.sums.removedFacts.isEmpty else {
            // New cases remove no fact rows; should they ever, the sums go the general way.
            return try await write(delta: prepared.sums, on: c)
        }
        try await copy(prepared.facts, into: "case_facts", columns: ["day", "case_id", "grid_code", "data"], on: c)
        var sql = SQLBuilder()
        let parts = Self.sumParts(prepared.sums, &sql, factRows: false)
        if !parts.isEmpty {
            let with = parts.enumerated().map { "w\($0.offset) AS (\($0.element))" }
            try await run(sql.query("WITH " + with.joined(separator: ",\n") + "\nSELECT 1"), on: c)
        }
        let prefixes = prepared.sequences.keys.sorted()
        if !prefixes.isEmpty {
            try await run(
                """
                INSERT INTO sequences AS s (key, value) SELECT * FROM unnest(\(prefixes)::text[], \(prefixes.map { Int64(prepared.sequences[$0] ?? 0) })::int8[])
                ON CONFLICT (key) DO UPDATE SET value = greatest(s.value, excluded.value)
                """, on: c)
        }
    }

    /// The columns `load` copies into `cases`, in `encodeCase`'s order.
    static let copiedCaseColumns = [
        "id", "number", "client_request_id", "request_key", "source", "matter_code", "state", "lead_department", "assisting", "grid_code",
        "lat", "lon", "cell", "created_at", "updated_at", "step_due_at", "has_deadline", "version", "data", "filed_at", "closed_at",
        "handling_due_at",
    ]

    static func encodeCase(_ out: inout CopyRows, _ c: CaseRecord, json: String) {
        out.text(c.id.rawValue)
        out.text(c.number)
        out.text(c.clientRequestID)
        out.text(c.requestKey)
        out.text(c.source.rawValue)
        out.text(c.matterCode)
        out.text(c.state.rawValue)
        out.text(c.leadDepartmentID?.rawValue)
        out.text(assisting(c))
        out.text(c.placement.gridCode)
        out.double(c.point.lat)
        out.double(c.point.lon)
        out.int(DuplicateCell.cell(lat: c.point.lat, lon: c.point.lon))
        out.int(ms(c.createdAt))
        out.int(ms(c.updatedAt))
        out.int(ms(optional: c.stepDueAt))
        out.bool(c.state.hasDeadline)
        out.int(Int64(c.version))
        out.text(json)
        out.int(ms(optional: c.filedAt))
        out.int(ms(optional: c.closedAt))
        out.int(ms(optional: c.handlingDueAt))
    }
}

extension PostgresStore {
    /// The secondary indexes of `cases` (as migration 001 made them; a migration that changes one changes it here
    /// too), which a bulk load into a city without cases drops and builds again at the end: one sort per index
    /// instead of a million inserts at random places. Unique indexes stay, so duplicates are still refused.
    static let deferredIndexes: [(name: String, definition: String)] = [
        ("cases_state", "ON cases (state, created_at)"),
        ("cases_department", "ON cases (lead_department, state)"),
        ("cases_grid", "ON cases (grid_code, created_at)"),
        ("cases_created", "ON cases (created_at, matter_code, grid_code)"),
        ("cases_due", "ON cases (step_due_at) WHERE has_deadline"),
        ("cases_duplicate_cells", "ON cases (matter_code, cell, created_at, state, lat, lon)"),
        ("cases_filed", "ON cases (filed_at) WHERE filed_at IS NOT NULL"),
        ("cases_closed", "ON cases (state, closed_at, handling_due_at) WHERE closed_at IS NOT NULL"),
        ("ledger_event", "ON ledger (case_id, event_seq)"),
    ]

    /// Runs `body` as one bulk load: into a city without cases, without the secondary indexes until it ends
    /// (also when it fails). Meant for loading a city before it is served: other writers meanwhile would miss the
    /// indexes' help, not their correctness.
    public func withBulkLoad(_ body: () async throws -> Void) async throws {
        let empty = try await rows("SELECT NOT EXISTS (SELECT 1 FROM cases)").first?.decode(Bool.self) ?? false
        if empty {
            try await transaction { c in
                for index in Self.deferredIndexes { try await self.run(PostgresQuery(unsafeSQL: "DROP INDEX IF EXISTS \(index.name)"), on: c) }
                // Autovacuum would scan the growing tables again and again while they fill (a tenth of the server's work).
                for table in Self.loadedTables {
                    try await self.run(PostgresQuery(unsafeSQL: "ALTER TABLE \(table) SET (autovacuum_enabled = false)"), on: c)
                }
            }
        }
        do {
            try await body()
        } catch {
            if empty { try? await restoreDeferredIndexes() }
            throw error
        }
        if empty {
            try await restoreDeferredIndexes()
            _ = try await rows("ANALYZE cases")
        }
    }

    /// The tables a bulk load fills, without autovacuum while it runs.
    static let loadedTables = ["cases", "case_events", "ledger", "case_facts", "case_reporters"]

    /// Creates any missing deferred index and lets autovacuum back on the loaded tables: after a bulk load, and at
    /// opening (a load cut short by a crash). A table is altered only when it needs it (altering locks it).
    func restoreDeferredIndexes() async throws {
        for row in try await rows(
            """
            SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relname = ANY(\(Self.loadedTables)::text[])
                AND reloptions @> ARRAY['autovacuum_enabled=false']
            """)
        {
            let table = try row.decode(String.self)
            _ = try await rows(PostgresQuery(unsafeSQL: "ALTER TABLE \(table) RESET (autovacuum_enabled)"))
        }
        let present = Set(try await rows("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()").map { try $0.decode(String.self) })
        let missing = Self.deferredIndexes.filter { !present.contains($0.name) }
        guard !missing.isEmpty else { return }
        // Two at a time on connections of their own (the largest, the ledger's, first), each sorting in memory: after
        // the million-case demo this took 20 s one by one.
        let queue = IndexQueue(missing.sorted { $0.name.hasPrefix("ledger") && !$1.name.hasPrefix("ledger") })
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    while let index = queue.next() {
                        try await self.transaction { c in
                            try await self.run("SET LOCAL maintenance_work_mem = '256MB'", on: c)
                            try await self.run(PostgresQuery(unsafeSQL: "CREATE INDEX IF NOT EXISTS \(index.name) \(index.definition)"), on: c)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// The tables whose autovacuum is off; for tests of bulk loading.
    public func tablesWithoutAutovacuum() async throws -> Set<String> {
        Set(try await rows(
            """
            SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND reloptions @> ARRAY['autovacuum_enabled=false']
            """
        ).map { try $0.decode(String.self) })
    }

    /// Sessions on this database inside a transaction that waits for its client; for tests of intake's transactions
    /// begun ahead (`TransactionAhead`).
    public func sessionsIdleInTransaction() async throws -> Int {
        try await rows("SELECT count(*)::int8 FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'")
            .first?.decode(Int.self) ?? 0
    }

    /// The names of the indexes on a table; for tests of bulk loading.
    public func indexNames(table: String) async throws -> Set<String> {
        Set(try await rows("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = \(table)").map { try $0.decode(String.self) })
    }
}

/// The deferred indexes still to build, taken one at a time by the builders.
private final class IndexQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var left: [(name: String, definition: String)]
    init(_ indexes: [(name: String, definition: String)]) { left = indexes }
    func next() -> (name: String, definition: String)? { lock.withLock { left.isEmpty ? nil : left.removeFirst() } }
}
