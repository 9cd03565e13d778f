import CityLoopDomain
import Foundation

/// Rectification notices to companies (整改通知): each morning the leader sends every company whose vehicles broke
/// a rule the day before one notice listing the events; the company replies, the supervisor closes the notice or
/// sends it back. One notice per company and day, whichever node sends it.
public struct CompanyNotices: Sendable {
    let platform: Platform
    /// Which events go in and how long a company has to reply.
    public var policy = CompanyNoticePolicy()
    /// How long after a local day's end its notices go out (late uploads of buffered positions arrive meanwhile).
    public var graceSeconds: TimeInterval = 1800
    /// How many past days are still noticed (a leader down over a weekend catches up).
    public var lookbackDays = 7

    /// Creates the notices' service.
    public init(platform: Platform) { self.platform = platform }

    /// The setting holding the last local day (a day number) whose notices were sent.
    public static let settingKey = "vehicles.noticedThroughDay"

    /// Sends the notices due: for each local day that ended `graceSeconds` ago and was not noticed yet (at most
    /// `lookbackDays` back), one to each company whose vehicles raised events of the policy's kinds that day. Events
    /// stored after their day was noticed (a terminal's very late upload) count in the credit but get no notice.
    /// Returns the notices sent by this call.
    public func sweep() async throws -> [CompanyNotice] {
        let now = platform.clock.now()
        let offset = Double(VehicleRuleSettings().utcOffsetSeconds)
        let today = Int(((now.timeIntervalSince1970 + offset - graceSeconds) / 86_400).rounded(.down))
        let noticed = try await platform.store.setting(Self.settingKey).flatMap { Int($0) }
        let first = max(today - lookbackDays, noticed.map { $0 + 1 } ?? Int.min)
        guard first < today else { return [] }
        var sent: [CompanyNotice] = []
        // One read of the log by time for all the days due, then a notice per day and company (the company each
        // vehicle belonged to when it raised the event).
        let start = Date(timeIntervalSince1970: Double(first) * 86_400 - offset), end = Date(timeIntervalSince1970: Double(today) * 86_400 - offset)
        let all = try await VehicleEventLog.events(platform.store, companyID: nil, from: start, to: end, kinds: policy.kinds).filter {
            $0.event.companyID.map { platform.context.departments[$0] != nil } ?? false
        }
        let byDay = Dictionary(grouping: all) { Int((($0.event.time.timeIntervalSince1970 + offset) / 86_400).rounded(.down)) }
        for day in first..<today {
            let key = WorkingCalendar.dayKey(day)
            for (company, theirs) in Dictionary(grouping: byDay[day] ?? [], by: { $0.event.companyID! }).sorted(by: { $0.key < $1.key }) {
                guard let notice = CompanyNotice.compose(companyID: company, day: key, events: theirs, issuedAt: now, policy: policy) else { continue }
                if try await platform.store.insertCompanyNotice(notice) { sent.append(notice) }
            }
        }
        try await platform.store.saveSetting(Self.settingKey, String(today - 1))
        return sent
    }

    /// What a user does to a notice.
    public enum Action: Sendable {
        /// The company replies with its measures.
        case reply(String)
        /// The supervisor accepts the reply.
        case close
        /// The supervisor sends the reply back with a note.
        case sendBack(String)
    }

    /// Applies `action` by `actor` to the notice `id`, which the actor saw at `version`: a company's handler replies to
    /// its own notices, supervisors (dispatcher, shift lead, leader) and admins close or send back. 404 for an unknown
    /// notice, or one of another company for a handler; 409 when the version is stale or the state does not allow it.
    public func act(_ action: Action, on id: String, version: Int, by actor: Actor) async throws -> CompanyNotice {
        guard var notice = try await platform.store.companyNotice(id: id), Self.canSee(actor, notice) else { throw DomainError.notFound("notice", id) }
        let now = platform.clock.now()
        switch action {
        case .reply(let text):
            guard actor.role == .handler || actor.role == .admin else { throw DomainError.forbidden("only the company's handlers reply to its notices") }
            guard notice.version == version else { throw DomainError.noticeChanged }
            try notice.reply(text, by: actor.userID, at: now)
        case .close, .sendBack:
            guard Self.supervisors.contains(actor.role) else { throw DomainError.forbidden("only supervisors close or send back notices") }
            guard notice.version == version else { throw DomainError.noticeChanged }
            if case .sendBack(let note) = action { try notice.sendBack(note: note, by: actor.userID, at: now, policy: policy) } else { try notice.close(by: actor.userID, at: now) }
        }
        try await platform.store.updateCompanyNotice(notice, expectedVersion: version)
        return notice
    }

    /// The roles that close notices or send them back.
    public static let supervisors: [Role] = [.dispatcher, .shiftLead, .leader, .admin]

    /// Whether `actor` may see `notice`: a handler only its own company's.
    public static func canSee(_ actor: Actor, _ notice: CompanyNotice) -> Bool {
        actor.role != .handler || actor.departmentID == notice.companyID
    }
}
