import CityLoopDomain
import Foundation
import Testing

@Suite("EvaluationFacts: what a case's whole history counts, for whom and on which day")
struct EvaluationFactsTests {
    typealias F = EvaluationFact
    let mon = EvalDay.monday

    @Test("a case on time everywhere counts each step for the person who took it, and the case for its department")
    func onTimeCase() throws {
        // setup
        let f = try Scenario.onTime()
        #expect(f.onTimes == [nil, true, true, true, true, true, true, true, true, nil])

        // MUT
        let facts = f.facts

        // validate: every step on Monday, every timed step on time.
        let expected: [F] = [
            F(.reported, day: mon),
            F(.verifications, day: mon, userID: "u-insp"), F(.verificationsOnTime, day: mon, userID: "u-insp"),
            F(.filings, day: mon, userID: "u-lead"), F(.filingsOnTime, day: mon, userID: "u-lead"),
            F(.filingsAccurate, day: mon, userID: "u-lead"),
            F(.dispatches, day: mon, userID: "u-disp"), F(.dispatchesOnTime, day: mon, userID: "u-disp"),
            F(.checkDispatches, day: mon, userID: "u-op"), F(.checkDispatchesOnTime, day: mon, userID: "u-op"),
            F(.operatorWork, day: mon, userID: "u-op"),
            F(.checks, day: mon, userID: "u-insp"), F(.checksOnTime, day: mon, userID: "u-insp"),
            F(.closings, day: mon, userID: "u-lead"), F(.closingsOnTime, day: mon, userID: "u-lead"),
            F(.ratings, day: mon, departmentID: "sanitation"), F(.ratingsSatisfied, day: mon, departmentID: "sanitation"),
            // The task, when it ends (here at the end of history): the dispatch was accurate, handled on time.
            F(.dispatchesAccurate, day: mon, userID: "u-disp"), F(.tasks, day: mon, departmentID: "sanitation"),
            F(.tasksHandled, day: mon, departmentID: "sanitation"), F(.tasksHandledOnTime, day: mon, departmentID: "sanitation"),
            // The case, on the day it was filed, for its lead department.
            F(.filed, day: mon, departmentID: "sanitation"), F(.dueToClose, day: mon, departmentID: "sanitation"),
            F(.closed, day: mon, departmentID: "sanitation"), F(.closedOnTime, day: mon, departmentID: "sanitation"),
            F(.filedFromPublic, day: mon, departmentID: "sanitation"),
        ]
        #expect(facts.canonical == expected.canonical)
    }

    @Test("a case late everywhere counts no on-time step, and each step on the day it was taken")
    func lateCase() throws {
        let f = try Scenario.late()
        #expect(f.onTimes == [nil, false, false, false, true, false, false, false, false, nil])
        let facts = f.facts
        for onTime in [EvaluationCounter.verificationsOnTime, .filingsOnTime, .dispatchesOnTime, .checkDispatchesOnTime, .checksOnTime,
            .closingsOnTime, .tasksHandledOnTime, .closedOnTime, .ratingsSatisfied]
        {
            #expect(facts.count(of: onTime) == 0, "\(onTime)")
        }
        // Monday's steps on Monday, Wednesday's on Wednesday; the task and the case on the days of dispatch and filing.
        #expect(facts.days(of: .verifications) == [mon])
        #expect(facts.days(of: .dispatches) == [mon])
        #expect(facts.days(of: .checkDispatches) == [EvalDay.wednesday])
        #expect(facts.days(of: .checks) == [EvalDay.wednesday])
        #expect(facts.days(of: .closings) == [EvalDay.wednesday])
        #expect(facts.days(of: .ratings) == [EvalDay.wednesday])
        #expect(facts.days(of: .tasksHandled) == [mon])
        #expect(facts.days(of: .closed) == [mon])
        #expect(facts.days(of: .overdueCases) == [mon])
        // Late is still done: the dispatch was accurate and the task handled.
        #expect(facts.count(of: .dispatchesAccurate) == 1 && facts.count(of: .tasksHandled) == 1)
    }

    @Test("a rating counts for the lead department; dissatisfied is not satisfied", arguments: [
        (Satisfaction.satisfied, 1), (.basicallySatisfied, 1), (.dissatisfied, 0),
    ])
    func rating(_ rating: Satisfaction, satisfied: Int) throws {
        let n = evaluationCounts([try Scenario.onTime(rating: rating)])
        #expect(n[Subjects.sanitation, .ratings] == 1)
        #expect(n[Subjects.sanitation, .ratingsSatisfied] == satisfied)
        #expect(n[.city, .ratings] == 1 && n[.city, .ratingsSatisfied] == satisfied)
        #expect(n[Subjects.user("u-cit"), .ratings] == 0)  // a rating is not the citizen's work
    }

    @Test("an approved extension counts, and moves the deadline so a report after the original deadline is on time")
    func approvedExtension() throws {
        // setup
        let approved = try Scenario.extended(approved: true)
        let refused = try Scenario.extended(approved: false)

        // validate: the handling report on Tuesday 15:00 was due Wednesday 09:30 after approval, Tuesday 09:30 without.
        let report = try #require(approved.events.first { $0.action == .reportHandled })
        #expect(report.dueAt == Instants.monday(plusDays: 2, hour: 9, minute: 30) && report.onTime == true)
        #expect(refused.events.first { $0.action == .reportHandled }?.onTime == false)

        let a = evaluationCounts([approved])
        #expect(a[Subjects.sanitation, .tasksExtended] == 1)
        #expect(a[Subjects.sanitation, .extendedCases] == 1)
        #expect(a[Subjects.sanitation, .tasksHandledOnTime] == 1)
        #expect(a[.city, .closedOnTime] == 1 && a[.city, .overdueCases] == 0)

        let r = evaluationCounts([refused])
        #expect(r[Subjects.sanitation, .tasksExtended] == 0 && r[.city, .extendedCases] == 0)
        #expect(r[Subjects.sanitation, .tasksHandledOnTime] == 0)
        #expect(r[.city, .closedOnTime] == 0 && r[.city, .overdueCases] == 1)
    }

    @Test("rework counts once for the task and the case; the last handling report decides on time", arguments: [true, false])
    func rework(firstLate: Bool) throws {
        let f = try Scenario.reworked(firstLate: firstLate)
        let reports = f.events.filter { $0.action == .reportHandled }.map(\.onTime)
        #expect(reports == (firstLate ? [false, true] : [true, false]))

        let n = evaluationCounts([f])
        #expect(n[Subjects.sanitation, .tasksReworked] == 1)
        #expect(n[Subjects.sanitation, .reworkedCases] == 1)
        #expect(n[Subjects.sanitation, .tasks] == 1 && n[Subjects.sanitation, .tasksHandled] == 1)
        // Both checks (the failed and the passed one) and both check dispatches were on time.
        #expect(n[Subjects.inspector, .checks] == 2 && n[Subjects.inspector, .checksOnTime] == 2)
        #expect(n[Subjects.op, .checkDispatches] == 2 && n[Subjects.op, .checkDispatchesOnTime] == 2)
        // On time when the second report was; overdue (at least once late) either way.
        #expect(n[Subjects.sanitation, .tasksHandledOnTime] == (firstLate ? 1 : 0))
        #expect(n[.city, .closedOnTime] == (firstLate ? 1 : 0))
        #expect(n[.city, .overdueCases] == 1)
    }

    @Test("suspension counts the case as suspended and ends the task without a return")
    func suspended() throws {
        let f = try Scenario.suspended()
        // The clock stopped while suspended: 300 working minutes were left, so handling was due Tuesday 16:30.
        let report = try #require(f.events.first { $0.action == .reportHandled })
        #expect(report.dueAt == Instants.monday(plusDays: 1, hour: 16, minute: 30) && report.onTime == true)

        let n = evaluationCounts([f])
        #expect(n[Subjects.sanitation, .suspendedCases] == 1 && n[.city, .suspendedCases] == 1)
        #expect(n[Subjects.sanitation, .tasks] == 1)
        #expect(n[Subjects.sanitation, .tasksReturned] == 0)
        #expect(n[Subjects.dispatcher, .dispatchesAccurate] == 1)
        #expect(n[.city, .closedOnTime] == 1)
    }

    @Test("the department's handling after a resumption counts for its task")
    func handlingAfterResume() throws {
        let n = evaluationCounts([try Scenario.suspended()])
        // The case resumed to in-progress with the same department, which then reported it handled by the deadline.
        #expect(n[Subjects.sanitation, .tasksHandled] == 1)
        #expect(n[Subjects.sanitation, .tasksHandledOnTime] == 1)
    }

    @Test("a case voided after filing counts as voided, not due to close, and neither the filing nor the report as valid")
    func voided() throws {
        let f = try Scenario.voidedAfterFiling()
        #expect(f.c.state == .voided)
        let n = evaluationCounts([f])
        #expect(n[.city, .filed] == 1 && n[.city, .voidedCases] == 1)
        #expect(n[.city, .dueToClose] == 0 && n[.city, .closed] == 0)
        #expect(n[Subjects.shiftLead, .filings] == 1 && n[Subjects.shiftLead, .filingsOnTime] == 1)
        #expect(n[Subjects.shiftLead, .filingsAccurate] == 0)
        #expect(n[Subjects.inspector, .inspectorReports] == 1 && n[Subjects.inspector, .inspectorValidReports] == 0)
        // An inspector's patrol is not a public report.
        #expect(n[.city, .filedFromPublic] == 0)
    }

    @Test("a return and a redispatch count as returned tasks; only the last dispatch is accurate")
    func returnAndRedispatch() throws {
        let f = try Scenario.returnedAndRedispatched()
        #expect(f.c.leadDepartmentID == "sanitation" && f.c.state == .closed)
        let n = evaluationCounts([f])
        // Three dispatches, all on time: sanitation (returned), municipal (redispatched away), sanitation (handled).
        #expect(n[Subjects.dispatcher, .dispatches] == 3)
        #expect(n[Subjects.dispatcher, .dispatchesOnTime] == 3)
        #expect(n[Subjects.dispatcher, .dispatchesAccurate] == 1)
        #expect(n[Subjects.sanitation, .tasksReturned] == 1 && n[Subjects.municipal, .tasksReturned] == 1)
        #expect(n[Subjects.sanitation, .tasks] == 1 && n[Subjects.municipal, .tasks] == 0)
        #expect(n[Subjects.sanitation, .tasksHandled] == 1 && n[Subjects.sanitation, .tasksHandledOnTime] == 1)
        // The case counts once, for the department that finally led it.
        #expect(n[Subjects.sanitation, .filed] == 1 && n[Subjects.municipal, .filed] == 0)
    }

    @Test("a self-handled report approved by the shift lead counts as filed, closed and a valid inspector report")
    func selfHandled() throws {
        let f = try Scenario.selfHandled()
        #expect(f.c.state == .closed && f.c.filedAt == Instants.monday(plusDays: 1, hour: 10, minute: 20))
        let facts = f.facts
        let tue = EvalDay.tuesday
        let expected: [F] = [
            F(.reported, day: tue),
            F(.inspectorReports, day: tue, userID: "u-insp"), F(.inspectorValidReports, day: tue, userID: "u-insp"),
            F(.filings, day: tue, userID: "u-lead"), F(.filingsOnTime, day: tue, userID: "u-lead"),
            F(.filingsAccurate, day: tue, userID: "u-lead"),
            // No department ever led it; no handling report, so nothing made it late.
            F(.filed, day: tue), F(.dueToClose, day: tue), F(.closed, day: tue), F(.closedOnTime, day: tue),
        ]
        #expect(facts.canonical == expected.canonical)
    }

    @Test("an operator's report, verification send and filing count as operator work; the send is timed")
    func operatorWork() throws {
        // setup: a sensor alarm waits for filing (due 09:30); the operator has it verified first.
        var f = Flow(source: .sensor, at: Scenario.at(0, 9))
        try f.apply(.sendVerify, by: Actors.op, at: Scenario.at(0, 9, 10))  // on time; verify due 10:10
        try f.apply(.verify, by: Actors.inspector, at: Scenario.at(0, 9, 40))  // on time; filing due 10:10
        try f.apply(.file, by: Actors.op, at: Scenario.at(0, 10, 30))  // late
        var g = Flow.started(source: .operator, by: Actors.op, at: Scenario.at(0, 9))

        // MUT
        let n = evaluationCounts([f, g])

        // validate
        #expect(n[Subjects.op, .verificationDispatches] == 1 && n[Subjects.op, .verificationDispatchesOnTime] == 1)
        #expect(n[Subjects.op, .operatorWork] == 3)  // the send, the filing, and registering the second report
        #expect(n[Subjects.op, .filings] == 1 && n[Subjects.op, .filingsOnTime] == 0)
        // A sensor is no public report; an operator's registration of a call is.
        #expect(n[.city, .filedFromPublic] == 0)
        try g.apply(.verify, by: Actors.inspector, at: Scenario.at(0, 9, 10))
        try g.apply(.file, by: Actors.op, at: Scenario.at(0, 9, 20))
        #expect(evaluationCounts([g])[.city, .filedFromPublic] == 1)
    }

    @Test("a report that is never filed counts as reported only")
    func neverFiled() throws {
        var f = Flow(at: Scenario.at(0, 9))
        try f.apply(.refute, by: Actors.inspector, ActionInput(comment: "现场无此问题"), at: Scenario.at(0, 9, 30))
        let expected: [F] = [
            F(.reported, day: mon), F(.verifications, day: mon, userID: "u-insp"), F(.verificationsOnTime, day: mon, userID: "u-insp"),
        ]
        #expect(f.facts.canonical == expected.canonical)
    }

    @Test("a case repeating a closed one counts as recurrent")
    func recurrent() throws {
        var f = try Scenario.onTime()
        #expect(f.facts.count(of: .recurrentCases) == 0)
        f.c.recurrenceOf = "case-0"
        #expect(f.facts.days(of: .recurrentCases) == [mon])
    }

    @Test("days follow the city's UTC offset: an event at 23:30 local counts on that local day")
    func localDays() throws {
        // setup: a report at 23:30 Monday in a UTC+8 city (15:30 UTC), verified at 00:10 Tuesday (16:10 UTC Monday).
        var f = Flow(at: Instants.monday(hour: 23, minute: 30))
        try f.apply(.verify, by: Actors.inspector, at: Instants.monday(plusDays: 1, hour: 0, minute: 10))

        // validate
        #expect(f.facts.days(of: .reported) == [mon])
        #expect(f.facts.days(of: .verifications) == [EvalDay.tuesday])
        // Counted in UTC both would be Monday.
        let utc = EvaluationFacts.derive(f.c, events: f.events, utcOffsetSeconds: 0)
        #expect(utc.days(of: .verifications) == [mon])

        // A city at UTC−5: 23:30 local Monday is 04:30 UTC Tuesday, and still counts on Monday.
        let lateEvening = Date(timeIntervalSince1970: Double(mon) * 86_400 + (23.5 + 5) * 3600)
        #expect(EvaluationFacts.day(of: lateEvening, utcOffsetSeconds: -5 * 3600) == mon)
        #expect(EvaluationFacts.day(of: lateEvening, utcOffsetSeconds: 0) == mon + 1)
        // Local midnight starts the day; the second before it is the day before.
        #expect(EvaluationFacts.day(of: Instants.mondayMidnight, utcOffsetSeconds: 8 * 3600) == mon)
        #expect(EvaluationFacts.day(of: Instants.mondayMidnight.addingTimeInterval(-1), utcOffsetSeconds: 8 * 3600) == mon - 1)
        #expect(EvaluationFacts.day(of: Date(timeIntervalSince1970: -1), utcOffsetSeconds: 0) == -1)
    }

    @Test("public reports are everything but inspectors' patrols and machines")
    func publicSources() {
        let publicSources = CaseSource.allCases.filter(EvaluationFacts.isPublic)
        #expect(Set(publicSources) == [.citizen, .hotline, .partner, .operator])
    }

    @Test("a fact counts for the city, the grid's district and street, its department and its person")
    func subjects() {
        let f = EvaluationFact(.checks, day: mon, userID: "u-insp", departmentID: "sanitation")
        #expect(f.subjects(gridCode: "410102001001001") == [
            .city, Subjects.district, Subjects.street, Subjects.sanitation, Subjects.inspector,
        ])
        // Short codes place it in what they name, never in a truncated area.
        #expect(EvaluationFact(.filed, day: mon).subjects(gridCode: "41010200") == [.city, Subjects.district])
        #expect(EvaluationFact(.filed, day: mon).subjects(gridCode: "4101") == [.city])
        #expect(EvaluationFact(.filed, day: mon).subjects(gridCode: "") == [.city])
    }

    @Test("counts sum the facts of the asked days for every subject, across cases and grids")
    func counts() throws {
        let a = try Scenario.onTime(), b = try Scenario.late()
        let other = "410103002001001"
        let facts = [(gridCode: Actors.gridCode, facts: a.facts), (gridCode: other, facts: b.facts)]

        let week = EvaluationCounts.compute(from: facts, days: EvalDay.week)
        #expect(week[.city, .closed] == 2)
        #expect(week[Subjects.district, .closed] == 1 && week[EvaluationSubject(kind: .district, id: "410103"), .closed] == 1)
        #expect(week.subjects(of: .district).map(\.id) == ["410102", "410103"])
        #expect(week.subjects(of: .street).map(\.id) == ["410102001", "410103002"])
        #expect(week.subjects(of: .user).map(\.id) == ["u-disp", "u-insp", "u-lead", "u-op"])
        #expect(week.subjects(of: .department) == [Subjects.sanitation])

        // Wednesday alone has only the late case's check, closing and rating.
        let wednesday = EvaluationCounts.compute(from: facts, days: EvalDay.wednesday...EvalDay.wednesday)
        #expect(wednesday[.city, .filed] == 0 && wednesday[.city, .checks] == 1 && wednesday[.city, .closings] == 1)
        #expect(wednesday[Subjects.district, .checks] == 0)
        #expect(wednesday.subjects(of: .district).map(\.id) == ["410103"])

        var empty = EvaluationCounts()
        #expect(empty[.city, .filed] == 0 && empty.subjects(of: .city).isEmpty)
        empty.add(.city, .filed, 2)
        empty.add(.city, .filed, 3)
        #expect(empty[.city, .filed] == 5)
    }
}
