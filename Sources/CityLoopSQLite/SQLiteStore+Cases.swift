import CityLoopDomain
import Foundation
import GRDB

extension SQLiteStore {
    /// `INSERT INTO cases (…22 columns…) VALUES `, followed by one or more rows of `caseColumns` placeholders.
    static let caseInsertHead = """
        INSERT INTO cases (id, number, client_request_id, request_key, source, matter_code, state, lead_department, assisting,
            grid_code, lat, lon, cell, created_at, updated_at, step_due_at, has_deadline, version, data,
            filed_at, closed_at, handling_due_at) VALUES
        """ + " "
    static let caseColumns = 22
    static let caseInsert = caseInsertHead + "(" + Array(repeating: "?", count: caseColumns).joined(separator: ", ") + ")"
    static let caseUpdate = """
        UPDATE cases SET state = ?, lead_department = ?, assisting = ?, updated_at = ?, step_due_at = ?,
            has_deadline = ?, version = ?, data = ?, filed_at = ?, closed_at = ?, handling_due_at = ?,
            matter_code = ?, grid_code = ?, lat = ?, lon = ?, cell = ? WHERE id = ? AND version = ?
        """

    func insertCase(_ db: Database, _ c: CaseRecord, data: [UInt8]? = nil, withReporters: Bool = true) throws {
        try db.cachedStatement(sql: Self.caseInsert).executeRaw { b in Self.bindCase(&b, c, data: data) }
        if withReporters { for r in c.reporters { try insertReporter(db, c.id, r) } }
    }

    /// Binds a case row's 22 columns in `caseInsert`'s order.
    static func bindCase(_ b: inout RawBinder, _ c: CaseRecord, data: [UInt8]?) {
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
        b.int(Self.ms(c.filedAt))
        b.int(Self.ms(c.closedAt))
        b.int(Self.ms(c.handlingDueAt))
    }

    func insertReporter(_ db: Database, _ id: CaseID, _ r: Reporter) throws {
        guard let u = r.userID else { return }
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO case_reporters (case_id, user_id) VALUES (?, ?)").executeRaw { b in
            b.text(id.rawValue)
            b.text(u.rawValue)
        }
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
    /// reports that arrive at the same time; see `GroupCommit`), and reads the open cases near it there too:
    /// the writer's page cache is warm, while a reader's is dropped after every write.
    /// The recurrence lookup is read before, from a reader: the record's JSON is encoded before the write, outside
    /// the writer's turn.
    public func createCase(
        _ record: CaseRecord, firstEvent: CaseEvent, numberPrefix: String, nearby: OpenCasesQuery?, recurrence: RecurrenceLookup?
    ) async throws -> CaseCreation {
        var record = record
        if let recurrence { record = recurrence.linking(record, among: try await closedCases(recurrence.query)) }
        let new = NewCase(record, firstEvent: firstEvent, numberPrefix: numberPrefix, nearby: nearby)
        return try await intake.submit(new) { batch in try await self.createCases(batch) }
    }

    /// Writes a batch of new cases in one transaction. When one of them fails (a conflict), that transaction is
    /// rolled back and the batch written again with each case in its own savepoint, so only that one fails.
    func createCases(_ batch: [NewCase]) async throws -> [Result<CaseCreation, any Error>] {
        // Savepoints for every case cost a twentieth of intake time, for an error that almost never happens.
        do {
            return try await pool.write { db in try batch.map { new in .success(try self.createCase(db, new)) } }
        } catch {
            return try await createCasesOneByOne(batch)
        }
    }

    private func createCasesOneByOne(_ batch: [NewCase]) async throws -> [Result<CaseCreation, any Error>] {
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
            try Self.appendLedger(db, [new.firstEvent])
            try Self.write(CaseDelta(created: c, events: [new.firstEvent]), db)
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
                    Self.ms(c.stepDueAt), c.state.hasDeadline ? 1 : 0, c.version, self.json(c),
                    Self.ms(c.filedAt), Self.ms(c.closedAt), Self.ms(c.handlingDueAt),
                    c.matterCode, c.placement.gridCode, c.point.lat, c.point.lon, DuplicateCell.cell(lat: c.point.lat, lon: c.point.lon),
                    c.id.rawValue, ch.expectedVersion,
                ])
                guard db.changesCount == 1 else {
                    if try Int.fetchOne(db, sql: "SELECT 1 FROM cases WHERE id = ?", arguments: [c.id.rawValue]) == nil {
                        throw DomainError.notFound("case", c.id.rawValue)
                    }
                    throw DomainError(.conflict, code: "case.changed", "case \(c.number) was changed by someone else; reload and retry")
                }
                for r in c.reporters { try self.insertReporter(db, c.id, r) }
                for e in ch.events { try self.insertEvent(db, e) }
                try Self.appendLedger(db, ch.events)
                try Self.write(ch.delta, db)
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
}
