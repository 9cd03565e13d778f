import Foundation

/// A change to one case: the new record, the events that led to it (sealed), and the version it was read at.
public struct CaseChange: Sendable {
    /// The case after the change.
    public var record: CaseRecord
    /// Events to append, in order.
    public var events: [CaseEvent]
    /// The version the change was computed from; the store refuses it if the stored version differs.
    public var expectedVersion: Int

    /// Creates a change.
    public init(record: CaseRecord, events: [CaseEvent], expectedVersion: Int) {
        self.record = record
        self.events = events
        self.expectedVersion = expectedVersion
    }
}

extension CaseChange {
    /// The change that appends `events` to the chain of `before`: numbers them after its last event, seals each
    /// on the previous hash, and sets the record's chain head, event count and next version.
    public init(sealing record: CaseRecord, events: [CaseEvent], after before: CaseRecord, hasher: some EventHasher) {
        var r = record
        var prev = before.lastEventHash
        var sealed: [CaseEvent] = []
        for (i, e) in events.enumerated() {
            var e = e
            e.seq = before.eventCount + i + 1
            let s = e.sealed(after: prev, hasher: hasher)
            prev = s.hash
            sealed.append(s)
        }
        r.eventCount = before.eventCount + sealed.count
        r.lastEventHash = prev
        r.version = before.version + 1
        self.init(record: r, events: sealed, expectedVersion: before.version)
    }
}

/// A bearer token: a session after sign-in, or a long-lived API token for a partner system.
public struct AccessToken: Hashable, Codable, Sendable {
    /// SHA-256 of the token text (the text itself is never stored).
    public var hash: String
    /// The user the token acts for.
    public var userID: UserID
    /// A label, e.g. `session` or the partner's name.
    public var label: String
    /// Whether it is a long-lived API token.
    public var isAPIToken: Bool
    /// When issued.
    public var createdAt: Date
    /// When it stops working; nil for no expiry.
    public var expiresAt: Date?
    /// Requests per minute an API key may make (Open311); nil for the platform's default.
    public var ratePerMinute: Int?

    /// Creates a token record.
    public init(
        hash: String, userID: UserID, label: String, isAPIToken: Bool, createdAt: Date, expiresAt: Date?, ratePerMinute: Int? = nil
    ) {
        self.ratePerMinute = ratePerMinute
        self.hash = hash
        self.userID = userID
        self.label = label
        self.isAPIToken = isAPIToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// Cases encoded by a store's `prepare`, for that store's `load`.
public protocol PreparedCases: Sendable {
    /// How many cases.
    var count: Int { get }
}

extension CaseStore {
    /// Applies changes atomically, queuing no notice.
    public func commit(_ changes: [CaseChange]) async throws { try await commit(changes, notices: []) }

    /// Runs `body` as it is: nothing to defer.
    public func withBulkLoad(_ body: () async throws -> Void) async throws { try await body() }

    /// Loads many cases with their events at once (demo and bulk import); numbers must be set.
    public func bulkLoad(_ cases: [(CaseRecord, [CaseEvent])]) async throws {
        try await load(prepare(cases))
    }

    /// Stores a new case without looking up open cases near it.
    public func createCase(_ record: CaseRecord, firstEvent: CaseEvent, numberPrefix: String) async throws -> (
        record: CaseRecord, created: Bool
    ) {
        let c = try await createCase(record, firstEvent: firstEvent, numberPrefix: numberPrefix, nearby: nil)
        return (c.record, c.created)
    }

    /// Open cases of a matter class inside a box reported since a time, newest first.
    public func openCases(matterCode: String, in box: BoundingBox, since: Date, limit: Int) async throws -> [CaseSummary] {
        try await openCases(OpenCasesQuery(matterCode: matterCode, box: box, since: since, limit: limit))
    }
}

/// Storage of cases and their history. Implementations: in-memory (tests), SQLite, PostgreSQL.
/// All must pass the same conformance suite.
public protocol CaseStore: Sendable {
    /// Stores a new case and its first event, assigning its number as `numberPrefix` + a daily sequence.
    /// When the same reporting account (the first reporter's user) already sent a case with the same
    /// `clientRequestID`, stores nothing and returns that case with `created` false. Request IDs of different
    /// accounts never collide.
    /// With `nearby`, also returns the open cases that query finds, read in the same transaction right after
    /// the new case was stored (the new case itself included), so intake needs no second trip to the store.
    func createCase(_ record: CaseRecord, firstEvent: CaseEvent, numberPrefix: String, nearby: OpenCasesQuery?) async throws
        -> CaseCreation
    /// Applies changes to one or more cases atomically, and queues the notices they cause in the same
    /// transaction (the outbox), so a notice exists exactly when its change does; throws `conflict` when any
    /// stored version differs.
    func commit(_ changes: [CaseChange], notices: [ReporterNotice]) async throws
    /// Undelivered notices whose next attempt is due at `now`, oldest first.
    func dueNotices(at now: Date, limit: Int) async throws -> [QueuedNotice]
    /// Records a delivery attempt of a queued notice: delivered when `error` is nil, else failed and tried
    /// again at `retryAt` (never, when nil).
    func recordAttempt(notice id: Int64, at: Date, error: String?, retryAt: Date?) async throws
    /// The outbox as a delivery log, newest first.
    func queuedNotices(limit: Int) async throws -> [QueuedNotice]
    /// The case with this ID.
    func caseRecord(id: CaseID) async throws -> CaseRecord?
    /// The case with this number.
    func caseRecord(number: String) async throws -> CaseRecord?
    /// A case's events in order.
    func events(caseID: CaseID) async throws -> [CaseEvent]
    /// Cases matching a query, newest first.
    func cases(_ query: CaseQuery) async throws -> CasePage
    /// How many cases match the query (ignoring paging), by state.
    func countsByState(_ query: CaseQuery) async throws -> [CaseState: Int]
    /// Open cases of a matter class inside a box reported since a time (duplicate candidates), newest first.
    func openCases(_ query: OpenCasesQuery) async throws -> [CaseSummary]
    /// Calls `body` with every case and its events, in batches, for verification and export.
    func forEachCase(batchSize: Int, _ body: @Sendable ([(CaseRecord, [CaseEvent])]) throws -> Void) async throws
    /// Encodes cases and their events the way the store keeps them, without touching storage: pure work that
    /// callers run on their own tasks while an earlier batch is being written (see `load(_:)`).
    func prepare(_ cases: [(CaseRecord, [CaseEvent])]) -> any PreparedCases
    /// Writes prepared cases in one transaction (demo and bulk import); numbers must be set. Live numbering
    /// continues after the loaded numbers.
    func load(_ prepared: any PreparedCases) async throws
    /// Runs `body`, which loads cases with `load(_:)`, as one bulk load. Into a store without cases, a store
    /// may build its secondary indexes once at the end instead of row by row; they are complete when this returns.
    func withBulkLoad(_ body: () async throws -> Void) async throws
    /// The number of cases stored.
    func caseCount() async throws -> Int
}

/// Storage of the city's reference data: areas, grids, catalog extensions, departments, rules, calendar,
/// components, accounts and settings.
public protocol ReferenceStore: Sendable {
    /// Replaces the whole area hierarchy and grid set.
    func replaceAreas(_ areas: [Area], grids: [UnitGrid]) async throws
    /// Every area.
    func areas() async throws -> [Area]
    /// Every unit grid.
    func grids() async throws -> [UnitGrid]
    /// Adds or replaces local catalog extensions.
    func saveCatalogExtensions(_ entries: [CatalogEntry]) async throws
    /// Local catalog extensions.
    func catalogExtensions() async throws -> [CatalogEntry]
    /// Adds or replaces departments.
    func saveDepartments(_ departments: [Department]) async throws
    /// Every department.
    func departments() async throws -> [Department]
    /// Replaces the responsibility list.
    func replaceRules(_ rules: [ResponsibilityRule]) async throws
    /// The responsibility rules.
    func rules() async throws -> [ResponsibilityRule]
    /// Adds or replaces components (by ID).
    func saveComponents(_ components: [Component]) async throws
    /// The component with this ID.
    func component(id: String) async throws -> Component?
    /// Components matching a query, by ID.
    func components(_ query: ComponentQuery) async throws -> ComponentPage
    /// Adds or replaces an account, with its password hash when it has one (nil keeps the stored one).
    func saveUser(_ user: User, passwordHash: String?) async throws
    /// The account with this login name and its password hash.
    func user(username: String) async throws -> (User, String?)?
    /// The account with this ID.
    func user(id: UserID) async throws -> User?
    /// Every account.
    func users() async throws -> [User]
    /// Stores a token.
    func saveToken(_ token: AccessToken) async throws
    /// The token with this hash.
    func token(hash: String) async throws -> AccessToken?
    /// Removes a token.
    func deleteToken(hash: String) async throws
    /// Removes the user's sessions (not API tokens) except the one whose hash is `keeping`.
    func deleteSessions(userID: UserID, keeping: String?) async throws
    /// Every API token (not sessions).
    func apiTokens() async throws -> [AccessToken]
    /// A stored setting (JSON text), e.g. the calendar or step limits.
    func setting(_ key: String) async throws -> String?
    /// Stores a setting.
    func saveSetting(_ key: String, _ value: String) async throws
}

/// The whole storage contract.
public typealias CityStore = CaseStore & LedgerStore & ReferenceStore & PlacementStore & DashboardStore & EvaluationStore & AnalyticsStore & LoginAttemptStore

/// A notice in the outbox (待发通知): queued with the change it tells of, then delivered, retried on failure.
public struct QueuedNotice: Hashable, Codable, Sendable {
    /// Queue position, increasing.
    public var id: Int64
    /// The notice.
    public var notice: ReporterNotice
    /// Delivery attempts so far.
    public var attempts: Int
    /// When it is due to be tried (again).
    public var nextAttemptAt: Date?
    /// When it was delivered.
    public var deliveredAt: Date?
    /// Why the last attempt failed.
    public var lastError: String?

    /// Creates an entry.
    public init(id: Int64, notice: ReporterNotice, attempts: Int, nextAttemptAt: Date?, deliveredAt: Date?, lastError: String?) {
        self.id = id
        self.notice = notice
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.deliveredAt = deliveredAt
        self.lastError = lastError
    }
}
