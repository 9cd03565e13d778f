import CityLoopDomain
import Foundation

/// Local day numbers (UTC+8) of the week the scenarios run in: 2026-W28, Monday 2026-07-06 to Sunday 2026-07-12.
enum EvalDay {
    /// Monday 2026-07-06: 2026-01-01 is day 20,454 (56 years × 365 + 14 leap days), plus 186 days.
    static let monday = 20_640
    /// Tuesday 2026-07-07.
    static let tuesday = 20_641
    /// Wednesday 2026-07-08.
    static let wednesday = 20_642
    /// The whole week.
    static let week = 20_640...20_646
}

/// The subjects the scenarios' facts count for.
enum Subjects {
    static func user(_ id: String) -> EvaluationSubject { EvaluationSubject(kind: .user, id: id) }
    static func department(_ id: String) -> EvaluationSubject { EvaluationSubject(kind: .department, id: id) }
    static let inspector = user("u-insp")
    static let op = user("u-op")
    static let shiftLead = user("u-lead")
    static let dispatcher = user("u-disp")
    static let sanitation = department("sanitation")
    static let municipal = department("municipal")
    /// The district and street of `Actors.gridCode` (410102001001001).
    static let district = EvaluationSubject(kind: .district, id: "410102")
    static let street = EvaluationSubject(kind: .street, id: "410102001")
}

extension Flow {
    /// A report made by `actor` (optionally fixed on the spot), instead of the citizen report `Flow()` starts with.
    static func started(source: CaseSource, by actor: Actor, selfHandled: Bool = false, at: Date) -> Flow {
        var f = Flow(source: source, at: at)
        var fresh = f.c
        fresh.eventCount = 0
        fresh.version = 0
        fresh.lastEventHash = CaseEvent.genesisHash
        let (started, event) = CaseWorkflow.start(fresh, actor: actor, selfHandled: selfHandled, at: at, policy: f.policy)
        let sealed = event.sealed(after: CaseEvent.genesisHash, hasher: f.hasher)
        f.c = started
        f.c.eventCount = 1
        f.c.lastEventHash = sealed.hash
        f.events = [sealed]
        return f
    }

    /// The case's evaluation facts in a UTC+8 city.
    var facts: [EvaluationFact] { EvaluationFacts.derive(c, events: events) }

    /// Whether each event met its step's deadline, in history order (nil where no step deadline ran).
    var onTimes: [Bool?] { events.map(\.onTime) }
}

extension [EvaluationFact] {
    /// The days of the facts of one counter, in order.
    func days(of counter: EvaluationCounter) -> [Int] { filter { $0.counter == counter }.map(\.day) }
    /// How many facts of one counter.
    func count(of counter: EvaluationCounter) -> Int { filter { $0.counter == counter }.count }
    /// The facts in a fixed order, to compare as a multiset.
    var canonical: [EvaluationFact] {
        sorted { ($0.counter.rawValue, $0.day, $0.userID?.rawValue ?? "", $0.departmentID?.rawValue ?? "")
            < ($1.counter.rawValue, $1.day, $1.userID?.rawValue ?? "", $1.departmentID?.rawValue ?? "") }
    }
}

/// The counts of the cases' facts on `days`, every case in `grid`.
func evaluationCounts(_ flows: [Flow], days: ClosedRange<Int> = EvalDay.week, grid: String = Actors.gridCode) -> EvaluationCounts {
    EvaluationCounts.compute(from: flows.map { (gridCode: grid, facts: $0.facts) }, days: days)
}

/// Cases driven through the real workflow with a fixed clock, some steps on time and some late. Deadlines follow
/// the default calendar (08:30–12:00, 13:30–18:00, weekdays) and step limits (verify 60, file 30, dispatch 30,
/// send check 30, check 60, close 30 working minutes); appearance matters (06…) are handled within 1 working day.
enum Scenario {
    static func at(_ days: Int, _ hour: Int, _ minute: Int = 0) -> Date { Instants.monday(plusDays: days, hour: hour, minute: minute) }
    static let handled = ActionInput(comment: "已清理")

    /// A citizen report where every step is on time, all on Monday, rated `rating` at 12:00.
    static func onTime(rating: Satisfaction = .satisfied) throws -> Flow {
        var f = Flow(at: at(0, 9))  // verify due 10:00
        try f.apply(.verify, by: Actors.inspector, at: at(0, 9, 10))  // filing due 09:40
        try f.apply(.file, by: Actors.shiftLead, at: at(0, 9, 20))  // dispatch due 09:50
        try f.apply(.dispatch, by: Actors.dispatcher, at: at(0, 9, 30))  // to sanitation, handling due Tue 09:30
        try f.apply(.accept, by: Actors.handler, at: at(0, 9, 40))
        try f.apply(.reportHandled, by: Actors.handler, handled, at: at(0, 11))  // send check due 11:30
        try f.apply(.sendCheck, by: Actors.op, at: at(0, 11, 10))  // check due 13:40 (50 min before noon, 10 after)
        try f.apply(.checkPass, by: Actors.inspector, at: at(0, 11, 40))  // close due 13:40
        try f.apply(.close, by: Actors.shiftLead, at: at(0, 11, 50))
        try f.apply(.rate, by: Actors.citizen, ActionInput(satisfaction: rating), at: at(0, 12))
        return f
    }

    /// A citizen report where every step is late: Monday's steps each after their deadline, handling reported on
    /// Wednesday (due Tuesday 15:00), then the check, closing and a dissatisfied rating on Wednesday.
    static func late() throws -> Flow {
        var f = Flow(at: at(0, 9))  // verify due 10:00
        try f.apply(.verify, by: Actors.inspector, at: at(0, 11))  // late; filing due 11:30
        try f.apply(.file, by: Actors.shiftLead, at: at(0, 14))  // late; dispatch due 14:30
        try f.apply(.dispatch, by: Actors.dispatcher, at: at(0, 15))  // late; handling due Tue 15:00
        try f.apply(.accept, by: Actors.handler, at: at(0, 15, 10))
        try f.apply(.reportHandled, by: Actors.handler, handled, at: at(2, 10))  // late; send check due 10:30
        try f.apply(.sendCheck, by: Actors.op, at: at(2, 11))  // late; check due 12:00
        try f.apply(.checkPass, by: Actors.inspector, at: at(2, 15))  // late; close due 15:30
        try f.apply(.close, by: Actors.shiftLead, at: at(2, 16))  // late
        try f.apply(.rate, by: Actors.citizen, ActionInput(satisfaction: .dissatisfied), at: at(2, 16, 30))
        return f
    }

    /// An inspector fixes a problem on the spot on Tuesday 10:00; the shift lead approves at 10:20 (due 10:30).
    static func selfHandled() throws -> Flow {
        var f = Flow.started(source: .inspector, by: Actors.inspector, selfHandled: true, at: at(1, 10))
        try f.apply(.approveSelfHandled, by: Actors.shiftLead, at: at(1, 10, 20))
        return f
    }

    /// An inspector's patrol report on Tuesday 14:00, filed and dispatched on time, then voided at 15:00.
    static func voidedAfterFiling() throws -> Flow {
        var f = Flow.started(source: .inspector, by: Actors.inspector, at: at(1, 14))  // filing due 14:30
        try f.apply(.file, by: Actors.shiftLead, at: at(1, 14, 10))  // dispatch due 14:40
        try f.apply(.dispatch, by: Actors.dispatcher, at: at(1, 14, 20))
        try f.apply(.void, by: Actors.shiftLead, ActionInput(comment: "重复立案"), at: at(1, 15))
        return f
    }

    /// Handling due Tuesday 09:30; an 8-hour extension asked on Monday 11:00 and approved (or refused) at 11:30 moves
    /// it to Wednesday 09:30; handling is reported on Tuesday 15:00, then checked and closed on time.
    static func extended(approved: Bool) throws -> Flow {
        var f = try Flow.inProgress()
        try f.apply(.requestExtension, by: Actors.handler, ActionInput(extensionHours: 8), at: at(0, 11))
        try f.apply(approved ? .approveExtension : .refuseExtension, by: Actors.dispatcher, at: at(0, 11, 30))
        try f.apply(.reportHandled, by: Actors.handler, handled, at: at(1, 15))  // send check due 15:30
        try f.apply(.sendCheck, by: Actors.op, at: at(1, 15, 10))  // check due 16:10
        try f.apply(.checkPass, by: Actors.inspector, at: at(1, 15, 40))  // close due 16:10
        try f.apply(.close, by: Actors.shiftLead, at: at(1, 15, 50))
        return f
    }

    /// Handled twice: the first report late (or on time), the check fails, the second report on time (or late).
    static func reworked(firstLate: Bool) throws -> Flow {
        var f = try Flow.inProgress()  // handling due Tue 09:30
        if firstLate {
            try f.apply(.reportHandled, by: Actors.handler, handled, at: at(1, 10))  // late
            try f.apply(.sendCheck, by: Actors.op, at: at(1, 10, 10))  // check due 11:10
            try f.apply(.checkFail, by: Actors.inspector, ActionInput(comment: "仍有垃圾"), at: at(1, 11))  // handling due Wed 11:00
        } else {
            try f.apply(.reportHandled, by: Actors.handler, handled, at: at(0, 10))  // on time
            try f.apply(.sendCheck, by: Actors.op, at: at(0, 10, 10))  // check due 11:10
            try f.apply(.checkFail, by: Actors.inspector, ActionInput(comment: "仍有垃圾"), at: at(0, 11))  // handling due Tue 11:00
        }
        try f.apply(.reportHandled, by: Actors.handler, handled, at: at(2, 10))  // on time after a late first, late otherwise
        try f.apply(.sendCheck, by: Actors.op, at: at(2, 10, 10))  // check due 11:10
        try f.apply(.checkPass, by: Actors.inspector, at: at(2, 10, 30))  // close due 11:00
        try f.apply(.close, by: Actors.shiftLead, at: at(2, 10, 40))
        return f
    }

    /// Suspended on Monday 14:00 (300 working minutes before the Tuesday 09:30 deadline), resumed on Tuesday 10:00
    /// (handling now due Tuesday 16:30), handled at 15:00, checked and closed.
    static func suspended() throws -> Flow {
        var f = try Flow.inProgress()
        try f.apply(.suspend, by: Actors.dispatcher, ActionInput(comment: "列入改造计划"), at: at(0, 14))
        try f.apply(.resume, by: Actors.dispatcher, at: at(1, 10))
        try f.apply(.reportHandled, by: Actors.handler, handled, at: at(1, 15))
        try f.apply(.sendCheck, by: Actors.op, at: at(1, 15, 10))
        try f.apply(.checkPass, by: Actors.inspector, at: at(1, 15, 40))
        try f.apply(.close, by: Actors.shiftLead, at: at(1, 15, 50))
        return f
    }

    /// Dispatched to sanitation, which asks for a return (approved); dispatched to municipal, then redispatched to
    /// sanitation, which handles it. Every dispatch on time, all on Monday.
    static func returnedAndRedispatched() throws -> Flow {
        var f = Flow(at: at(0, 9))
        try f.apply(.verify, by: Actors.inspector, at: at(0, 9, 10))
        try f.apply(.file, by: Actors.shiftLead, at: at(0, 9, 20))  // dispatch due 09:50
        try f.apply(.dispatch, by: Actors.dispatcher, at: at(0, 9, 30))  // sanitation
        try f.apply(.requestReturn, by: Actors.handler, ActionInput(comment: "不属本部门"), at: at(0, 9, 40))
        try f.apply(.approveReturn, by: Actors.dispatcher, at: at(0, 10))  // dispatch due 10:30
        try f.apply(.dispatch, by: Actors.dispatcher, ActionInput(departmentID: "municipal"), at: at(0, 10, 20))  // due Tue 10:20
        try f.apply(.redispatch, by: Actors.dispatcher, ActionInput(departmentID: "sanitation"), at: at(0, 10, 40))
        try f.apply(.accept, by: Actors.handler, at: at(0, 10, 50))
        try f.apply(.reportHandled, by: Actors.handler, handled, at: at(0, 11))
        try f.apply(.sendCheck, by: Actors.op, at: at(0, 11, 10))
        try f.apply(.checkPass, by: Actors.inspector, at: at(0, 11, 40))
        try f.apply(.close, by: Actors.shiftLead, at: at(0, 11, 50))
        return f
    }

    /// The small city of the hand-computed indicators: the on-time case (A), the late case (B), the self-handled
    /// case (S) and the voided case (V), all in grid 410102001001001.
    static func smallCity() throws -> [Flow] {
        [try onTime(), try late(), try selfHandled(), try voidedAfterFiling()]
    }
}
