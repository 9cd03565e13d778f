import CityLoopDomain
import CityLoopServices
import Foundation

/// Builders for cases as the services make them: started by `CaseWorkflow.start`, changed by
/// `CaseWorkflow.apply`, events sealed on the hash chain with SHA-256 (as `CaseService.seal` does).
enum Fixture {
    static let hasher = SHA256Hasher()
    static let policy = WorkflowPolicy()
    /// 2026-03-02 00:00 UTC, a Monday.
    static let base = Date(timeIntervalSince1970: 1_772_409_600)
    static let date = "20260302"

    static let operatorActor = Actor(userID: "u-operator", name: "operator", role: .operator)
    static let dispatcher = Actor(userID: "u-dispatcher", name: "dispatcher", role: .dispatcher)
    static let shiftLead = Actor(userID: "u-shiftlead", name: "shiftlead", role: .shiftLead)
    static let leader = Actor(userID: "u-leader", name: "leader", role: .leader)
    static let inspector = Actor(userID: "u-inspector", name: "inspector", role: .inspector, gridScopes: ["1101"])
    static func handler(_ department: DepartmentID?) -> Actor {
        Actor(userID: "u-handler", name: "handler", role: .handler, departmentID: department)
    }

    static func placement(_ grid: String) -> Placement { Placement(grid: UnitGrid(code: grid, boundary: Polygon(outer: []))) }

    /// A time `seconds` after `base`, at millisecond precision like the services' clock.
    static func at(_ seconds: Double) -> Date {
        Date(timeIntervalSince1970: ((base.timeIntervalSince1970 + seconds) * 1000).rounded() / 1000)
    }

    /// A new case as reported (not yet stored) and its sealed first event.
    static func newCase(
        id: CaseID = CaseID(UUID().uuidString.lowercased()), matter: String = "06001", grid: String = "110101001001001",
        source: CaseSource = .citizen, reporter: UserID? = "citizen-1", createdAt: Date = Fixture.at(0),
        clientRequestID: String? = nil, selfHandled: Bool = false, point: GeoPoint = GeoPoint(lat: 39.91, lon: 116.40)
    ) -> (CaseRecord, CaseEvent) {
        let reporterEntry = Reporter(userID: reporter, name: "张三丰", phone: "13812345678", source: source, caseID: id)
        let record = CaseRecord(
            id: id, clientRequestID: clientRequestID, source: source, matterCode: matter, description: "problem at \(grid)",
            point: point, placement: placement(grid), state: .pendingFiling, reporters: [reporterEntry], createdAt: createdAt)
        let actor = selfHandled ? inspector : Actor(userID: reporter ?? "system", name: "reporter", role: .citizen)
        let (started, event) = CaseWorkflow.start(record, actor: actor, selfHandled: selfHandled, at: createdAt, policy: policy)
        return (started, event.sealed(after: CaseEvent.genesisHash, hasher: hasher))
    }

    /// The record as the store should hold it right after `createCase`.
    static func stored(_ record: CaseRecord, _ first: CaseEvent, number: String) -> CaseRecord {
        var r = record
        r.number = number
        r.eventCount = 1
        r.lastEventHash = first.hash
        return r
    }

    /// Seals events onto the chain of `before` and sets the chain head and version (as `CaseService.seal`).
    static func seal(_ record: CaseRecord, _ events: [CaseEvent], from before: CaseRecord, history: [CaseEvent]) -> CaseChange {
        CaseChange(sealing: record, events: events, after: before, history: history, hasher: hasher)
    }

    /// The change one workflow action makes to a stored case whose events so far are `history`.
    static func change(
        _ action: CaseAction, on c: CaseRecord, history: [CaseEvent], input: ActionInput = ActionInput(), actor: Actor, at: Date
    ) throws -> CaseChange {
        let (next, event) = try CaseWorkflow.apply(action, to: c, input: input, actor: actor, at: at, policy: policy)
        return seal(next, [event], from: c, history: history)
    }
}

/// A case's whole life: how it was reported and each later change, for replaying into a store live
/// (`createCase` + `commit`) or at once (`bulkLoad`).
struct CaseHistory: Sendable {
    var initial: CaseRecord
    var firstEvent: CaseEvent
    var changes: [CaseChange] = []
    var number: String

    init(_ reported: (CaseRecord, CaseEvent), number: String) {
        initial = Fixture.stored(reported.0, reported.1, number: number)
        firstEvent = reported.1
        self.number = number
    }

    var record: CaseRecord { changes.last?.record ?? initial }
    var events: [CaseEvent] { [firstEvent] + changes.flatMap(\.events) }

    mutating func apply(_ action: CaseAction, input: ActionInput = ActionInput(), actor: Actor, at: Date) throws {
        changes.append(try Fixture.change(action, on: record, history: events, input: input, actor: actor, at: at))
    }

    /// Appends a change of the record alone (no event), e.g. a field a later process set.
    mutating func amend(_ edit: (inout CaseRecord) -> Void) {
        var r = record
        edit(&r)
        r.version = record.version + 1
        changes.append(Fixture.seal(r, [], from: record, history: events))
    }
}
