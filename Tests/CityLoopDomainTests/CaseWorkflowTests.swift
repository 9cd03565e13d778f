import CityLoopDomain
import Foundation
import Testing

@Suite("CaseWorkflow: the closed loop, roles and events")
struct CaseWorkflowTests {
    let cal = WorkingCalendar()

    @Test("a citizen report runs the whole loop with the roles of the standard")
    func happyPath() throws {
        var f = Flow()
        #expect(f.c.state == .pendingVerification)
        #expect(f.c.stepDueAt == Instants.monday(hour: 10))  // verify: 60 working minutes
        try f.apply(.verify, by: Actors.inspector, at: Instants.monday(hour: 9, minute: 10))
        #expect(f.c.state == .pendingFiling)
        try f.apply(.file, by: Actors.shiftLead, at: Instants.monday(hour: 9, minute: 20))
        #expect(f.c.state == .pendingDispatch)
        let dispatch = try f.apply(.dispatch, by: Actors.dispatcher, at: Instants.monday(hour: 9, minute: 30))
        #expect(f.c.state == .dispatched)
        #expect(f.c.leadDepartmentID == "sanitation")
        #expect(f.c.handlingLimitMinutes == 480)
        #expect(f.c.handlingDueAt == Instants.monday(plusDays: 1, hour: 9, minute: 30))
        #expect(f.c.stepDueAt == f.c.handlingDueAt)
        #expect(dispatch.details["department"] == "sanitation" && dispatch.details["rule"] == "appearance")
        try f.apply(.accept, by: Actors.handler, at: Instants.monday(hour: 9, minute: 40))
        #expect(f.c.state == .inProgress)

        let noEvidence = f.error(.reportHandled, by: Actors.handler, at: Instants.monday(hour: 11))
        #expect(noEvidence?.kind == .invalidInput && noEvidence?.field == "evidence")
        try f.apply(.reportHandled, by: Actors.handler, ActionInput(evidence: ["media-1"]), at: Instants.monday(hour: 11))
        #expect(f.c.state == .handled)
        try f.apply(.sendCheck, by: Actors.op, at: Instants.monday(hour: 11, minute: 10))
        #expect(f.c.state == .pendingCheck)
        try f.apply(.checkPass, by: Actors.inspector, at: Instants.monday(hour: 11, minute: 40))
        #expect(f.c.state == .pendingClose)
        try f.apply(.close, by: Actors.shiftLead, at: Instants.monday(hour: 11, minute: 50))
        #expect(f.c.state == .closed)
        #expect(f.c.closedAt == Instants.monday(hour: 11, minute: 50))
        #expect(f.c.version == 9)
        #expect(f.events.map(\.action) == [.report, .verify, .file, .dispatch, .accept, .reportHandled, .sendCheck, .checkPass, .close])
        for actor in [Actors.inspector, Actors.shiftLead, Actors.dispatcher, Actors.handler, Actors.leader] {
            #expect(CaseWorkflow.availableActions(for: f.c, actor: actor).isEmpty)
        }
        // Closed, it waits only for the reporter's rating (the citizen, or an operator on a call-back).
        #expect(CaseWorkflow.availableActions(for: f.c, actor: Actors.citizen) == [.rate])
        #expect(CaseWorkflow.availableActions(for: f.c, actor: Actors.op) == [.rate])
    }

    @Test("a dissatisfied rating lets the shift lead reopen the case for review; other ratings close the loop")
    func ratingAndReopen() throws {
        var f = Flow(source: .citizen, at: Instants.monday0900)
        for (action, actor) in [
            (CaseAction.verify, Actors.inspector), (.file, Actors.shiftLead), (.dispatch, Actors.dispatcher), (.accept, Actors.handler),
        ] {
            try f.apply(action, by: actor, at: Instants.monday(hour: 9, minute: 30))
        }
        try f.apply(.reportHandled, by: Actors.handler, ActionInput(comment: "已清理"), at: Instants.monday(hour: 10))
        for (action, actor) in [(CaseAction.sendCheck, Actors.op), (.checkPass, Actors.inspector), (.close, Actors.shiftLead)] {
            try f.apply(action, by: actor, at: Instants.monday(hour: 10, minute: 30))
        }
        let closedAt = try #require(f.c.closedAt)
        #expect(f.error(.rate, by: Actors.citizen, at: Instants.monday(hour: 11))?.field == "satisfaction")
        #expect(f.error(.reopen, by: Actors.shiftLead, ActionInput(comment: "复核"), at: Instants.monday(hour: 11))?.code == "case.not_dissatisfied")
        try f.apply(.rate, by: Actors.citizen, ActionInput(comment: "还有残留", satisfaction: .dissatisfied), at: Instants.monday(hour: 11))
        #expect(f.c.state == .closed && f.c.satisfaction == .dissatisfied && f.c.closedAt == closedAt)
        #expect(f.events.last?.details["satisfaction"] == "dissatisfied")
        let again = try? CaseWorkflow.apply(
            .rate, to: f.c, input: ActionInput(satisfaction: .satisfied), actor: Actors.citizen, at: Instants.monday(hour: 12), policy: Flow.policy)
        #expect(again == nil, "a case is rated once")
        #expect(CaseWorkflow.availableActions(for: f.c, actor: Actors.shiftLead) == [.reopen])
        #expect(f.error(.reopen, by: Actors.shiftLead, at: Instants.monday(hour: 12))?.field == "comment")
        try f.apply(.reopen, by: Actors.shiftLead, ActionInput(comment: "市民不满意，重新派遣"), at: Instants.monday(hour: 12))
        #expect(f.c.state == .pendingDispatch && f.c.satisfaction == nil && f.c.closedAt == nil && f.c.leadDepartmentID == nil)
        #expect(f.c.stepDueAt != nil)
        // A satisfied rating leaves nothing to reopen.
        var g = f
        g.c.state = .closed
        try g.apply(.rate, by: Actors.citizen, ActionInput(satisfaction: .satisfied), at: Instants.monday(hour: 13))
        #expect(CaseWorkflow.availableActions(for: g.c, actor: Actors.shiftLead).isEmpty)
    }

    @Test("an operator may file; a comment alone is enough for a handling report")
    func operatorFilesAndCommentReport() throws {
        var f = Flow()
        try f.apply(.verify, by: Actors.inspector, at: Instants.monday(hour: 9, minute: 10))
        try f.apply(.file, by: Actors.op, at: Instants.monday(hour: 9, minute: 20))
        try f.apply(.dispatch, by: Actors.dispatcher, at: Instants.monday(hour: 9, minute: 30))
        try f.apply(.accept, by: Actors.handler, at: Instants.monday(hour: 9, minute: 40))
        try f.apply(.reportHandled, by: Actors.handler, ActionInput(comment: "已清运"), at: Instants.monday(hour: 10))
        #expect(f.c.state == .handled)
    }

    @Test("inspector reports skip verification; self-handled reports wait for the shift lead")
    func startStates() {
        #expect(Flow(source: .inspector).c.state == .pendingFiling)
        #expect(Flow(source: .hotline).c.state == .pendingVerification)
        let report = Flow().events[0]
        #expect(report.seq == 1 && report.action == .report && report.fromState == nil && report.onTime == nil)
        #expect(report.details["grid"] == Actors.gridCode && report.details["matter"] == "06010")
    }

    @Test("events carry seq, from and to states, and whether each step met its deadline")
    func events() throws {
        var f = Flow()
        let onTime = try f.apply(.verify, by: Actors.inspector, at: Instants.monday(hour: 9, minute: 59))
        #expect(onTime.onTime == true && onTime.dueAt == Instants.monday(hour: 10))
        // Filing is due 30 working minutes after verification; 10:30 is late.
        let late = try f.apply(.file, by: Actors.shiftLead, at: Instants.monday(hour: 10, minute: 30))
        #expect(late.onTime == false && late.dueAt == Instants.monday(hour: 10, minute: 29))
        try f.apply(.urge, by: Actors.leader, at: Instants.monday(hour: 10, minute: 35))
        #expect(f.events.map(\.seq) == [1, 2, 3, 4])
        for (prev, next) in zip(f.events, f.events.dropFirst()) { #expect(next.fromState == prev.toState) }
        #expect(f.events[3].fromState == .pendingDispatch && f.events[3].toState == .pendingDispatch)
        #expect(f.events[3].onTime == nil)  // urging completes no step
        #expect(f.c.urgeCount == 1)
        #expect(f.events.allSatisfy { $0.caseID == "case-1" })
        #expect(late.actorID == "u-lead" && late.actorRole == .shiftLead)
    }

    @Test("a role not allowed to act is forbidden")
    func wrongRole() {
        var f = Flow()
        let e = f.error(.verify, by: Actors.citizen, at: Instants.monday(hour: 9, minute: 5))
        #expect(e?.kind == .forbidden && e?.code == "action.role")
        #expect(e?.message.contains("allowed: inspector") == true)
        f.c.state = .pendingDispatch
        let d = f.error(.dispatch, by: Actors.op, at: Instants.monday(hour: 9, minute: 5))
        #expect(d?.kind == .forbidden && d?.message.contains("allowed: dispatcher") == true)
        #expect(f.error(.dispatch, by: .system, at: Instants.monday(hour: 9, minute: 5)) == nil)
    }

    @Test("a handler of another department may not take the task")
    func otherDepartment() throws {
        var f = Flow()
        try f.apply(.verify, by: Actors.inspector, at: Instants.monday(hour: 9, minute: 10))
        try f.apply(.file, by: Actors.shiftLead, at: Instants.monday(hour: 9, minute: 20))
        try f.apply(.dispatch, by: Actors.dispatcher, ActionInput(assistingDepartmentIDs: ["municipal"]), at: Instants.monday(hour: 9, minute: 30))
        let e = f.error(.accept, by: Actors.otherHandler, at: Instants.monday(hour: 9, minute: 40))
        #expect(e?.kind == .forbidden && e?.code == "case.other_department")
        // The assisting department may give its feedback, the lead department may not use that action.
        #expect(f.error(.assistFeedback, by: Actors.otherHandler, ActionInput(comment: "已配合"), at: Instants.monday(hour: 9, minute: 40)) == nil)
        #expect(f.error(.assistFeedback, by: Actors.handler, ActionInput(comment: "x"), at: Instants.monday(hour: 9, minute: 40))?.code == "case.other_department")
        let noDept = Actor(userID: "u-x", name: "x", role: .handler)
        #expect(f.error(.accept, by: noDept, at: Instants.monday(hour: 9, minute: 40))?.code == "case.other_department")
    }

    @Test("an inspector may not act outside their grids")
    func outsideGrids() {
        let f = Flow()
        let e = f.error(.verify, by: Actors.foreignInspector, at: Instants.monday(hour: 9, minute: 10))
        #expect(e?.kind == .forbidden && e?.code == "case.outside_grids")
        #expect(e?.message.contains(Actors.gridCode) == true)
        #expect(CaseWorkflow.availableActions(for: f.c, actor: Actors.foreignInspector).isEmpty)
    }

    @Test("an illegal transition names the current state")
    func illegalTransition() throws {
        let f = Flow()
        let e = try #require(f.error(.close, by: Actors.shiftLead, at: Instants.monday(hour: 9, minute: 10)))
        #expect(e.kind == .invalidTransition && e.code == "case.invalid_transition")
        #expect(e.message.contains("pending_verification") && e.message.contains("待核实"))
        let report = try #require(f.error(.report, by: Actors.shiftLead, at: Instants.monday(hour: 9, minute: 10)))
        #expect(report.kind == .invalidInput)
    }

    @Test("availableActions lists what each actor can do now")
    func availableActions() throws {
        var f = Flow()
        #expect(CaseWorkflow.availableActions(for: f.c, actor: Actors.inspector) == [.verify, .refute])
        #expect(CaseWorkflow.availableActions(for: f.c, actor: Actors.op) == [.reject, .correct, .merge])
        #expect(CaseWorkflow.availableActions(for: f.c, actor: Actors.shiftLead) == [.reject, .correct, .void, .urge, .supervise, .merge])
        #expect(CaseWorkflow.availableActions(for: f.c, actor: Actors.leader) == [.urge, .supervise])
        #expect(CaseWorkflow.availableActions(for: f.c, actor: Actors.citizen).isEmpty)
        try f.apply(.verify, by: Actors.inspector, at: Instants.monday(hour: 9, minute: 10))
        try f.apply(.file, by: Actors.shiftLead, at: Instants.monday(hour: 9, minute: 20))
        try f.apply(.dispatch, by: Actors.dispatcher, at: Instants.monday(hour: 9, minute: 30))
        #expect(CaseWorkflow.availableActions(for: f.c, actor: Actors.handler) == [.accept, .requestReturn, .requestExtension])
        #expect(CaseWorkflow.availableActions(for: f.c, actor: Actors.otherHandler).isEmpty)
        #expect(CaseWorkflow.availableActions(for: f.c, actor: Actors.inspector).isEmpty)
    }

    @Test("availableActions offers deciding an extension only while one is pending")
    func availableExtensionDecisions() throws {
        var f = try Flow.inProgress()
        #expect(CaseWorkflow.availableActions(for: f.c, actor: Actors.dispatcher) == [.redispatch, .suspend, .urge])
        try f.apply(.requestExtension, by: Actors.handler, ActionInput(extensionHours: 4), at: Instants.monday(hour: 10))
        let actions = CaseWorkflow.availableActions(for: f.c, actor: Actors.dispatcher)
        #expect(actions.contains(.approveExtension) && actions.contains(.refuseExtension))
    }

    @Test("dispatch with no responsible rule needs a named department")
    func noOwnerDispatch() throws {
        var f = Flow(source: .inspector)
        f.policy.responsibilities = .empty
        try f.apply(.file, by: Actors.shiftLead, at: Instants.monday(hour: 9, minute: 20))
        let e = f.error(.dispatch, by: Actors.dispatcher, at: Instants.monday(hour: 9, minute: 30))
        #expect(e?.code == "case.no_owner" && e?.field == "departmentID")
        let ghost = f.error(.dispatch, by: Actors.dispatcher, ActionInput(departmentID: "ghost"), at: Instants.monday(hour: 9, minute: 30))
        #expect(ghost?.code == "department.not_found")
        let event = try f.apply(.dispatch, by: Actors.dispatcher, ActionInput(departmentID: "municipal"), at: Instants.monday(hour: 9, minute: 30))
        #expect(f.c.leadDepartmentID == "municipal" && event.details["rule"] == "manual")
        #expect(f.c.handlingLimitMinutes == cal.minutesPerWorkingDay)
    }

    @Test("void needs a reason and ends the loop")
    func void() throws {
        var f = try Flow.inProgress()
        for comment in [nil, "", "   "] {
            let e = f.error(.void, by: Actors.shiftLead, ActionInput(comment: comment), at: Instants.monday(hour: 10))
            #expect(e?.kind == .invalidInput && e?.code == "invalid.comment")
        }
        try f.apply(.void, by: Actors.shiftLead, ActionInput(comment: "重复立案"), at: Instants.monday(hour: 10))
        #expect(f.c.state == .voided && f.c.closedAt == Instants.monday(hour: 10))
        #expect(!f.c.isOverdue(at: Instants.monday(plusDays: 30, hour: 10)))
        #expect(f.error(.urge, by: Actors.leader, at: Instants.monday(hour: 11))?.kind == .invalidTransition)
    }
}
