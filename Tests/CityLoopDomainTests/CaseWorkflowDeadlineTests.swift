import CityLoopDomain
import Foundation
import Testing

@Suite("CaseWorkflow: rework, extensions, suspension and returns")
struct CaseWorkflowDeadlineTests {
    let cal = WorkingCalendar()
    /// Handling due 480 working minutes after the 09:30 dispatch.
    let originalDue = Instants.monday(plusDays: 1, hour: 9, minute: 30)

    @Test("a failed check sends the case back for rework with a new handling deadline")
    func rework() throws {
        var f = try Flow.inProgress()
        try f.apply(.reportHandled, by: Actors.handler, ActionInput(comment: "已清运"), at: Instants.monday(hour: 10))
        try f.apply(.sendCheck, by: Actors.op, at: Instants.monday(hour: 10, minute: 10))
        let noReason = f.error(.checkFail, by: Actors.inspector, at: Instants.monday(hour: 15))
        #expect(noReason?.code == "invalid.comment")
        let event = try f.apply(.checkFail, by: Actors.inspector, ActionInput(comment: "仍有垃圾"), at: Instants.monday(hour: 15))
        #expect(f.c.state == .inProgress)
        #expect(f.c.reworkCount == 1)
        #expect(f.c.handlingDueAt == Instants.monday(plusDays: 1, hour: 15))
        #expect(f.c.stepDueAt == f.c.handlingDueAt)
        #expect(event.details["rework"] == "1")
        #expect(event.fromState == .pendingCheck && event.toState == .inProgress)
        // A second round counts again.
        try f.apply(.reportHandled, by: Actors.handler, ActionInput(comment: "再次清运"), at: Instants.monday(hour: 16))
        try f.apply(.sendCheck, by: Actors.op, at: Instants.monday(hour: 16, minute: 10))
        try f.apply(.checkFail, by: Actors.inspector, ActionInput(comment: "仍未处理"), at: Instants.monday(hour: 17))
        #expect(f.c.reworkCount == 2)
    }

    @Test("an approved extension moves the handling deadline and counts")
    func approveExtension() throws {
        var f = try Flow.inProgress()
        #expect(f.c.handlingDueAt == originalDue)
        let request = try f.apply(.requestExtension, by: Actors.handler, ActionInput(extensionHours: 8), at: Instants.monday(hour: 11))
        #expect(f.c.pendingExtensionHours == 8 && f.c.state == .inProgress)
        #expect(request.details["extensionHours"] == "8")
        let twice = f.error(.requestExtension, by: Actors.handler, ActionInput(extensionHours: 2), at: Instants.monday(hour: 11))
        #expect(twice?.kind == .conflict && twice?.code == "extension.pending")
        #expect(f.error(.approveExtension, by: Actors.handler, at: Instants.monday(hour: 11))?.kind == .forbidden)
        try f.apply(.approveExtension, by: Actors.dispatcher, at: Instants.monday(hour: 11, minute: 30))
        #expect(f.c.handlingDueAt == Instants.monday(plusDays: 2, hour: 9, minute: 30))
        #expect(f.c.stepDueAt == f.c.handlingDueAt)
        #expect(f.c.extensionCount == 1)
        #expect(f.c.pendingExtensionHours == nil)
    }

    @Test("a refused extension leaves the deadline")
    func refuseExtension() throws {
        var f = try Flow.inProgress()
        try f.apply(.requestExtension, by: Actors.handler, ActionInput(extensionHours: 8), at: Instants.monday(hour: 11))
        try f.apply(.refuseExtension, by: Actors.dispatcher, at: Instants.monday(hour: 11, minute: 30))
        #expect(f.c.handlingDueAt == originalDue)
        #expect(f.c.stepDueAt == originalDue)
        #expect(f.c.extensionCount == 0)
        #expect(f.c.pendingExtensionHours == nil)
        // Nothing pending any more: deciding again is not a valid step.
        let e = f.error(.approveExtension, by: Actors.dispatcher, at: Instants.monday(hour: 12))
        #expect(e?.kind == .invalidTransition && e?.code == "extension.none")
    }

    @Test("extension requests must ask for 1 to 720 working hours", arguments: [nil, 0, -1, 721])
    func extensionBounds(hours: Int?) throws {
        let f = try Flow.inProgress()
        let e = f.error(.requestExtension, by: Actors.handler, ActionInput(extensionHours: hours), at: Instants.monday(hour: 11))
        #expect(e?.kind == .invalidInput && e?.field == "extensionHours")
    }

    @Test("suspension stops the clock: resuming restores the working time that was left")
    func suspendResume() throws {
        var f = try Flow.inProgress()
        let noReason = f.error(.suspend, by: Actors.dispatcher, at: Instants.monday(hour: 14))
        #expect(noReason?.code == "invalid.comment")
        #expect(f.error(.suspend, by: Actors.handler, ActionInput(comment: "x"), at: Instants.monday(hour: 14))?.kind == .forbidden)
        try f.apply(.suspend, by: Actors.dispatcher, ActionInput(comment: "列入改造计划"), at: Instants.monday(hour: 14))
        #expect(f.c.state == .suspended)
        #expect(f.c.suspendedAt == Instants.monday(hour: 14))
        #expect(f.c.resumeState == .inProgress)
        // No deadline runs while suspended.
        #expect(!f.c.isOverdue(at: Instants.monday(plusDays: 20, hour: 10)))
        // Left at suspension: Monday 14:00–18:00 and Tuesday 08:30–09:30, five working hours.
        #expect(cal.workingSeconds(from: Instants.monday(hour: 14), to: originalDue) == 5 * 3600)
        try f.apply(.resume, by: Actors.dispatcher, ActionInput(comment: "恢复"), at: Instants.monday(plusDays: 3, hour: 10))
        #expect(f.c.state == .inProgress)
        #expect(f.c.suspendedAt == nil && f.c.resumeState == nil)
        // Thursday 10:00 + 5 working hours = Thursday 16:30.
        #expect(f.c.handlingDueAt == Instants.monday(plusDays: 3, hour: 16, minute: 30))
        #expect(f.c.stepDueAt == f.c.handlingDueAt)
    }

    @Test("a case suspended before dispatch resumes waiting for dispatch")
    func suspendBeforeDispatch() throws {
        var f = Flow(source: .inspector)
        try f.apply(.file, by: Actors.shiftLead, at: Instants.monday(hour: 9, minute: 20))
        try f.apply(.suspend, by: Actors.dispatcher, ActionInput(comment: "待规划"), at: Instants.monday(hour: 9, minute: 30))
        try f.apply(.resume, by: Actors.dispatcher, at: Instants.monday(plusDays: 1, hour: 9))
        #expect(f.c.state == .pendingDispatch)
        #expect(f.c.handlingDueAt == nil)
        #expect(f.c.stepDueAt == Instants.monday(plusDays: 1, hour: 9, minute: 30))
    }

    @Test("an approved return goes back to dispatch without a department")
    func approveReturn() throws {
        var f = Flow(source: .inspector)
        try f.apply(.file, by: Actors.shiftLead, at: Instants.monday(hour: 9, minute: 20))
        try f.apply(.dispatch, by: Actors.dispatcher, at: Instants.monday(hour: 9, minute: 30))
        #expect(f.error(.requestReturn, by: Actors.handler, at: Instants.monday(hour: 10))?.code == "invalid.comment")
        try f.apply(.requestReturn, by: Actors.handler, ActionInput(comment: "非本部门职责"), at: Instants.monday(hour: 10))
        #expect(f.c.state == .returnRequested && f.c.resumeState == .dispatched)
        let event = try f.apply(.approveReturn, by: Actors.dispatcher, at: Instants.monday(hour: 10, minute: 15))
        #expect(f.c.state == .pendingDispatch)
        #expect(f.c.leadDepartmentID == nil && f.c.handlingDueAt == nil && f.c.resumeState == nil)
        #expect(event.details["fromDepartment"] == "sanitation")
        #expect(f.c.stepDueAt == Instants.monday(hour: 10, minute: 45))
        try f.apply(.dispatch, by: Actors.dispatcher, ActionInput(departmentID: "municipal"), at: Instants.monday(hour: 10, minute: 30))
        #expect(f.c.leadDepartmentID == "municipal")
        #expect(f.error(.accept, by: Actors.handler, at: Instants.monday(hour: 11))?.code == "case.other_department")
    }

    @Test("a refused return goes back to where the handler was")
    func refuseReturn() throws {
        var f = try Flow.inProgress()
        try f.apply(.requestReturn, by: Actors.handler, ActionInput(comment: "非本部门职责"), at: Instants.monday(hour: 10))
        try f.apply(.refuseReturn, by: Actors.dispatcher, ActionInput(comment: "属于本部门"), at: Instants.monday(hour: 10, minute: 15))
        #expect(f.c.state == .inProgress)
        #expect(f.c.leadDepartmentID == "sanitation")
        #expect(f.c.handlingDueAt == originalDue)
        #expect(f.c.stepDueAt == originalDue)
    }

    @Test("redispatch resets the handling deadline and department")
    func redispatch() throws {
        var f = try Flow.inProgress()
        try f.apply(.redispatch, by: Actors.dispatcher, ActionInput(departmentID: "municipal"), at: Instants.monday(hour: 14))
        #expect(f.c.state == .dispatched && f.c.leadDepartmentID == "municipal")
        #expect(f.c.handlingDueAt == Instants.monday(plusDays: 1, hour: 14))
    }

    @Test("an overdue case is reported overdue only after its step deadline")
    func overdue() throws {
        let f = try Flow.inProgress()
        #expect(!f.c.isOverdue(at: originalDue))
        #expect(f.c.isOverdue(at: originalDue.addingTimeInterval(1)))
    }
}
