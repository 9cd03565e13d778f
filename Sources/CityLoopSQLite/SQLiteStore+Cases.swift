import CityLoopDomain
import Foundation
import GRDB

extension SQLiteStore {
    static let caseInsert = """
        INSERT INTO cases (id, number, client_request_id, request_key, source, matter_code, state, lead_department, assisting,
            grid_code, lat, lon, cell, created_at, updated_at, step_due_at, has_deadline, version, data)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let caseUpdate = """
        UPDATE cases SET state = ?, lead_department = ?, assisting = ?, updated_at = ?, step_due_at = ?,
            has_deadline = ?, version = ?, data = ? WHERE id = ? AND version = ?
        """

    func insertCase(_ db: Database, _ c: CaseRecord, data: [UInt8]? = nil) throws {
        try db.cachedStatement(sql: Self.caseInsert).executeRaw { b in
            b.text(c.id.rawValue)
            b.text(c.number)
            b.text(c.clientRequestID)
            b.text(c.requestKey)
            b.text(c.source.rawValue)
            b.text(c.matterCode)
            b.text(c.state.rawValue)
            b.text(c.leadDepartmentID?.rawValue)
            b.text(Self.assisting(c))
            b.text(c.placement.gridCode)
            b.double(c.point.lat)
            b.double(c.point.lon)
            b.int(DuplicateCell.cell(lat: c.point.lat, lon: c.point.lon))
            b.int(Self.ms(c.createdAt))
            b.int(Self.ms(c.updatedAt))
            b.int(Self.ms(c.stepDueAt))
            b.int(c.state.hasDeadline ? 1 : 0)
            b.int(Int64(c.version))
            b.text(utf8: data ?? JSONText.data(c, dates: .millisecondsSince1970))
        }
        for r in c.reporters { try insertReporter(db, c.id, r) }
    }

    func insertReporter(_ db: Database, _ id: CaseID, _ r: Reporter) throws {
        guard let u = r.userID else { return }
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO case_reporters (case_id, user_id) VALUES (?, ?)").executeRaw { b in
            b.text(id.rawValue)
            b.text(u.rawValue)
        }
    }

    static let eventRowsPerInsert = 64

    static func eventInsert(rows: Int) -> String {
        "INSERT INTO case_events (case_id, seq, hash, data) VALUES " + Array(repeating: "(?, ?, ?, ?)", count: rows).joined(separator: ", ")
    }

    /// Stores an event as its canonical text: the very text its hash covers (see `CaseEvent(canonicalText:hash:)`).
    func insertEvent(_ db: Database, _ e: CaseEvent, data: [UInt8]? = nil) throws {
        try db.cachedStatement(sql: "INSERT INTO case_events (case_id, seq, hash, data) VALUES (?, ?, ?, ?)").executeRaw { b in
            b.text(e.caseID.rawValue)
            b.int(Int64(e.seq))
            b.text(e.hash)
            b.text(utf8: data ?? e.canonicalBytes)
        }
    }

    static func assisting(_ c: CaseRecord) -> String {
        c.assistingDepartmentIDs.isEmpty ? "" : "|" + c.assistingDepartmentIDs.map(\.rawValue).joined(separator: "|") + "|"
    }

    /// Stores a new case idempotently, numbering it in the same transaction (written together with the
    /// reports that arrive at the same time; see `IntakeBatcher`), and reads the open cases near it there too:
    /// the writer's page cache is warm, while a reader's is dropped after every write.
    public func createCase(_ record: CaseRecord, firstEvent: CaseEvent, numberPrefix: String, nearby: OpenCasesQuery?) async throws
        -> CaseCreation
    {
        let new = NewCase(record, firstEvent: firstEvent, numberPrefix: numberPrefix, nearby: nearby)
        return try await intake.submit(new) { batch in try await self.createCases(batch) }
    }

    /// Writes a batch of new cases in one transaction. When one of them fails (a conflict), that transaction is
    /// rolled back and the batch written again with each case in its own savepoint, so only that one fails.
    func createCases(_ batch: [NewCase]) async throws -> [IntakeBatcher.Outcome] {
        // Savepoints for every case cost a twentieth of intake time, for an error that almost never happens.
        do {
            return try await pool.write { db in try batch.map { new in .success(try self.createCase(db, new)) } }
        } catch {
            return try await createCasesOneByOne(batch)
        }
    }

    private func createCasesOneByOne(_ batch: [NewCase]) async throws -> [IntakeBatcher.Outcome] {
        try await pool.write { db in
            batch.map { new in
                Result {
                    var outcome: CaseCreation?
                    try db.inSavepoint {
                        outcome = try self.createCase(db, new)
                        return .commit
                    }
                    return outcome!
                }
            }
        }
    }

    func createCase(_ db: Database, _ new: NewCase) throws -> CaseCreation {
        if let key = new.record.requestKey,
            let existing = try db.cachedStatement(sql: "SELECT data FROM cases WHERE request_key = ?").firstRawRow([key], { $0.text(0) })
        {
            return CaseCreation(record: try decode(CaseRecord.self, existing), created: false, nearby: try new.nearby.map { try openCases(db, $0) } ?? [])
        }
        let seq =
            try db.cachedStatement(
                sql: "INSERT INTO sequences (key, value) VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET value = value + 1 RETURNING value"
            ).firstRawRow([new.numberPrefix]) { Int($0.int64(0)) } ?? 1
        let digits = String(zeroPadded: seq, width: 5)
        var c = new.record
        c.number = new.numberPrefix + digits
        do {
            try insertCase(db, c, data: new.json(digits: digits))
            try insertEvent(db, new.firstEvent, data: new.eventText)
        } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
            throw DomainError(.conflict, code: "case.exists", "case \(c.id) or number \(c.number) already exists")
        }
        return CaseCreation(record: c, created: true, nearby: try new.nearby.map { try openCases(db, $0) } ?? [])
    }

    /// Applies changes atomically; a version mismatch rolls everything back.
    public func commit(_ changes: [CaseChange], notices: [ReporterNotice]) async throws {
        let queued = try notices.map { ($0, try json($0)) }
        try await pool.write { db in
            for (notice, text) in queued {
                try db.execute(
                    sql: "INSERT INTO notice_outbox (data, next_attempt_at) VALUES (?, ?)", arguments: [text, Self.ms(notice.at)])
            }
            for ch in changes {
                let c = ch.record
                try db.cachedStatement(sql: Self.caseUpdate).execute(arguments: [
                    c.state.rawValue, c.leadDepartmentID?.rawValue, Self.assisting(c), Self.ms(c.updatedAt),
                    Self.ms(c.stepDueAt), c.state.hasDeadline ? 1 : 0, c.version, self.json(c), c.id.rawValue,
                    ch.expectedVersion,
                ])
                guard db.changesCount == 1 else {
                    if try Int.fetchOne(db, sql: "SELECT 1 FROM cases WHERE id = ?", arguments: [c.id.rawValue]) == nil {
                        throw DomainError.notFound("case", c.id.rawValue)
                    }
                    throw DomainError(.conflict, code: "case.changed", "case \(c.number) was changed by someone else; reload and retry")
                }
                for r in c.reporters { try self.insertReporter(db, c.id, r) }
                for e in ch.events { try self.insertEvent(db, e) }
            }
        }
    }

    /// The case with this ID.
    public func caseRecord(id: CaseID) async throws -> CaseRecord? {
        try await pool.read { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT data FROM cases WHERE id = ?"), arguments: [id.rawValue])
                .map { try self.decode(CaseRecord.self, $0) }
        }
    }

    /// The case with this number.
    public func caseRecord(number: String) async throws -> CaseRecord? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT data FROM cases WHERE number = ?", arguments: [number])
                .map { try self.decode(CaseRecord.self, $0) }
        }
    }

    /// A case's events in order.
    public func events(caseID: CaseID) async throws -> [CaseEvent] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT case_id, seq, hash, data FROM case_events WHERE case_id = ? ORDER BY seq", arguments: [caseID.rawValue])
                .map(Self.event)
        }
    }

    /// An event from its row (case_id, seq, hash, data); unreadable text names the event.
    static func event(_ row: Row) throws -> CaseEvent {
        do {
            return try CaseEvent(canonicalText: row[3], hash: row[2])
        } catch {
            throw DomainError(.corrupted, code: "event.malformed", "event \(row[1] as Int) of case \(row[0] as String) is damaged: \(error)")
        }
    }

    /// Cases matching a query, newest first.
    public func cases(_ query: CaseQuery) async throws -> CasePage {
        let (whereSQL, args) = Self.whereClause(query)
        return try await pool.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases \(whereSQL)", arguments: args) ?? 0
            var pageArgs = args
            pageArgs += [query.limit, query.offset]
            let items = try String.fetchAll(
                db, sql: "SELECT data FROM cases \(whereSQL) ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", arguments: pageArgs
            ).map { try self.decode(CaseRecord.self, $0) }
            return CasePage(items: items, total: total)
        }
    }

    /// Counts by state.
    public func countsByState(_ query: CaseQuery) async throws -> [CaseState: Int] {
        let (whereSQL, args) = Self.whereClause(query)
        return try await pool.read { db in
            var out: [CaseState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM cases \(whereSQL) GROUP BY state", arguments: args) {
                if let s = CaseState(rawValue: row["state"]) { out[s] = row["n"] }
            }
            return out
        }
    }

    /// Open duplicate candidates in a box.
    public func openCases(_ query: OpenCasesQuery) async throws -> [CaseSummary] {
        try await pool.read { db in try self.openCases(db, query) }
    }

    func openCases(_ db: Database, _ q: OpenCasesQuery) throws -> [CaseSummary] {
        let range: StatementArguments = [Self.boundMs(q.since), q.box.minLat, q.box.maxLat, q.box.minLon, q.box.maxLon, q.limit]
        guard let cells = DuplicateCell.cells(covering: q.box) else {
            return try summaries(db.cachedStatement(sql: Self.openCasesAnyCellSQL), [q.matterCode] + range)
        }
        // One index seek per cell, each already newest first; merged here. (An `IN` list of cells made SQLite
        // build two temporary b-trees per lookup, one for the list and one to sort, which cost more than the seeks.)
        let statement = try db.cachedStatement(sql: Self.openCasesPerCellSQL)
        var found: [CaseSummary] = []
        for cell in cells { found += try summaries(statement, [q.matterCode, cell] + range) }
        if cells.count > 1 { found.sort { $0.createdAt > $1.createdAt } }
        return Array(found.prefix(q.limit))
    }

    private func summaries(_ statement: Statement, _ arguments: StatementArguments) throws -> [CaseSummary] {
        var out: [CaseSummary] = []
        try statement.forEachRawRow(arguments) { row in
            guard let id = row.text(0), let number = row.text(1), let matter = row.text(2), let state = row.text(3).flatMap(CaseState.init)
            else { return }
            out.append(CaseSummary(
                id: CaseID(id), number: number, matterCode: matter, state: state, point: GeoPoint(lat: row.double(4), lon: row.double(5)),
                createdAt: Date(timeIntervalSince1970: Double(row.int64(6)) / 1000)))
        }
        return out
    }

    // Columns only (decoding whole records of every candidate was a third of the intake time). Per cell, the
    // index (matter_code, cell, created_at, ...) gives the rows newest first without sorting.
    static let openCasesPerCellSQL = openCasesSQL(perCell: true)
    static let openCasesAnyCellSQL = openCasesSQL(perCell: false)

    static func openCasesSQL(perCell: Bool) -> String {
        let open = CaseState.allCases.filter(\.isTerminal).map { " AND state <> '" + $0.rawValue + "'" }.joined()
        return "SELECT id, number, matter_code, state, lat, lon, created_at FROM cases WHERE matter_code = ?"
            + (perCell ? " AND cell = ?" : "") + " AND created_at >= ? AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?" + open
            + " ORDER BY created_at DESC LIMIT ?"
    }

    /// Every case with its events, in batches, in insertion order.
    public func forEachCase(batchSize: Int, _ body: @Sendable ([(CaseRecord, [CaseEvent])]) throws -> Void) async throws {
        var lastRow: Int64 = 0
        while true {
            let after = lastRow
            let (batch, next): ([(CaseRecord, [CaseEvent])], Int64) = try await pool.read { db in
                let rows = try Row.fetchAll(
                    db, sql: "SELECT rowid, id, data FROM cases WHERE rowid > ? ORDER BY rowid LIMIT ?", arguments: [after, batchSize])
                guard let last = rows.last else { return ([], after) }
                let ids: [String] = rows.map { $0["id"] }
                var events: [String: [CaseEvent]] = [:]
                let placeholders = ids.map { _ in "?" }.joined(separator: ",")
                for row in try Row.fetchAll(
                    db, sql: "SELECT case_id, seq, hash, data FROM case_events WHERE case_id IN (\(placeholders)) ORDER BY case_id, seq",
                    arguments: StatementArguments(ids))
                {
                    events[row[0], default: []].append(try Self.event(row))
                }
                let cases = try rows.map { row in
                    let c = try self.decode(CaseRecord.self, row["data"])
                    return (c, events[c.id.rawValue] ?? [])
                }
                return (cases, last["rowid"])
            }
            if batch.isEmpty { return }
            lastRow = next
            try body(batch)
        }
    }

    /// Cases and events encoded as stored: record JSON and event canonical text.
    struct Prepared: PreparedCases {
        var cases: [(record: CaseRecord, json: [UInt8], events: [(event: CaseEvent, text: [UInt8])])]
        /// The highest loaded sequence number per case-number prefix.
        var sequences: [String: Int]
        var count: Int { cases.count }
    }

    /// Encodes cases for `load(_:)` on the caller's task, so the single writer only binds bytes.
    public func prepare(_ cases: [(CaseRecord, [CaseEvent])]) -> any PreparedCases {
        var sequences: [String: Int] = [:]
        for (c, _) in cases {
            // Numbers are a prefix + a 5-digit sequence; live numbering continues after the highest loaded one.
            if let seq = Int(c.number.suffix(5)) { sequences[String(c.number.dropLast(5)), default: 0] = max(sequences[String(c.number.dropLast(5))] ?? 0, seq) }
        }
        return Prepared(
            cases: cases.map { c, events in
                (c, JSONText.data(c, dates: .millisecondsSince1970), events.map { ($0, $0.canonicalBytes) })
            },
            sequences: sequences)
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
            // past a bound the writer copies the rest and truncates it.
            if let size = try? FileManager.default.attributesOfItem(atPath: self.path + "-wal")[.size] as? Int, size > Self.walBound {
                _ = try db.checkpoint(.truncate)
            }
        }
    }

    /// A write-ahead log larger than this is truncated after a bulk load's transaction.
    static let walBound = 512 << 20

    private func write(_ prepared: Prepared, _ db: Database) throws {
        // A larger page cache for the writer once it bulk-loads, kept between batches: shrinking it after each
        // batch threw away every index page and made each later batch slower than the one before.
        try db.execute(sql: "PRAGMA cache_size = -262144")
        for (c, json, _) in prepared.cases { try self.insertCase(db, c, data: json) }
        // Events go in many rows per statement: one statement per event spent more on starting and
        // finishing statements than on the rows.
        let events = prepared.cases.flatMap(\.events)
        for start in stride(from: 0, to: events.count, by: Self.eventRowsPerInsert) {
            let rows = events[start..<min(start + Self.eventRowsPerInsert, events.count)]
            try db.cachedStatement(sql: Self.eventInsert(rows: rows.count)).executeRaw { b in
                for (e, text) in rows {
                    b.text(e.caseID.rawValue)
                    b.int(Int64(e.seq))
                    b.text(e.hash)
                    b.text(utf8: text)
                }
            }
        }
        for (prefix, seq) in prepared.sequences {
            try db.cachedStatement(
                sql: "INSERT INTO sequences (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value)"
            ).execute(arguments: [prefix, seq])
        }
    }

    /// The secondary indexes of `cases` (as the migrations left them), which a bulk load into an empty table
    /// drops and builds again at the end: sorting a million rows once is far cheaper than a million inserts
    /// at random places in six b-trees. Unique indexes stay, so duplicates are still refused row by row.
    static let deferredIndexes: [(name: String, columns: String)] = [
        ("cases_state", "(state, created_at)"),
        ("cases_department", "(lead_department, state)"),
        ("cases_grid", "(grid_code, created_at)"),
        ("cases_created", "(created_at)"),
        ("cases_due", "(step_due_at) WHERE has_deadline = 1"),
        ("cases_duplicate_cells", "(matter_code, cell, created_at, state, lat, lon)"),
    ]

    /// Creates any missing deferred index: after a bulk load, and at opening (a load cut short by a crash).
    func restoreDeferredIndexes(_ db: Database) throws {
        for index in Self.deferredIndexes { try db.execute(sql: "CREATE INDEX IF NOT EXISTS \(index.name) ON cases\(index.columns)") }
    }

    /// Runs `body` as one bulk load: WAL checkpoints on a connection of their own, beside the writer; and into
    /// an empty table, without the secondary indexes until it ends.
    public func withBulkLoad(_ body: () async throws -> Void) async throws {
        let empty = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1 FROM cases LIMIT 1") == nil }
        try await pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            if empty { for index in Self.deferredIndexes { try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)") } }
        }
        // Copying the log into the database was a fifth of the writer's time; a second connection does it
        // meanwhile on the other core (a passive checkpoint never blocks the writer).
        let checkpointer = try DatabaseQueue(path: path)
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
                if empty { try db.inTransaction { try self.restoreDeferredIndexes(db); return .commit } }
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Self.walAutocheckpoint)")
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

    /// The number of cases.
    public func caseCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases") ?? 0 }
    }

    /// SQL for a query's filters, matching `CaseQuery.matches`.
    static func whereClause(_ q: CaseQuery) -> (String, StatementArguments) {
        var parts: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        func prefix(_ column: String, _ p: String) -> String {
            args += [p, p + "~"]
            return "(\(column) >= ? AND \(column) < ?)"
        }
        if !q.states.isEmpty {
            parts.append("state IN (\(q.states.map { _ in "?" }.joined(separator: ",")))")
            args += q.states.map(\.rawValue)
        }
        if let m = q.matterPrefix { parts.append(prefix("matter_code", m)) }
        if let d = q.departmentID {
            parts.append("lead_department = ?")
            args.append(d.rawValue)
        }
        if let d = q.involvingDepartmentID {
            parts.append("(lead_department = ? OR instr(assisting, ?) > 0)")
            args += [d.rawValue, "|\(d.rawValue)|"]
        }
        if let a = q.areaCode { parts.append(prefix("grid_code", a)) }
        if let g = q.gridCode {
            parts.append("grid_code = ?")
            args.append(g)
        }
        if !q.gridPrefixes.isEmpty { parts.append("(" + q.gridPrefixes.map { prefix("grid_code", $0) }.joined(separator: " OR ") + ")") }
        if let s = q.source {
            parts.append("source = ?")
            args.append(s.rawValue)
        }
        if let s = q.satisfaction {
            // Rare and only on closed cases: read from the record rather than indexed.
            parts.append("json_extract(data, '$.satisfaction') = ?")
            args.append(s.rawValue)
        }
        if let u = q.reporterUserID {
            parts.append("id IN (SELECT case_id FROM case_reporters WHERE user_id = ?)")
            args.append(u.rawValue)
        }
        if let f = q.createdFrom {
            parts.append("created_at >= ?")
            args.append(boundMs(f))
        }
        if let t = q.createdTo {
            parts.append("created_at < ?")
            args.append(boundMs(t))
        }
        if let o = q.overdueAt {
            parts.append("has_deadline = 1 AND step_due_at IS NOT NULL AND step_due_at < ?")
            args.append(boundMs(o))
        }
        if let b = q.dueBefore {
            parts.append("has_deadline = 1 AND step_due_at IS NOT NULL AND step_due_at < ?")
            args.append(boundMs(b))
        }
        let sql = parts.isEmpty ? "" : "WHERE " + parts.joined(separator: " AND ")
        return (sql, StatementArguments(args))
    }

    /// Undelivered notices due now, oldest first.
    public func dueNotices(at now: Date, limit: Int) async throws -> [QueuedNotice] {
        try await outbox("WHERE delivered_at IS NULL AND next_attempt_at <= ? ORDER BY id LIMIT ?", [Self.ms(now), limit])
    }

    /// Records a delivery attempt.
    public func recordAttempt(notice id: Int64, at: Date, error: String?, retryAt: Date?) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE notice_outbox SET attempts = attempts + 1, last_error = ?, delivered_at = ?, next_attempt_at = ?
                    WHERE id = ?
                    """,
                arguments: [error, error == nil ? Self.ms(at) : nil, error == nil ? nil : Self.ms(retryAt), id])
            guard db.changesCount == 1 else { throw DomainError.notFound("notice", String(id)) }
        }
    }

    /// The outbox, newest first.
    public func queuedNotices(limit: Int) async throws -> [QueuedNotice] {
        try await outbox("ORDER BY id DESC LIMIT ?", [limit])
    }

    private func outbox(_ clause: String, _ arguments: StatementArguments) async throws -> [QueuedNotice] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, data, attempts, next_attempt_at, delivered_at, last_error FROM notice_outbox " + clause,
                arguments: arguments
            ).map { row in
                func date(_ ms: Int64?) -> Date? { ms.map { Date(timeIntervalSince1970: Double($0) / 1000) } }
                return QueuedNotice(
                    id: row[0], notice: try self.decode(ReporterNotice.self, row[1]), attempts: row[2], nextAttemptAt: date(row[3]),
                    deliveredAt: date(row[4]), lastError: row[5])
            }
        }
    }
}
