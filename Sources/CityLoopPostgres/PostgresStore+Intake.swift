import CityLoopDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Writes a batch of new cases in one transaction in three round trips of its own: the case-write lock with the
    /// stored request keys and the recurrence lookups; the numbers (one upsert per prefix) with the ledger's head;
    /// one statement that writes the cases, reporters, events, ledger entries and sums and returns every case's nearby
    /// open cases, sent with `COMMIT`. (`BEGIN` was sent while the batch before was written: `TransactionAhead`.)
    /// Throws when anything fails (the caller then writes them one by one).
    func createCases(_ batch: [PostgresNewCase]) async throws -> [CaseCreation] {
        try await intakeTransaction { conn in
            let keys = Array(Set(batch.compactMap(\.record.requestKey)))
            var stored: [String: CaseRecord] = [:]
            // The recurrence lookups are answered by the same statement (its second part).
            let lookups = batch.compactMap(\.recurrence)
            let closed = ClosedCasesLookup(lookups.map(\.query))
            var found: [(Int, ClosedCase)] = []
            // The keys are read with this statement's snapshot, taken before the lock is granted: a key that another
            // node stores meanwhile is caught by the unique index (the batch then fails, and is written case by case,
            // each under the lock). This node's own batches come one after another.
            var sql = SQLBuilder()
            var statement = """
                SELECT k.request_key, k.data, NULL::int8, NULL::text, NULL::text, NULL::float8, NULL::float8, NULL::int8
                FROM (SELECT pg_advisory_xact_lock(\(sql.bind(Self.caseWriteLockKey)))) AS l
                LEFT JOIN cases AS k ON k.request_key = ANY(\(sql.bind(keys))::text[])
                """
            if closed.hasCells { statement += "\nUNION ALL SELECT NULL, NULL, r.* FROM (\(closed.select(&sql))) AS r" }
            for row in try await self.rows(sql.query(statement), on: conn) {
                let cells = Array(row)
                if let key = try cells[0].decode(String?.self), let data = try cells[1].decode(String?.self) {
                    stored[key] = try self.decode(CaseRecord.self, data)
                } else if try cells[2].decode(Int?.self) != nil {
                    found.append(try ClosedCasesLookup.decode(row, at: 2))
                }
            }
            // Which items create a case: the first of each request key not stored yet.
            enum Plan { case existing(String), created(Int) }
            var plans: [Plan] = []
            var creating: [PostgresNewCase] = []
            var firstOfKey: [String: Int] = [:]
            for new in batch {
                if let key = new.record.requestKey {
                    if stored[key] != nil {
                        plans.append(.existing(key))
                        continue
                    }
                    if let earlier = firstOfKey[key] {
                        plans.append(.created(earlier))
                        continue
                    }
                    firstOfKey[key] = creating.count
                }
                plans.append(.created(creating.count))
                creating.append(new)
            }
            // Read after the lock is held: this statement's snapshot sees every earlier batch of every node.
            var (records, head) = try await self.numbered(creating, on: conn)
            var answers = try await closed.answers(found) { q in try await self.closedCases([q], on: conn)[0] }.makeIterator()
            var repeats: [CaseID: CaseID] = [:]
            for new in batch {
                if let r = new.recurrence, let closed = answers.next() { repeats[new.record.id] = r.repeated(among: closed) }
            }
            for i in records.indices where repeats[records[i].id] != nil { records[i].recurrenceOf = repeats[records[i].id] }
            let events = creating.map(\.firstEvent)
            var chain = head
            let hasher = LedgerDigest()
            let ledger = events.map { chain.append($0, hasher: hasher) }
            var sums = CaseDelta()
            for (c, e) in zip(records, events) { sums.add(created: c, events: [e]) }
            let nearby = try await self.writeCreated(records, events: events, ledger: ledger, sums: sums, nearby: batch.map(\.nearby), on: conn)
            var out: [CaseCreation] = []
            for ((new, plan), found) in zip(zip(batch, plans), nearby) {
                switch plan {
                case .existing(let key): out.append(CaseCreation(record: stored[key]!, created: false, nearby: found))
                case .created(let i):
                    // A repeat of a request earlier in the batch finds the case that one created.
                    let isFirst = creating[i].record.id == new.record.id
                    out.append(CaseCreation(record: records[i], created: isFirst, nearby: found))
                }
            }
            return out
        }
    }

    /// Writes the new cases with their reporters, events, ledger entries and sums, and reads the open cases near each
    /// query, in one statement: data-modifying `WITH` parts over arrays, and the nearby read as its main query. The
    /// main query does not see the rows its `WITH` parts insert, so the batch's own cases are matched here. The
    /// transaction commits with this statement.
    private func writeCreated(
        _ records: [CaseRecord], events: [CaseEvent], ledger: [LedgerEntry], sums: CaseDelta, nearby: [OpenCasesQuery?], on conn: PostgresConnection
    ) async throws -> [[CaseSummary]] {
        var sql = SQLBuilder()
        var parts: [String] = []
        if !records.isEmpty { parts.append(insertCasesSQL(records, &sql)) }
        let reporters = records.flatMap { c in Set(c.reporters.compactMap { $0.userID?.rawValue }).sorted().map { (c.id.rawValue, $0) } }
        if !reporters.isEmpty {
            parts.append(
                "INSERT INTO case_reporters (case_id, user_id) SELECT * FROM unnest(\(sql.bind(reporters.map(\.0)))::text[], \(sql.bind(reporters.map(\.1)))::text[])")
        }
        if !events.isEmpty {
            parts.append(
                """
                INSERT INTO case_events (case_id, seq, hash, data) SELECT * FROM unnest(\(sql.bind(events.map(\.caseID.rawValue)))::text[],
                    \(sql.bind(events.map { Int64($0.seq) }))::int8[], \(sql.bind(events.map(\.hash)))::text[], \(sql.bind(events.map(\.canonicalText)))::text[])
                """)
        }
        if !ledger.isEmpty {
            parts.append(
                """
                INSERT INTO ledger (seq, case_id, event_seq, event_hash, hash) SELECT * FROM unnest(\(sql.bind(ledger.map(\.seq)))::int8[],
                    \(sql.bind(ledger.map(\.caseID.rawValue)))::text[], \(sql.bind(ledger.map { Int64($0.eventSeq) }))::int8[],
                    \(sql.bind(ledger.map(\.eventHash)))::text[], \(sql.bind(ledger.map(\.hash)))::text[])
                """)
        }
        // New cases remove no fact rows; should a change ever do, the sums go the general way (deletes first).
        if sums.removedFacts.isEmpty {
            parts += Self.sumParts(sums, &sql)
        } else {
            try await write(delta: sums, on: conn)
        }
        let plan = try await nearbyPlan(nearby, on: conn)
        let select = plan.pairs.isEmpty ? "SELECT NULL::int8 AS i WHERE false" : Self.nearbySQL(plan.pairs, nearby, &sql)
        let with = parts.enumerated().map { "w\($0.offset) AS (\($0.element))" }
        // The transaction's last statement: COMMIT goes with it.
        let rows = try await self.rows([sql.query((with.isEmpty ? "" : "WITH " + with.joined(separator: ",\n") + "\n") + select), "COMMIT"], on: conn)[0]
        var out = plan.found
        for (i, q) in nearby.enumerated() {
            if let q { out[i] += records.filter(q.matches).map(\.summary) }
        }
        try Self.collectNearby(plan.pairs.isEmpty ? [] : rows, nearby, into: &out)
        return out
    }
    /// The records with their numbers drawn, and the ledger's head, in one statement: one upsert per prefix advances
    /// its daily sequence by the batch's cases of that prefix.
    private func numbered(_ creating: [PostgresNewCase], on conn: PostgresConnection) async throws -> ([CaseRecord], LedgerHead) {
        var counts: [String: Int] = [:]
        for new in creating { counts[new.numberPrefix, default: 0] += 1 }
        guard !counts.isEmpty else { return ([], .empty) }
        let prefixes = counts.keys.sorted()
        var next: [String: Int] = [:]
        var head = LedgerHead.empty
        for row in try await rows(
            """
            WITH n AS (
                INSERT INTO sequences AS s (key, value) SELECT * FROM unnest(\(prefixes)::text[], \(prefixes.map { Int64(counts[$0]!) })::int8[])
                ON CONFLICT (key) DO UPDATE SET value = s.value + excluded.value RETURNING key, value
            )
            SELECT key, value, NULL::text FROM n
            UNION ALL SELECT NULL, seq, hash FROM (SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1) AS h
            """, on: conn)
        {
            let (key, value, hash) = try row.decode((String?, Int64, String?).self)
            if let key { next[key] = Int(value) - counts[key]! + 1 } else if let hash { head = LedgerHead(seq: value, hash: hash) }
        }
        let records = creating.map { new in
            var c = new.record
            let seq = next[new.numberPrefix]!
            next[new.numberPrefix] = seq + 1
            c.number = new.numberPrefix + String(zeroPadded: seq, width: 5)
            return c
        }
        return (records, head)
    }

    /// The open cases each query finds (none for nil), in one statement: a lateral join runs one backward index
    /// range per query and ~100 m cell (matter, cell, created_at: newest first, no sort), and the cells' rows are
    /// merged here, as the SQLite store does. A box over too many cells is searched by itself.
    func openCases(_ queries: [OpenCasesQuery?], on conn: PostgresConnection) async throws -> [[CaseSummary]] {
        let plan = try await nearbyPlan(queries, on: conn)
        guard !plan.pairs.isEmpty else { return plan.found }
        var sql = SQLBuilder()
        let text = Self.nearbySQL(plan.pairs, queries, &sql)
        let rows = try await rows(sql.query(text), on: conn)
        var out = plan.found
        try Self.collectNearby(rows, queries, into: &out)
        return out
    }

    /// The (query, cell) pairs the lateral read runs, and the answers of queries over too many cells, read apart.
    private func nearbyPlan(_ queries: [OpenCasesQuery?], on conn: PostgresConnection) async throws
        -> (pairs: [(query: Int, cell: Int64)], found: [[CaseSummary]])
    {
        var found = Array(repeating: [CaseSummary](), count: queries.count)
        var pairs: [(query: Int, cell: Int64)] = []
        for (i, q) in queries.enumerated() {
            guard let q else { continue }
            if let cells = DuplicateCell.cells(covering: q.box) {
                pairs += cells.map { (i, $0) }
            } else {
                found[i] = try await openCasesAnyCell(q, on: conn)
            }
        }
        return (pairs, found)
    }

    /// The lateral read of open cases per (query, cell) pair, its values bound in `sql`.
    private static func nearbySQL(_ pairs: [(query: Int, cell: Int64)], _ queries: [OpenCasesQuery?], _ sql: inout SQLBuilder) -> String {
        let qs = pairs.map { queries[$0.query]! }
        return """
            SELECT q.i, c.id, c.number, c.matter_code, c.state, c.lat, c.lon, c.created_at
            FROM unnest(\(sql.bind(pairs.map { Int64($0.query) }))::int8[], \(sql.bind(qs.map(\.matterCode)))::text[], \(sql.bind(pairs.map(\.cell)))::int8[],
                \(sql.bind(qs.map { boundMs($0.since) }))::int8[], \(sql.bind(qs.map(\.box.minLat)))::float8[], \(sql.bind(qs.map(\.box.maxLat)))::float8[],
                \(sql.bind(qs.map(\.box.minLon)))::float8[], \(sql.bind(qs.map(\.box.maxLon)))::float8[], \(sql.bind(qs.map { Int64($0.limit) }))::int8[])
                AS q(i, matter, cell, since, min_lat, max_lat, min_lon, max_lon, lim)
            CROSS JOIN LATERAL (
                SELECT id, number, matter_code, state, lat, lon, created_at FROM cases
                WHERE matter_code = q.matter AND cell = q.cell AND created_at >= q.since
                    AND lat BETWEEN q.min_lat AND q.max_lat AND lon BETWEEN q.min_lon AND q.max_lon AND state NOT IN \(terminalStatesSQL)
                ORDER BY created_at DESC LIMIT q.lim
            ) AS c
            """
    }

    /// Adds the lateral read's rows to their queries' answers, newest first, each cut to its query's limit.
    private static func collectNearby(_ rows: [PostgresRow], _ queries: [OpenCasesQuery?], into out: inout [[CaseSummary]]) throws {
        for row in rows {
            let (i, id, number, matter, state, lat, lon, created) = try row.decode((Int, String, String, String, String, Double, Double, Int64).self)
            guard let s = CaseState(rawValue: state) else { continue }
            out[i].append(
                CaseSummary(id: CaseID(id), number: number, matterCode: matter, state: s, point: GeoPoint(lat: lat, lon: lon), createdAt: date(created)))
        }
        for (i, q) in queries.enumerated() where q != nil && out[i].count > 1 {
            out[i] = Array(out[i].sorted { ($0.createdAt, $0.id.rawValue) > ($1.createdAt, $1.id.rawValue) }.prefix(q!.limit))
        }
    }
}
