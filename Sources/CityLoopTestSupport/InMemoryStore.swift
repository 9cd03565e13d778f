import CityLoopDomain
import Foundation

/// The storage contract in memory, for tests: the reference the other stores' conformance suites are checked
/// against (it derives every sum afresh). Loses everything on exit.
public actor InMemoryStore: CityStore {
    var casesByID: [CaseID: CaseRecord] = [:]
    var order: [CaseID] = []
    var eventsByCase: [CaseID: [CaseEvent]] = [:]
    private var byRequestID: [String: CaseID] = [:]
    private var byNumber: [String: CaseID] = [:]
    private var sequences: [String: Int] = [:]
    private var areaList: [Area] = []
    private var gridList: [UnitGrid] = []
    private var extensions: [String: CatalogEntry] = [:]
    private var departmentMap: [DepartmentID: Department] = [:]
    private var ruleList: [ResponsibilityRule] = []
    private var componentMap: [String: Component] = [:]
    private var usersByID: [UserID: (User, String?)] = [:]
    private var tokens: [String: AccessToken] = [:]
    private var settings: [String: String] = [:]
    private var outbox: [QueuedNotice] = []
    private var placeList: [Place] = []
    private var unplaced: [UnplacedReport] = []
    var loginLog: [LoginAttempt] = []
    var ledger: [LedgerEntry] = []
    var ledgerHead = LedgerHead.empty
    var rateBudgets: [String: (tokens: Double, at: Date)] = [:]
    var warningList: [WarningRecord] = []
    var devicesByID: [String: Device] = [:]
    var deviceReadings: [DeviceReadingKey: Reading] = [:]
    var deviceRuleStates: [DeviceRuleKey: RuleState] = [:]
    var deviceAlarms: [String: Alarm] = [:]
    var deviceSeen: [String: Date] = [:]
    var deviceRejections: [String: RejectionCount] = [:]
    var deviceAlarmHands: [String: AlarmHands] = [:]
    var deviceCredentials: [String: String] = [:]
    var deviceHourly: [DeviceHourKey: ReadingBucket] = [:]
    var journalEntries: [String: [JournalEntry]] = [:]
    var journalMarks: [String: Int64] = [:]
    var journalSeq: Int64 = 0
    var deviceMQTTHashes: [String: String] = [:]
    var fleet = InMemoryFleet()
    var cameraData = InMemoryCameras()
    var sanitation = InMemorySanitation()
    var companyNoticeRows: [String: CompanyNotice] = [:]

    /// Creates an empty store.
    public init() {}

    // MARK: cases

    /// Stores a new case idempotently on its client request ID.
    public func createCase(
        _ record: CaseRecord, firstEvent: CaseEvent, numberPrefix: String, nearby: OpenCasesQuery?, recurrence: RecurrenceLookup?
    ) async throws -> CaseCreation {
        if let key = record.requestKey, let existing = byRequestID[key], let c = casesByID[existing] {
            return CaseCreation(record: c, created: false, nearby: nearby.map(openCasesNow) ?? [])
        }
        guard casesByID[record.id] == nil else { throw DomainError(.conflict, code: "case.exists", "case \(record.id) exists") }
        var c = recurrence.map { $0.linking(record, among: closedCasesNow($0.query)) } ?? record
        let seq = (sequences[numberPrefix] ?? 0) + 1
        sequences[numberPrefix] = seq
        c.number = numberPrefix + String(zeroPadded: seq, width: 5)
        c.eventCount = 1
        c.lastEventHash = firstEvent.hash
        insert(c, [firstEvent])
        return CaseCreation(record: c, created: true, nearby: nearby.map(openCasesNow) ?? [])
    }

    private func insert(_ c: CaseRecord, _ events: [CaseEvent]) {
        appendLedger(events)
        casesByID[c.id] = c
        order.append(c.id)
        eventsByCase[c.id] = events
        if let key = c.requestKey { byRequestID[key] = c.id }
        byNumber[c.number] = c.id
    }

    /// Applies changes atomically with version checks.
    public func commit(_ changes: [CaseChange], notices: [ReporterNotice]) async throws {
        for ch in changes {
            guard let stored = casesByID[ch.record.id] else { throw DomainError.notFound("case", ch.record.id.rawValue) }
            guard stored.version == ch.expectedVersion else {
                throw DomainError(.conflict, code: "case.changed", "case \(stored.number) was changed by someone else; reload and retry")
            }
        }
        for ch in changes {
            casesByID[ch.record.id] = ch.record
            eventsByCase[ch.record.id, default: []].append(contentsOf: ch.events)
            appendLedger(ch.events)
        }
        for n in notices {
            outbox.append(QueuedNotice(id: Int64(outbox.count + 1), notice: n, attempts: 0, nextAttemptAt: n.at, deliveredAt: nil, lastError: nil))
        }
    }

    /// Undelivered notices due now.
    public func dueNotices(at now: Date, limit: Int) async throws -> [QueuedNotice] {
        Array(outbox.filter { $0.deliveredAt == nil && ($0.nextAttemptAt.map { $0 <= now } ?? false) }.prefix(limit))
    }

    /// Undelivered notices still to be tried, and the earliest due time among them.
    public func noticeBacklog() async throws -> (waiting: Int, oldestDue: Date?) {
        let waiting = outbox.filter { $0.deliveredAt == nil && $0.nextAttemptAt != nil }
        return (waiting.count, waiting.compactMap(\.nextAttemptAt).min())
    }

    /// Claims due notices whose lease is free or ran out.
    public func claimNotices(at now: Date, limit: Int, leaseUntil: Date, node: String) async throws -> [QueuedNotice] {
        var out: [QueuedNotice] = []
        for i in outbox.indices where out.count < limit {
            let n = outbox[i]
            guard n.deliveredAt == nil, let due = n.nextAttemptAt, due <= now, n.leaseUntil.map({ $0 <= now }) ?? true else { continue }
            outbox[i].leasedBy = node
            outbox[i].leaseUntil = leaseUntil
            out.append(outbox[i])
        }
        return out
    }

    /// Records a delivery attempt.
    public func recordAttempt(notice id: Int64, at: Date, error: String?, retryAt: Date?) async throws {
        guard let i = outbox.firstIndex(where: { $0.id == id }) else { throw DomainError.notFound("notice", String(id)) }
        outbox[i].attempts += 1
        outbox[i].lastError = error
        outbox[i].deliveredAt = error == nil ? at : nil
        outbox[i].nextAttemptAt = error == nil ? nil : retryAt
        outbox[i].leasedBy = nil
        outbox[i].leaseUntil = nil
    }

    /// Gives up a node's leases.
    public func releaseNotices(node: String) async throws -> Int {
        var released = 0
        for i in outbox.indices where outbox[i].leasedBy == node {
            outbox[i].leasedBy = nil
            outbox[i].leaseUntil = nil
            released += 1
        }
        return released
    }

    /// The outbox, newest first.
    public func queuedNotices(limit: Int) async throws -> [QueuedNotice] { Array(outbox.reversed().prefix(limit)) }

    /// The case with this ID.
    public func caseRecord(id: CaseID) async throws -> CaseRecord? { casesByID[id] }

    /// The case with this number.
    public func caseRecord(number: String) async throws -> CaseRecord? { byNumber[number].flatMap { casesByID[$0] } }

    /// A case's events.
    public func events(caseID: CaseID) async throws -> [CaseEvent] { eventsByCase[caseID] ?? [] }

    private func sortedMatches(_ q: CaseQuery) -> [CaseRecord] {
        casesByID.values.filter(q.matches).sorted {
            $0.createdAt != $1.createdAt ? $0.createdAt > $1.createdAt : $0.id.rawValue > $1.id.rawValue
        }
    }

    /// Cases matching a query, newest first.
    public func cases(_ query: CaseQuery) async throws -> CasePage {
        let all = sortedMatches(query)
        let page = all.dropFirst(max(0, query.offset)).prefix(max(0, query.limit))
        return CasePage(items: Array(page), total: all.count)
    }

    /// Counts by state.
    public func countsByState(_ query: CaseQuery) async throws -> [CaseState: Int] {
        var out: [CaseState: Int] = [:]
        for c in casesByID.values where query.matches(c) { out[c.state, default: 0] += 1 }
        return out
    }

    /// Every case with its history, in the order they were stored.
    func casesWithEvents() -> [(CaseRecord, [CaseEvent])] { order.compactMap { id in casesByID[id].map { ($0, eventsByCase[id] ?? []) } } }

    /// The dashboard, computed from every record.
    public func dashboard(_ query: DashboardQuery) async throws -> DashboardFigures {
        DashboardFigures.compute(from: casesByID.values, query)
    }

    /// Open cases grouped by cell and state.
    public func openCaseClusters(_ query: ClusterQuery) async throws -> [CaseCluster] {
        CaseCluster.compute(from: casesByID.values, query)
    }

    /// Open duplicate candidates.
    public func openCases(_ query: OpenCasesQuery) async throws -> [CaseSummary] { openCasesNow(query) }

    private func openCasesNow(_ q: OpenCasesQuery) -> [CaseSummary] {
        Array(
            casesByID.values
                .filter(q.matches)
                .sorted { $0.createdAt > $1.createdAt }
                .prefix(q.limit)
                .map(\.summary))
    }

    /// Every case with its events, in batches, in creation order.
    public func forEachCase(batchSize: Int, _ body: @Sendable ([(CaseRecord, [CaseEvent])]) throws -> Void) async throws {
        var batch: [(CaseRecord, [CaseEvent])] = []
        for id in order {
            guard let c = casesByID[id] else { continue }
            batch.append((c, eventsByCase[id] ?? []))
            if batch.count >= batchSize {
                try body(batch)
                batch.removeAll()
            }
        }
        if !batch.isEmpty { try body(batch) }
    }

    /// Keeps the cases as they are.
    public nonisolated func prepare(_ cases: [(CaseRecord, [CaseEvent])]) -> any PreparedCases { Prepared(cases: cases) }

    struct Prepared: PreparedCases {
        var cases: [(CaseRecord, [CaseEvent])]
        var count: Int { cases.count }
    }

    /// Loads prepared cases.
    public func load(_ prepared: any PreparedCases) async throws {
        guard let cases = (prepared as? Prepared)?.cases else {
            throw DomainError(.invalidInput, code: "load.foreign", "cases were prepared by another kind of store")
        }
        for (c, e) in cases {
            insert(c, e)
            if let seq = Int(c.number.suffix(5)) {
                let key = String(c.number.dropLast(5))
                sequences[key] = max(sequences[key] ?? 0, seq)
            }
        }
    }

    /// The number of cases.
    public func caseCount() async throws -> Int { casesByID.count }

    // MARK: reference data

    /// Replaces areas and grids.
    public func replaceAreas(_ areas: [Area], grids: [UnitGrid]) async throws {
        areaList = areas
        gridList = grids
    }
    /// Every area.
    public func areas() async throws -> [Area] { areaList }
    /// Every grid.
    public func grids() async throws -> [UnitGrid] { gridList }
    /// Saves catalog extensions.
    public func saveCatalogExtensions(_ entries: [CatalogEntry]) async throws {
        for e in entries { extensions["\(e.kind.rawValue)/\(e.code)"] = e }
    }
    /// Catalog extensions.
    public func catalogExtensions() async throws -> [CatalogEntry] { extensions.values.sorted { $0.code < $1.code } }
    /// Saves departments.
    public func saveDepartments(_ departments: [Department]) async throws {
        for d in departments { departmentMap[d.id] = d }
    }
    /// Every department.
    public func departments() async throws -> [Department] { departmentMap.values.sorted { $0.id < $1.id } }
    /// Replaces rules.
    public func replaceRules(_ rules: [ResponsibilityRule]) async throws { ruleList = rules }
    /// The rules.
    public func rules() async throws -> [ResponsibilityRule] { ruleList }
    /// Saves components.
    public func saveComponents(_ components: [Component]) async throws {
        for c in components { componentMap[c.id] = c }
    }
    /// One component.
    public func component(id: String) async throws -> Component? { componentMap[id] }
    /// Components matching a query.
    public func components(_ query: ComponentQuery) async throws -> ComponentPage {
        let all = componentMap.values.filter(query.matches).sorted { $0.id < $1.id }
        return ComponentPage(items: Array(all.dropFirst(query.offset).prefix(query.limit)), total: all.count)
    }
    /// Saves an account.
    public func saveUser(_ user: User, passwordHash: String?) async throws {
        if let other = usersByID.values.first(where: { $0.0.username == user.username && $0.0.id != user.id }) {
            throw DomainError(.conflict, code: "user.exists", "username \(other.0.username) is taken", field: "username")
        }
        usersByID[user.id] = (user, passwordHash ?? usersByID[user.id]?.1)
    }
    /// An account by username.
    public func user(username: String) async throws -> (User, String?)? {
        usersByID.values.first { $0.0.username == username }
    }
    /// An account by ID.
    public func user(id: UserID) async throws -> User? { usersByID[id]?.0 }
    /// Every account.
    public func users() async throws -> [User] { usersByID.values.map(\.0).sorted { $0.username < $1.username } }
    /// Saves a token.
    public func saveToken(_ token: AccessToken) async throws { tokens[token.hash] = token }
    /// A token by hash.
    public func token(hash: String) async throws -> AccessToken? { tokens[hash] }
    /// Removes a token.
    public func deleteToken(hash: String) async throws { tokens[hash] = nil }
    /// API tokens.
    public func deleteSessions(userID: UserID, keeping: String?) async throws {
        tokens = tokens.filter { $0.value.isAPIToken || $0.value.userID != userID || $0.key == keeping }
    }

    public func apiTokens() async throws -> [AccessToken] { tokens.values.filter(\.isAPIToken).sorted { $0.createdAt < $1.createdAt } }
    /// A setting.
    public func setting(_ key: String) async throws -> String? { settings[key] }
    /// Saves a setting.
    public func saveSetting(_ key: String, _ value: String) async throws { settings[key] = value }
    /// Saves a setting unless present; the stored value.
    public func saveSettingIfAbsent(_ key: String, _ value: String) async throws -> String {
        if let v = settings[key] { return v }
        settings[key] = value
        return value
    }

    // MARK: places

    /// Replaces the place table.
    public func replacePlaces(_ places: [Place]) async throws { placeList = places }
    /// The place table.
    public func places() async throws -> [Place] { placeList }
    /// Queues a report, once per key.
    public func enqueueUnplaced(_ report: UnplacedReport) async throws -> UnplacedReport {
        if let key = report.key, let queued = unplaced.first(where: { $0.key == key }) { return queued }
        unplaced.append(report)
        return report
    }
    /// A queued report.
    public func unplacedReport(id: String) async throws -> UnplacedReport? { unplaced.first { $0.id == id } }
    /// Reports still waiting, oldest first.
    public func pendingUnplaced(limit: Int) async throws -> [UnplacedReport] {
        Array(unplaced.filter { $0.caseNumber == nil }.sorted { ($0.receivedAt, $0.id) < ($1.receivedAt, $1.id) }.prefix(max(1, limit)))
    }
    /// Marks a queued report placed.
    public func markPlaced(id: String, caseNumber: String, by: UserID, at: Date) async throws {
        guard let i = unplaced.firstIndex(where: { $0.id == id }) else { throw UnplacedReport.notFound(id) }
        guard unplaced[i].caseNumber == nil else {
            throw DomainError(.conflict, code: "unplaced.placed", "report \(id) was placed already as case \(unplaced[i].caseNumber ?? "")")
        }
        unplaced[i].caseNumber = caseNumber
        unplaced[i].placedBy = by
        unplaced[i].placedAt = at
    }
}
