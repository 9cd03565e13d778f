import CityLoopDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    static let caseColumns = """
        id, number, client_request_id, request_key, source, matter_code, state, lead_department, assisting, grid_code, lat, lon, cell,
        created_at, updated_at, step_due_at, has_deadline, version, data, filed_at, closed_at, handling_due_at
        """

    static func assisting(_ c: CaseRecord) -> String {
        c.assistingDepartmentIDs.isEmpty ? "" : "|" + c.assistingDepartmentIDs.map(\.rawValue).joined(separator: "|") + "|"
    }

    /// Inserts new cases in one statement (an `INSERT` over arrays rather than `COPY`: postgres-nio's `COPY` can wait
    /// forever when it starts on a connection the server has just closed, and intake must answer when the server goes
    /// away).
    func insertCases(_ cases: [CaseRecord], on conn: PostgresConnection) async throws {
        guard !cases.isEmpty else { return }
        var sql = SQLBuilder()
        let text = insertCasesSQL(cases, &sql)
        try await run(sql.query(text), on: conn)
    }

    /// The statement inserting new cases, its values bound in `sql` (it may stand as a part of a `WITH`).
    func insertCasesSQL(_ cases: [CaseRecord], _ sql: inout SQLBuilder) -> String {
        let ms = { (d: Date?) in d.map(Self.ms) }
        let columns = [
            sql.bind(cases.map(\.id.rawValue)) + "::text[]", sql.bind(cases.map(\.number)) + "::text[]",
            sql.bind(NullableArray(cases.map(\.clientRequestID))) + "::text[]", sql.bind(NullableArray(cases.map(\.requestKey))) + "::text[]",
            sql.bind(cases.map(\.source.rawValue)) + "::text[]", sql.bind(cases.map(\.matterCode)) + "::text[]",
            sql.bind(cases.map(\.state.rawValue)) + "::text[]", sql.bind(NullableArray(cases.map { $0.leadDepartmentID?.rawValue })) + "::text[]",
            sql.bind(cases.map(Self.assisting)) + "::text[]", sql.bind(cases.map(\.placement.gridCode)) + "::text[]",
            sql.bind(cases.map(\.point.lat)) + "::float8[]", sql.bind(cases.map(\.point.lon)) + "::float8[]",
            sql.bind(cases.map { DuplicateCell.cell(lat: $0.point.lat, lon: $0.point.lon) }) + "::int8[]",
            sql.bind(cases.map { Self.ms($0.createdAt) }) + "::int8[]", sql.bind(cases.map { Self.ms($0.updatedAt) }) + "::int8[]",
            sql.bind(NullableArray(cases.map { ms($0.stepDueAt) })) + "::int8[]", sql.bind(cases.map(\.state.hasDeadline)) + "::bool[]",
            sql.bind(cases.map { Int64($0.version) }) + "::int8[]", sql.bind(cases.map { self.json($0) }) + "::text[]",
            sql.bind(NullableArray(cases.map { ms($0.filedAt) })) + "::int8[]", sql.bind(NullableArray(cases.map { ms($0.closedAt) })) + "::int8[]",
            sql.bind(NullableArray(cases.map { ms($0.handlingDueAt) })) + "::int8[]",
        ]
        return "INSERT INTO cases (\(Self.caseColumns)) SELECT * FROM unnest(\(columns.joined(separator: ", ")))"
    }

    func insertReporters(_ c: CaseRecord, on conn: PostgresConnection) async throws {
        let users = Array(Set(c.reporters.compactMap { $0.userID?.rawValue })).sorted()
        guard !users.isEmpty else { return }
        try await run(
            """
            INSERT INTO case_reporters (case_id, user_id) SELECT \(c.id.rawValue), u FROM unnest(\(users)::text[]) AS u
            ON CONFLICT DO NOTHING
            """, on: conn)
    }

    /// Stores events as their canonical text: the very text their hash covers.
    func insertEvents(_ events: [CaseEvent], on conn: PostgresConnection) async throws {
        guard !events.isEmpty else { return }
        try await run(
            """
            INSERT INTO case_events (case_id, seq, hash, data)
            SELECT * FROM unnest(\(events.map(\.caseID.rawValue))::text[], \(events.map { Int64($0.seq) })::int8[], \(events.map(\.hash))::text[],
                \(events.map(\.canonicalText))::text[])
            """, on: conn)
    }

    /// Stores a new case idempotently per reporting account, numbering it from the prefix's daily sequence (an
    /// atomic upsert), and reads the open cases near it in the same transaction. Reports arriving together are
    /// written in one transaction (`GroupCommit`); a batch that fails is written again case by case.
    /// The batch's recurrence lookups are answered by one statement in its transaction.
    public func createCase(
        _ record: CaseRecord, firstEvent: CaseEvent, numberPrefix: String, nearby: OpenCasesQuery?, recurrence: RecurrenceLookup?
    ) async throws -> CaseCreation {
        var c = record
        c.eventCount = 1
        c.lastEventHash = firstEvent.hash
        let new = PostgresNewCase(record: c, firstEvent: firstEvent, numberPrefix: numberPrefix, nearby: nearby, recurrence: recurrence)
        return try await intake.submit(new) { batch in
            do {
                return try await withTaskExecutorPreference(WriterExecutor.shared) { try await self.createCases(batch).map { .success($0) } }
            } catch let error as StoreError where error.kind == .unavailable {
                // The server is gone: one by one, each would wait out the lease deadline in turn.
                throw error
            } catch {
                var outcomes: [Result<CaseCreation, any Error>] = []
                for new in batch { outcomes.append(await Result { try await self.createCaseAlone(new) }) }
                return outcomes
            }
        }
    }

    /// Stores one new case in a transaction of its own.
    func createCaseAlone(_ new: PostgresNewCase) async throws -> CaseCreation {
        let candidate = new.record, numberPrefix = new.numberPrefix, nearby = new.nearby, firstEvent = new.firstEvent
        return try await transaction { conn in
            try await self.lockCaseWrites(on: conn)
            if let key = candidate.requestKey,
                let existing = try await self.rows("SELECT data FROM cases WHERE request_key = \(key)", on: conn).first?.decode(String.self)
            {
                let found = try await nearby.asyncMap { try await self.openCases($0, on: conn) } ?? []
                return CaseCreation(record: try self.decode(CaseRecord.self, existing), created: false, nearby: found)
            }
            let seq = try await self.rows(
                """
                INSERT INTO sequences (key, value) VALUES (\(numberPrefix), 1)
                ON CONFLICT (key) DO UPDATE SET value = sequences.value + 1 RETURNING value
                """, on: conn
            ).first?.decode(Int.self) ?? 1
            var c = candidate
            if let r = new.recurrence { c = r.linking(c, among: try await self.closedCases([r.query], on: conn)[0]) }
            c.number = numberPrefix + String(zeroPadded: seq, width: 5)
            do {
                try await self.insertCases([c], on: conn)
            } catch where Self.isUniqueViolation(error) {
                throw DomainError(.conflict, code: "case.exists", "case \(c.id) or number \(c.number) already exists")
            }
            try await self.insertReporters(c, on: conn)
            try await self.insertEvents([firstEvent], on: conn)
            try await self.appendLedger([firstEvent], on: conn)
            try await self.write(delta: CaseDelta(created: c, events: [firstEvent]), on: conn)
            let found = try await nearby.asyncMap { try await self.openCases($0, on: conn) } ?? []
            return CaseCreation(record: c, created: true, nearby: found)
        }
    }

    /// Applies changes atomically, each with its change of the sums; a version mismatch rolls everything back.
    public func commit(_ changes: [CaseChange], notices: [ReporterNotice]) async throws {
        let queued = try notices.map { ($0, try json($0)) }
        try await transaction { conn in
            try await self.lockCaseWrites(on: conn)
            try await self.queue(queued, on: conn)
            for ch in changes {
                let c = ch.record
                let updated = try await self.rows(
                    """
                    UPDATE cases SET state = \(c.state.rawValue), lead_department = \(c.leadDepartmentID?.rawValue), assisting = \(Self.assisting(c)),
                        updated_at = \(Self.ms(c.updatedAt)), step_due_at = \(Self.ms(optional: c.stepDueAt)), has_deadline = \(c.state.hasDeadline),
                        version = \(Int64(c.version)), data = \(self.json(c)), filed_at = \(Self.ms(optional: c.filedAt)), closed_at = \(Self.ms(optional: c.closedAt)),
                        handling_due_at = \(Self.ms(optional: c.handlingDueAt)), matter_code = \(c.matterCode), grid_code = \(c.placement.gridCode),
                        lat = \(c.point.lat), lon = \(c.point.lon), cell = \(DuplicateCell.cell(lat: c.point.lat, lon: c.point.lon))
                    WHERE id = \(c.id.rawValue) AND version = \(Int64(ch.expectedVersion)) RETURNING id
                    """, on: conn)
                guard updated.count == 1 else {
                    if try await self.rows("SELECT 1 FROM cases WHERE id = \(c.id.rawValue)", on: conn).isEmpty {
                        throw DomainError.notFound("case", c.id.rawValue)
                    }
                    throw DomainError(.conflict, code: "case.changed", "case \(c.number) was changed by someone else; reload and retry")
                }
                try await self.insertReporters(c, on: conn)
                try await self.insertEvents(ch.events, on: conn)
                try await self.appendLedger(ch.events, on: conn)
                try await self.write(delta: ch.delta, on: conn)
            }
        }
    }

    /// The case with this ID.
    public func caseRecord(id: CaseID) async throws -> CaseRecord? {
        try decodeAll(CaseRecord.self, try await rows("SELECT data FROM cases WHERE id = \(id.rawValue)")).first
    }

    /// The case with this number.
    public func caseRecord(number: String) async throws -> CaseRecord? {
        try decodeAll(CaseRecord.self, try await rows("SELECT data FROM cases WHERE number = \(number)")).first
    }

    /// A case's events in order.
    public func events(caseID: CaseID) async throws -> [CaseEvent] {
        try await rows("SELECT case_id, seq, hash, data FROM case_events WHERE case_id = \(caseID.rawValue) ORDER BY seq").map(Self.event)
    }

    /// The events of several cases, by case ID, each in order.
    func events(of ids: [String], on conn: PostgresConnection) async throws -> [String: [CaseEvent]] {
        var out: [String: [CaseEvent]] = [:]
        for row in try await rows(
            "SELECT case_id, seq, hash, data FROM case_events WHERE case_id = ANY(\(ids)::text[]) ORDER BY case_id, seq", on: conn)
        {
            let e = try Self.event(row)
            out[e.caseID.rawValue, default: []].append(e)
        }
        return out
    }

    /// An event from its row (case_id, seq, hash, data); unreadable text names the event.
    static func event(_ row: PostgresRow) throws -> CaseEvent {
        let (caseID, seq, hash, data) = try row.decode((String, Int, String, String).self)
        do {
            return try CaseEvent(canonicalText: data, hash: hash)
        } catch {
            throw DomainError(.corrupted, code: "event.malformed", "event \(seq) of case \(caseID) is damaged: \(error)")
        }
    }

    /// Cases matching a query, newest first.
    public func cases(_ query: CaseQuery) async throws -> CasePage {
        var sql = Self.filter(query)
        let w = sql.whereClause
        let total = try await rows(sql.query("SELECT count(*) FROM cases \(w)")).first?.decode(Int.self) ?? 0
        let limit = sql.bind(query.limit), offset = sql.bind(query.offset)
        let items = try decodeAll(
            CaseRecord.self, try await rows(sql.query("SELECT data FROM cases \(w) ORDER BY created_at DESC, id DESC LIMIT \(limit) OFFSET \(offset)")))
        return CasePage(items: items, total: total)
    }

    /// Counts by state.
    public func countsByState(_ query: CaseQuery) async throws -> [CaseState: Int] {
        let sql = Self.filter(query)
        var out: [CaseState: Int] = [:]
        for row in try await rows(sql.query("SELECT state, count(*) FROM cases \(sql.whereClause) GROUP BY state")) {
            let (state, n) = try row.decode((String, Int).self)
            if let s = CaseState(rawValue: state) { out[s] = n }
        }
        return out
    }

    /// Open duplicate candidates in a box.
    public func openCases(_ query: OpenCasesQuery) async throws -> [CaseSummary] {
        try await withConnection { conn in try await self.openCases(query, on: conn) }
    }

    /// Open cases of the class in the box since the time, newest first: one index range per ~100 m cell.
    func openCases(_ q: OpenCasesQuery, on conn: PostgresConnection) async throws -> [CaseSummary] {
        try await openCases([q], on: conn)[0]
    }

    /// Open cases of the class in a box too large for cells, by latitude and longitude.
    func openCasesAnyCell(_ q: OpenCasesQuery, on conn: PostgresConnection) async throws -> [CaseSummary] {
        var sql = SQLBuilder()
        sql.condition("matter_code = $", q.matterCode)
        let since = sql.bind(Self.boundMs(q.since))
        let minLat = sql.bind(q.box.minLat), maxLat = sql.bind(q.box.maxLat), minLon = sql.bind(q.box.minLon), maxLon = sql.bind(q.box.maxLon)
        sql.raw("created_at >= \(since) AND lat BETWEEN \(minLat) AND \(maxLat) AND lon BETWEEN \(minLon) AND \(maxLon)")
        sql.raw("state NOT IN \(Self.terminalStatesSQL)")
        let limit = sql.bind(q.limit)
        return try await rows(
            sql.query("SELECT id, number, matter_code, state, lat, lon, created_at FROM cases \(sql.whereClause) ORDER BY created_at DESC, id DESC LIMIT \(limit)"),
            on: conn
        ).compactMap(Self.summary)
    }

    /// A case summary from (id, number, matter_code, state, lat, lon, created_at).
    static func summary(_ row: PostgresRow) throws -> CaseSummary? {
        let (id, number, matter, state, lat, lon, created) = try row.decode((String, String, String, String, Double, Double, Int64).self)
        guard let s = CaseState(rawValue: state) else { return nil }
        return CaseSummary(id: CaseID(id), number: number, matterCode: matter, state: s, point: GeoPoint(lat: lat, lon: lon), createdAt: date(created))
    }

    /// The terminal states as an SQL list.
    static let terminalStatesSQL = "(" + CaseState.allCases.filter(\.isTerminal).map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
    /// The open states as an SQL list.
    static let openStatesSQL = "(" + CaseState.allCases.filter { !$0.isTerminal }.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"

    /// Every case with its events, in batches, in insertion order.
    public func forEachCase(batchSize: Int, _ body: @Sendable ([(CaseRecord, [CaseEvent])]) throws -> Void) async throws {
        var after: Int64 = 0
        while true {
            let page = try await storedHistories(after: after, limit: batchSize)
            if page.items.isEmpty { return }
            try body(page.items.map { ($0.record, $0.events) })
            guard let next = page.next else { return }
            after = next
        }
    }

    /// The number of cases.
    public func caseCount() async throws -> Int {
        try await rows("SELECT count(*) FROM cases").first?.decode(Int.self) ?? 0
    }

    /// SQL for a query's filters, matching `CaseQuery.matches`.
    static func filter(_ q: CaseQuery) -> SQLBuilder {
        var sql = SQLBuilder()
        if !q.states.isEmpty {
            let states = sql.bind(q.states.map(\.rawValue))
            sql.raw("state = ANY(\(states)::text[])")
        }
        if let m = q.matterPrefix { sql.prefix("matter_code", m) }
        if let d = q.departmentID { sql.condition("lead_department = $", d.rawValue) }
        if let d = q.involvingDepartmentID { sql.condition("(lead_department = $ OR strpos(assisting, $) > 0)", d.rawValue, "|\(d.rawValue)|") }
        if let a = q.areaCode { sql.prefix("grid_code", a) }
        if let g = q.gridCode { sql.condition("grid_code = $", g) }
        if !q.gridPrefixes.isEmpty {
            var parts: [String] = []
            for p in q.gridPrefixes { parts.append(sql.prefixCondition("grid_code", p)) }
            sql.raw("(" + parts.joined(separator: " OR ") + ")")
        }
        if let s = q.source { sql.condition("source = $", s.rawValue) }
        // Rare and only on closed cases: read from the record rather than indexed.
        if let s = q.satisfaction { sql.condition("(data::jsonb ->> 'satisfaction') = $", s.rawValue) }
        if let u = q.reporterUserID { sql.condition("id IN (SELECT case_id FROM case_reporters WHERE user_id = $)", u.rawValue) }
        if let f = q.createdFrom { sql.compare("created_at >=", boundMs(f)) }
        if let t = q.createdTo { sql.compare("created_at <", boundMs(t)) }
        if let o = q.overdueAt { sql.compare("has_deadline AND step_due_at IS NOT NULL AND step_due_at <", boundMs(o)) }
        if let b = q.dueBefore { sql.compare("has_deadline AND step_due_at IS NOT NULL AND step_due_at <", boundMs(b)) }
        return sql
    }
}

extension Optional {
    /// `map` with an asynchronous transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
