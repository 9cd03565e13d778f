import CityLoopDomain
import Foundation

/// A tiny deterministic hasher for the chain tests: FNV-1a 64-bit, four lanes, 64 hex characters.
struct FNVHasher: EventHasher {
    func digest(_ text: String) -> String {
        var out = ""
        for lane in UInt64(0)..<4 {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ (lane &* 0x9E37_79B9_7F4A_7C15)
            for b in text.utf8 {
                h ^= UInt64(b)
                h = h &* 0x0000_0100_0000_01B3
            }
            let hex = String(h, radix: 16)
            out += String(repeating: "0", count: 16 - hex.count) + hex
        }
        return out
    }
}

/// Fixed instants, all explicit UTC timestamps (local time is UTC+8).
enum Instants {
    /// Friday 2026-07-03 16:00 (UTC+8).
    static let friday1600 = Date(timeIntervalSince1970: 1_783_065_600)
    /// Monday 2026-07-06 00:00 (UTC+8).
    static let mondayMidnight = Date(timeIntervalSince1970: 1_783_267_200)
    /// Monday 2026-07-06 09:00 (UTC+8).
    static let monday0900 = Date(timeIntervalSince1970: 1_783_299_600)

    /// Monday 2026-07-06 local midnight plus days, hours and minutes.
    static func monday(plusDays days: Int = 0, hour: Int, minute: Int = 0) -> Date {
        mondayMidnight.addingTimeInterval(Double(days * 86400 + hour * 3600 + minute * 60))
    }
}

/// Actors of the workflow tests.
enum Actors {
    static let gridCode = "410102001001001"
    static let inspector = Actor(userID: "u-insp", name: "inspector", role: .inspector, gridScopes: ["410102001"])
    static let foreignInspector = Actor(userID: "u-insp2", name: "inspector2", role: .inspector, gridScopes: ["410103"])
    static let op = Actor(userID: "u-op", name: "operator", role: .operator)
    static let shiftLead = Actor(userID: "u-lead", name: "shiftlead", role: .shiftLead)
    static let dispatcher = Actor(userID: "u-disp", name: "dispatcher", role: .dispatcher)
    static let handler = Actor(userID: "u-h", name: "handler", role: .handler, departmentID: "sanitation")
    static let otherHandler = Actor(userID: "u-h2", name: "handler2", role: .handler, departmentID: "municipal")
    static let citizen = Actor(userID: "u-cit", name: "citizen", role: .citizen)
    static let leader = Actor(userID: "u-leader", name: "leader", role: .leader)
}

/// A case moving through the workflow, its events sealed on the chain as the services do.
struct Flow {
    static let policy: WorkflowPolicy = {
        let rules = [
            ResponsibilityRule(id: "appearance", matter: "06", areaCode: nil, departmentID: "sanitation", limits: [.normal: .days(1)]),
            ResponsibilityRule(id: "other", matter: "*", areaCode: nil, departmentID: "municipal", limits: [.normal: .days(3)]),
        ]
        return WorkflowPolicy(
            responsibilities: try! ResponsibilityList(rules: rules), departments: ["sanitation", "municipal"], autoDispatch: false)
    }()

    let hasher = FNVHasher()
    var policy = Flow.policy
    var c: CaseRecord
    var events: [CaseEvent] = []

    /// A citizen report of exposed garbage made at `at` (waits for verification).
    init(source: CaseSource = .citizen, at: Date = Instants.monday0900) {
        let grid = UnitGrid(code: Actors.gridCode, boundary: Polygon(outer: []))
        let report = CaseRecord(
            id: "case-1", number: "E0601020260706000001", source: source, matterCode: "06010", description: "暴露垃圾",
            point: GeoPoint(lat: 34.75, lon: 113.65), placement: Placement(grid: grid), state: .pendingVerification,
            createdAt: at)
        let (started, event) = CaseWorkflow.start(
            report, actor: source == .inspector ? Actors.inspector : Actors.citizen, selfHandled: false, at: at,
            policy: Flow.policy)
        c = started
        record(event)
    }

    private mutating func record(_ event: CaseEvent) {
        let sealed = event.sealed(after: c.lastEventHash, hasher: hasher)
        c.eventCount = events.count + 1
        c.lastEventHash = sealed.hash
        events.append(sealed)
    }

    /// Applies an action and records its event; throws what the workflow throws.
    @discardableResult
    mutating func apply(_ action: CaseAction, by actor: Actor, _ input: ActionInput = ActionInput(), at: Date) throws -> CaseEvent {
        let (next, event) = try CaseWorkflow.apply(action, to: c, input: input, actor: actor, at: at, policy: policy)
        c = next
        record(event)
        return events[events.count - 1]
    }

    /// What applying the action would throw (nil when it succeeds), without recording anything.
    func error(_ action: CaseAction, by actor: Actor, _ input: ActionInput = ActionInput(), at: Date) -> DomainError? {
        do {
            _ = try CaseWorkflow.apply(action, to: c, input: input, actor: actor, at: at, policy: policy)
            return nil
        } catch let e as DomainError {
            return e
        } catch {
            return DomainError(.invalidInput, code: "unexpected", "\(error)")
        }
    }

    /// A flow already accepted by the sanitation handler (in progress), starting Monday 09:00.
    static func inProgress() throws -> Flow {
        var f = Flow()
        try f.apply(.verify, by: Actors.inspector, at: Instants.monday(hour: 9, minute: 10))
        try f.apply(.file, by: Actors.shiftLead, at: Instants.monday(hour: 9, minute: 20))
        try f.apply(.dispatch, by: Actors.dispatcher, at: Instants.monday(hour: 9, minute: 30))
        try f.apply(.accept, by: Actors.handler, at: Instants.monday(hour: 9, minute: 40))
        return f
    }
}
