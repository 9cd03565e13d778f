import Foundation

/// A rectification notice to a haulage or sanitation company (整改通知书): the events of its vehicles on one local day,
/// sent the next morning; the company replies with what it did about them (整改回复) by the due time, and the
/// supervisor closes the notice or sends it back with a note, which opens a new reply time.
public struct CompanyNotice: Hashable, Codable, Sendable {
    /// Where a notice stands.
    public enum State: String, Hashable, Codable, Sendable, CaseIterable {
        /// Sent, waiting for the company's reply (待整改).
        case issued
        /// The company replied, waiting for the supervisor (待审核).
        case replied
        /// Accepted by the supervisor (已办结).
        case closed
    }

    /// A reply the supervisor sent back.
    public struct Rejection: Hashable, Codable, Sendable {
        /// The reply sent back.
        public var reply: String
        /// Why.
        public var note: String
        /// Who sent it back.
        public var by: UserID
        /// When.
        public var at: Date
    }

    /// The notice's identifier: `ZG-{day}-{company}`, one per company and day.
    public var id: String
    /// The company (a contractor department).
    public var companyID: DepartmentID
    /// The local day of the events, `yyyy-MM-dd`.
    public var day: String
    /// When it was sent.
    public var issuedAt: Date
    /// When the reply is due.
    public var dueAt: Date
    /// The events, oldest first.
    public var events: [StoredVehicleEvent]
    /// How many events of each kind.
    public var counts: [VehicleEvent.Kind: Int]
    /// Where it stands.
    public var state: State
    /// The company's reply (整改措施).
    public var reply: String?
    /// Who replied.
    public var repliedBy: UserID?
    /// When.
    public var repliedAt: Date?
    /// Who closed it.
    public var closedBy: UserID?
    /// When.
    public var closedAt: Date?
    /// Replies sent back, oldest first.
    public var rejections: [Rejection]
    /// Incremented by every change (a reply or a decision names the version it saw).
    public var version: Int

    /// The ID of a company's notice for a day.
    public static func id(companyID: DepartmentID, day: String) -> String { "ZG-\(day)-\(companyID.rawValue)" }

    /// The notice for a company's `events` of `day` (those of the policy's kinds), or nil when none is of them.
    public static func compose(
        companyID: DepartmentID, day: String, events: [StoredVehicleEvent], issuedAt: Date, policy: CompanyNoticePolicy = CompanyNoticePolicy()
    ) -> CompanyNotice? {
        let kept = events.filter { policy.kinds.contains($0.event.kind) }.sorted { ($0.event.time, $0.seq) < ($1.event.time, $1.seq) }
        guard !kept.isEmpty else { return nil }
        return CompanyNotice(
            id: id(companyID: companyID, day: day), companyID: companyID, day: day, issuedAt: issuedAt,
            dueAt: issuedAt.addingTimeInterval(Double(policy.replyDays) * 86_400), events: Array(kept.prefix(policy.maxEvents)),
            counts: kept.reduce(into: [:]) { $0[$1.event.kind, default: 0] += 1 }, state: .issued, rejections: [], version: 1)
    }

    /// Whether the reply is late: still waiting for it after the due time.
    public func isOverdue(at now: Date) -> Bool { state == .issued && now > dueAt }

    /// The company replies (only while issued): `text` 1–2000 characters without control characters.
    public mutating func reply(_ text: String, by: UserID, at: Date) throws {
        guard state == .issued else { throw Self.wrongState(state, "reply") }
        try Self.checkText(text, field: "reply")
        reply = text
        repliedBy = by
        repliedAt = at
        state = .replied
        version += 1
    }

    /// The supervisor accepts the reply (only while replied).
    public mutating func close(by: UserID, at: Date) throws {
        guard state == .replied else { throw Self.wrongState(state, "close") }
        closedBy = by
        closedAt = at
        state = .closed
        version += 1
    }

    /// The supervisor sends the reply back with a note (only while replied): the company replies again within the
    /// policy's days.
    public mutating func sendBack(note: String, by: UserID, at: Date, policy: CompanyNoticePolicy = CompanyNoticePolicy()) throws {
        guard state == .replied, let previous = reply else { throw Self.wrongState(state, "send back") }
        try Self.checkText(note, field: "note")
        rejections.append(Rejection(reply: previous, note: note, by: by, at: at))
        reply = nil
        repliedBy = nil
        repliedAt = nil
        dueAt = at.addingTimeInterval(Double(policy.replyDays) * 86_400)
        state = .issued
        version += 1
    }

    static func checkText(_ text: String, field: String) throws {
        try TextRules.check(text, field: field)
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, text.count <= 2000 else {
            throw DomainError.invalid(field, "\(field) must be 1–2000 characters", code: "notice.text")
        }
    }

    static func wrongState(_ state: State, _ action: String) -> DomainError {
        DomainError(.invalidTransition, code: "notice.state", "a notice that is \(state.rawValue) cannot \(action)")
    }
}

/// Which events go into company notices and how long a company has to reply.
public struct CompanyNoticePolicy: Hashable, Codable, Sendable {
    /// The kinds that go into notices: every rule breach (entering and leaving sites are not).
    public var kinds: Set<VehicleEvent.Kind>
    /// Days to reply.
    public var replyDays: Int
    /// The most events a notice lists (the counts count them all).
    public var maxEvents: Int

    /// A policy with the given (or default) values.
    public init(
        kinds: Set<VehicleEvent.Kind> = Set(VehicleEvent.Kind.allCases).subtracting([.enteredSite, .leftSite]), replyDays: Int = 3,
        maxEvents: Int = 500
    ) {
        self.kinds = kinds
        self.replyDays = replyDays
        self.maxEvents = maxEvents
    }
}

extension DomainError {
    /// A notice changed by someone else first (409): read it again.
    public static let noticeChanged = DomainError(.conflict, code: "notice.changed", "the notice was changed by someone else meanwhile: read it again")
}
