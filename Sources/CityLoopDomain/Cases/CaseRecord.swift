import Foundation

/// A person who reported the problem. Name, phone and email are personal data, masked for roles that don't need them.
public struct Reporter: Hashable, Codable, Sendable {
    /// The reporting account, when signed in.
    public var userID: UserID?
    /// Name (personal data).
    public var name: String?
    /// Phone number (personal data).
    public var phone: String?
    /// Email address (personal data), e.g. from an Open311 client.
    public var email: String?
    /// The channel the report came through.
    public var source: CaseSource
    /// The case the report was first filed as (differs from the case for merged duplicates).
    public var caseID: CaseID?
    /// The sender's own ticket number (工单号), for a work order pushed by the 12345 hotline or another bureau.
    public var ticket: String?
    /// The sender's deadline for its ticket (办结时限), when it gave one.
    public var ticketDueAt: Date?
    /// Where the sender is told of every status change of the case (热线回访/回调), when it gave one.
    public var callbackURL: String?

    /// Creates a reporter.
    public init(
        userID: UserID? = nil, name: String? = nil, phone: String? = nil, email: String? = nil, source: CaseSource, caseID: CaseID? = nil,
        ticket: String? = nil, ticketDueAt: Date? = nil, callbackURL: String? = nil
    ) {
        self.ticket = ticket
        self.ticketDueAt = ticketDueAt
        self.callbackURL = callbackURL
        self.userID = userID
        self.name = name
        self.phone = phone
        self.email = email
        self.source = source
        self.caseID = caseID
    }

    /// The reporter with name, phone and email masked (张**, 138****5678, z***@example.cn).
    public var masked: Reporter {
        var r = self
        r.name = name.map(PersonalData.maskName)
        r.phone = phone.map(PersonalData.maskPhone)
        r.email = email.map(PersonalData.maskEmail)
        return r
    }
}

/// Masking rules for personal data.
public enum PersonalData {
    /// Keeps the first character: 张三丰 → 张**.
    public static func maskName(_ s: String) -> String {
        guard let f = s.first else { return s }
        return String(f) + String(repeating: "*", count: max(1, s.count - 1))
    }

    /// Keeps the first 3 and last 4 digits: 13812345678 → 138****5678.
    public static func maskPhone(_ s: String) -> String {
        guard s.count > 7 else { return String(repeating: "*", count: s.count) }
        return String(s.prefix(3)) + String(repeating: "*", count: s.count - 7) + String(s.suffix(4))
    }

    /// Keeps the first character and the domain: zhang@example.cn → z***@example.cn.
    public static func maskEmail(_ s: String) -> String {
        guard let at = s.lastIndex(of: "@"), let f = s.first, at != s.startIndex else { return String(repeating: "*", count: s.count) }
        return String(f) + "***" + s[at...]
    }
}

/// A case (案卷): one problem followed from report to closing.
public struct CaseRecord: Hashable, Codable, Sendable {
    /// The case's ID.
    public var id: CaseID
    /// The case number, e.g. `E0601020261123000017` (C/E + class + date + sequence); assigned by the store.
    public var number: String
    /// The client's request ID, for idempotent intake.
    public var clientRequestID: String?
    /// Where the report came from.
    public var source: CaseSource
    /// The matter class code (5 digits).
    public var matterCode: String
    /// The component the case is about, if any (17-digit ID).
    public var componentID: String?
    /// What the reporter saw.
    public var description: String
    /// A street address, if given.
    public var address: String?
    /// Location.
    public var point: GeoPoint
    /// Unit grid and areas.
    public var placement: Placement
    /// Urgency.
    public var urgency: Urgency
    /// Current state.
    public var state: CaseState
    /// The state before suspension or a return request, to come back to.
    public var resumeState: CaseState?
    /// The lead department (主办).
    public var leadDepartmentID: DepartmentID?
    /// After an approved return (回退), the department that returned it, until the case is dispatched again: the
    /// dispatcher sees who gave it back beside the suggested department.
    public var returnedByDepartmentID: DepartmentID?
    /// Assisting departments (协办).
    public var assistingDepartmentIDs: [DepartmentID]
    /// Set when no responsibility rule covers the case (无主).
    public var noOwner: Bool
    /// Reporters: the original first, then those of merged duplicates.
    public var reporters: [Reporter]
    /// Evidence media IDs attached at report time.
    public var evidence: [String]
    /// When reported.
    public var createdAt: Date
    /// Last change.
    public var updatedAt: Date
    /// When the current step is due; nil when no deadline runs.
    public var stepDueAt: Date?
    /// When handling by the department is due.
    public var handlingDueAt: Date?
    /// The handling limit in working minutes from the responsibility list.
    public var handlingLimitMinutes: Int?
    /// A pending extension request, in working hours.
    public var pendingExtensionHours: Int?
    /// Times sent back for rework (返工).
    public var reworkCount: Int
    /// Times urged (催办).
    public var urgeCount: Int
    /// Whether a leader supervises it (督办).
    public var supervised: Bool
    /// Approved extensions.
    public var extensionCount: Int
    /// When the case was suspended (挂账), while it is.
    public var suspendedAt: Date?
    /// When the case was closed or otherwise ended.
    public var closedAt: Date?
    /// When the case was filed (立案), or a self-handled report approved.
    public var filedAt: Date?
    /// For merged duplicates: the case it was merged into.
    public var duplicateOf: CaseID?
    /// The number of events recorded.
    public var eventCount: Int
    /// The hash of the last event (head of the chain).
    public var lastEventHash: String
    /// Optimistic-concurrency version, incremented on every change.
    public var version: Int
    /// The reporter's rating of the result once closed (满意度); cleared when the case is reopened.
    public var satisfaction: Satisfaction?
    /// The earlier closed case of the same class at the same place that this one repeats (复发), when it does.
    public var recurrenceOf: CaseID?

    /// Creates a case record.
    public init(
        id: CaseID, number: String = "", clientRequestID: String? = nil, source: CaseSource, matterCode: String,
        componentID: String? = nil, description: String, address: String? = nil, point: GeoPoint,
        placement: Placement, urgency: Urgency = .normal, state: CaseState, reporters: [Reporter] = [],
        evidence: [String] = [], createdAt: Date
    ) {
        self.id = id
        self.number = number
        self.clientRequestID = clientRequestID
        self.source = source
        self.matterCode = matterCode
        self.componentID = componentID
        self.description = description
        self.address = address
        self.point = point
        self.placement = placement
        self.urgency = urgency
        self.state = state
        self.resumeState = nil
        self.leadDepartmentID = nil
        self.returnedByDepartmentID = nil
        self.assistingDepartmentIDs = []
        self.noOwner = false
        self.reporters = reporters
        self.evidence = evidence
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.stepDueAt = nil
        self.handlingDueAt = nil
        self.handlingLimitMinutes = nil
        self.pendingExtensionHours = nil
        self.reworkCount = 0
        self.urgeCount = 0
        self.supervised = false
        self.extensionCount = 0
        self.suspendedAt = nil
        self.closedAt = nil
        self.filedAt = nil
        self.duplicateOf = nil
        self.eventCount = 0
        self.lastEventHash = CaseEvent.genesisHash
        self.version = 0
        self.satisfaction = nil
        self.recurrenceOf = nil
    }

    /// The idempotency key: the reporting account and its client request ID; nil without a request ID.
    public var requestKey: String? {
        clientRequestID.map { "\(reporters.first?.userID?.rawValue ?? "")/\($0)" }
    }

    /// Whether the current step's deadline has passed at `now`.
    public func isOverdue(at now: Date) -> Bool {
        guard state.hasDeadline, let due = stepDueAt else { return false }
        return now > due
    }

    /// The case as seen by a role: reporters' personal data masked unless the role needs it.
    public func visible(to role: Role, userID: UserID? = nil) -> CaseRecord {
        guard !role.seesPersonalData else { return self }
        var c = self
        c.reporters = reporters.map { r in (userID != nil && r.userID == userID) ? r : r.masked }
        return c
    }

    /// The case-number prefix: C for component matters (classes 01–05), E for events, + class + local date.
    public static func numberPrefix(matterCode: String, date: String) -> String {
        let component = (Int(matterCode.prefix(2)) ?? 99) <= 5
        return (component ? "C" : "E") + matterCode + date
    }
}
