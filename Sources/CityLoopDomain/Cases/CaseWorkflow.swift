import Foundation

/// The closed-loop workflow (闭环流程) as a pure function: given a case, an action, its input, the actor and
/// the time, it returns the changed case and the event to record, or a `DomainError` naming the current
/// state or the missing permission. It never reads a clock or a store.
public enum CaseWorkflow {
    /// One row of the transition table.
    public struct Rule: Sendable {
        /// States the action may start from.
        public let from: Set<CaseState>
        /// Roles that may take it (`system` may take every action).
        public let roles: Set<Role>
        /// The target state; nil keeps the state (or is decided by the action, e.g. resume).
        public let to: CaseState?
    }

    static let handling: Set<CaseState> = [.dispatched, .inProgress]
    static let active: Set<CaseState> = Set(CaseState.allCases.filter { !$0.isTerminal })

    /// The transition table.
    public static let rules: [CaseAction: Rule] = [
        .verify: Rule(from: [.pendingVerification], roles: [.inspector], to: .pendingFiling),
        .refute: Rule(from: [.pendingVerification], roles: [.inspector], to: .rejected),
        .file: Rule(from: [.pendingFiling], roles: [.operator, .shiftLead], to: .pendingDispatch),
        .reject: Rule(from: [.pendingFiling, .pendingVerification], roles: [.operator, .shiftLead], to: .rejected),
        .correct: Rule(from: [.pendingVerification, .pendingFiling], roles: [.operator, .shiftLead], to: nil),
        .sendVerify: Rule(from: [.pendingFiling], roles: [.operator, .shiftLead], to: .pendingVerification),
        .dispatch: Rule(from: [.pendingDispatch], roles: [.dispatcher], to: .dispatched),
        .redispatch: Rule(from: handling, roles: [.dispatcher], to: .dispatched),
        .accept: Rule(from: [.dispatched], roles: [.handler], to: .inProgress),
        .reportHandled: Rule(from: [.inProgress], roles: [.handler], to: .handled),
        .requestReturn: Rule(from: handling, roles: [.handler], to: .returnRequested),
        .approveReturn: Rule(from: [.returnRequested], roles: [.dispatcher], to: .pendingDispatch),
        .refuseReturn: Rule(from: [.returnRequested], roles: [.dispatcher], to: nil),
        .requestExtension: Rule(from: handling, roles: [.handler], to: nil),
        .approveExtension: Rule(from: handling, roles: [.dispatcher], to: nil),
        .refuseExtension: Rule(from: handling, roles: [.dispatcher], to: nil),
        .sendCheck: Rule(from: [.handled], roles: [.operator, .shiftLead], to: .pendingCheck),
        .checkPass: Rule(from: [.pendingCheck], roles: [.inspector], to: .pendingClose),
        .checkFail: Rule(from: [.pendingCheck], roles: [.inspector], to: .inProgress),
        .close: Rule(from: [.pendingClose], roles: [.shiftLead], to: .closed),
        .suspend: Rule(from: handling.union([.pendingDispatch]), roles: [.dispatcher], to: .suspended),
        .resume: Rule(from: [.suspended], roles: [.dispatcher], to: nil),
        .void: Rule(from: active, roles: [.shiftLead], to: .voided),
        .urge: Rule(from: active, roles: [.shiftLead, .leader, .dispatcher], to: nil),
        .supervise: Rule(from: active, roles: [.leader, .shiftLead], to: nil),
        .merge: Rule(from: [.pendingVerification, .pendingFiling], roles: [.operator, .shiftLead], to: .merged),
        .assistFeedback: Rule(from: handling, roles: [.handler], to: nil),
        .approveSelfHandled: Rule(from: [.selfHandled], roles: [.shiftLead], to: .closed),
        .refuseSelfHandled: Rule(from: [.selfHandled], roles: [.shiftLead], to: .pendingFiling),
        .linkReport: Rule(from: active, roles: [.operator, .shiftLead], to: nil),
        // Recorded by the platform when the alarm's device reads normal again.
        .deviceRecovered: Rule(from: active, roles: [], to: nil),
        // Recorded by the platform when a check by camera reaches its verdict (a closed case can be checked too).
        .cameraRecheck: Rule(from: active.union([.closed]), roles: [], to: nil),
        .rate: Rule(from: [.closed], roles: [.citizen, .operator], to: nil),
        .reopen: Rule(from: [.closed], roles: [.shiftLead], to: .pendingDispatch),
    ]

    /// The actions `actor` may take on the case now (for the UI's buttons).
    public static func availableActions(for c: CaseRecord, actor: Actor) -> [CaseAction] {
        CaseAction.allCases.filter { a in
            guard a != .linkReport, let r = rules[a], r.from.contains(c.state) else { return false }
            switch a {
            case .approveExtension, .refuseExtension: if c.pendingExtensionHours == nil { return false }
            case .requestExtension: if c.pendingExtensionHours != nil { return false }
            case .rate: if c.satisfaction != nil { return false }
            case .reopen: if c.satisfaction != .dissatisfied { return false }
            default: break
            }
            return (try? authorize(a, case: c, actor: actor, rule: r)) != nil
        }
    }

    static func authorize(_ action: CaseAction, case c: CaseRecord, actor: Actor, rule: Rule) throws {
        if actor.role == .system { return }
        guard rule.roles.contains(actor.role) else {
            let allowed = rule.roles.map(\.rawValue).sorted().joined(separator: ", ")
            throw DomainError(
                .forbidden, code: "action.role",
                "role \(actor.role.rawValue) may not \(action.rawValue); allowed: \(allowed)")
        }
        if actor.role == .handler {
            let own = actor.departmentID != nil && actor.departmentID == c.leadDepartmentID
            let assisting = actor.departmentID.map { c.assistingDepartmentIDs.contains($0) } ?? false
            if action == .assistFeedback ? !assisting : !own {
                throw DomainError(.forbidden, code: "case.other_department", "case \(c.number) is not your department's task")
            }
        }
        if actor.role == .inspector, !actor.covers(gridCode: c.placement.gridCode) {
            throw DomainError(
                .forbidden, code: "case.outside_grids", "case \(c.number) lies in grid \(c.placement.gridCode), outside your grids")
        }
    }

    /// Applies an action. Returns the new case (version, counters, deadlines updated; chain fields untouched)
    /// and the event to record (unsealed).
    public static func apply(
        _ action: CaseAction, to c: CaseRecord, input: ActionInput, actor: Actor, at now: Date, policy: WorkflowPolicy
    ) throws -> (CaseRecord, CaseEvent) {
        guard let rule = rules[action] else {
            throw DomainError(.invalidInput, code: "action.unknown", "\(action.rawValue) is not an action on an existing case", field: "action")
        }
        // Permission first, so a caller who may never take the action learns nothing about the case's state.
        try authorize(action, case: c, actor: actor, rule: rule)
        guard rule.from.contains(c.state) else {
            throw DomainError(
                .invalidTransition, code: "case.invalid_transition",
                "cannot \(action.rawValue) case \(c.number): it is \(c.state.rawValue) (\(c.state.chineseName))")
        }

        var n = c
        var details: [String: String] = [:]
        let cal = policy.calendar
        let completedDue = c.stepDueAt
        var to = rule.to ?? c.state

        switch action {
        case .dispatch, .redispatch:
            let decision: RoutingDecision
            if let d = input.departmentID {
                guard policy.departments.isEmpty || policy.departments.contains(d) else {
                    throw DomainError.invalid("departmentID", "department '\(d)' does not exist", code: "department.not_found")
                }
                let routed = policy.responsibilities.route(
                    matter: c.matterCode, gridCode: c.placement.gridCode, urgency: c.urgency, calendar: cal)
                let limit: Int
                if case .department(_, _, let l) = routed { limit = l } else { limit = cal.minutesPerWorkingDay }
                decision = .department(d, ruleID: "manual", limitMinutes: limit)
            } else {
                decision = policy.responsibilities.route(
                    matter: c.matterCode, gridCode: c.placement.gridCode, urgency: c.urgency, calendar: cal)
            }
            guard case .department(let dept, let ruleID, let limit) = decision else {
                throw DomainError(
                    .invalidInput, code: "case.no_owner",
                    "no responsibility rule covers matter \(c.matterCode) in grid \(c.placement.gridCode); name a departmentID",
                    field: "departmentID")
            }
            let assisting = input.assistingDepartmentIDs.filter { $0 != dept }
            for a in assisting where !policy.departments.isEmpty && !policy.departments.contains(a) {
                throw DomainError.invalid("assistingDepartmentIDs", "department '\(a)' does not exist", code: "department.not_found")
            }
            n.leadDepartmentID = dept
            n.assistingDepartmentIDs = assisting
            n.noOwner = false
            n.handlingLimitMinutes = limit
            n.handlingDueAt = cal.adding(workingMinutes: limit, to: now)
            n.pendingExtensionHours = nil
            n.returnedByDepartmentID = nil
            details["department"] = dept.rawValue
            details["rule"] = ruleID
            details["limitMinutes"] = String(limit)
            if !assisting.isEmpty { details["assisting"] = assisting.map(\.rawValue).joined(separator: ",") }
        case .reportHandled:
            guard !input.evidence.isEmpty || !(input.comment ?? "").isEmpty else {
                throw DomainError.invalid("evidence", "a handling report needs evidence or a comment")
            }
        case .requestReturn, .refute, .reject, .void, .suspend, .refuseSelfHandled, .checkFail:
            guard let comment = input.comment, !comment.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw DomainError.invalid("comment", "\(action.rawValue) needs a reason in comment")
            }
            if action == .requestReturn || action == .suspend { n.resumeState = c.state }
            if action == .checkFail {
                n.reworkCount += 1
                let limit = c.handlingLimitMinutes ?? cal.minutesPerWorkingDay
                n.handlingDueAt = cal.adding(workingMinutes: limit, to: now)
                details["rework"] = String(n.reworkCount)
            }
            if action == .suspend { n.suspendedAt = now }
        case .refuseReturn:
            to = c.resumeState ?? .dispatched
            n.resumeState = nil
        case .approveReturn:
            n.resumeState = nil
            details["fromDepartment"] = c.leadDepartmentID?.rawValue ?? ""
            n.returnedByDepartmentID = c.leadDepartmentID
            n.leadDepartmentID = nil
            n.assistingDepartmentIDs = []
            n.handlingDueAt = nil
        case .resume:
            to = c.resumeState ?? .pendingDispatch
            n.resumeState = nil
            n.suspendedAt = nil
            if let due = c.handlingDueAt, let since = c.suspendedAt {
                // The clock stops while suspended: the working time left at suspension is restored.
                let left = Int(cal.workingSeconds(from: since, to: due)) / 60
                n.handlingDueAt = cal.adding(workingMinutes: max(1, left), to: now)
            }
        case .requestExtension:
            guard let h = input.extensionHours, h > 0, h <= 24 * 30 else {
                throw DomainError.invalid("extensionHours", "extensionHours must be between 1 and 720 working hours")
            }
            guard c.pendingExtensionHours == nil else {
                throw DomainError(.conflict, code: "extension.pending", "an extension request is already pending")
            }
            n.pendingExtensionHours = h
            details["extensionHours"] = String(h)
        case .approveExtension, .refuseExtension:
            guard let h = c.pendingExtensionHours else {
                throw DomainError(.invalidTransition, code: "extension.none", "case \(c.number) has no pending extension request")
            }
            n.pendingExtensionHours = nil
            details["extensionHours"] = String(h)
            if action == .approveExtension {
                let base = c.handlingDueAt ?? now
                n.handlingDueAt = cal.adding(workingMinutes: h * 60, to: base)
                n.extensionCount += 1
                details["newDueAt"] = String(Int64(n.handlingDueAt!.timeIntervalSince1970))
            }
        case .urge:
            n.urgeCount += 1
        case .supervise:
            n.supervised = true
        case .correct:
            guard input.matterCode != nil || input.placement != nil || input.address != nil else {
                throw DomainError.invalid("matterCode", "correct needs a new matterCode, lat/lon or address")
            }
            if let m = input.matterCode, m != c.matterCode {
                details["matterCode"] = "\(c.matterCode)→\(m)"
                n.matterCode = m
            }
            if let p = input.placement, let lat = input.lat, let lon = input.lon {
                details["location"] = "\(c.point.lat),\(c.point.lon)→\(lat),\(lon)"
                if p.gridCode != c.placement.gridCode { details["grid"] = "\(c.placement.gridCode)→\(p.gridCode)" }
                n.point = GeoPoint(lat: lat, lon: lon)
                n.placement = p
            }
            if let a = input.address, a != c.address {
                details["address"] = a
                n.address = a
            }
        case .merge:
            guard let target = input.targetCaseID, target != c.id else {
                throw DomainError.invalid("targetCaseID", "merge needs the ID of another open case in targetCaseID")
            }
            n.duplicateOf = target
            details["targetCase"] = target.rawValue
        case .rate:
            guard let s = input.satisfaction else {
                throw DomainError.invalid(
                    "satisfaction", "rate needs satisfaction: satisfied, basically_satisfied or dissatisfied")
            }
            guard c.satisfaction == nil else {
                throw DomainError(.conflict, code: "case.rated", "case \(c.number) has been rated already (\(c.satisfaction!.rawValue))")
            }
            n.satisfaction = s
            details["satisfaction"] = s.rawValue
        case .reopen:
            guard c.satisfaction == .dissatisfied else {
                throw DomainError(
                    .invalidTransition, code: "case.not_dissatisfied",
                    "cannot reopen case \(c.number): only a closed case rated dissatisfied is reopened for review")
            }
            guard let comment = input.comment, !comment.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw DomainError.invalid("comment", "reopen needs a reason in comment")
            }
            details["satisfaction"] = Satisfaction.dissatisfied.rawValue
            n.satisfaction = nil
            n.closedAt = nil
            n.leadDepartmentID = nil
            n.assistingDepartmentIDs = []
            n.handlingDueAt = nil
            n.reworkCount += 1
        case .assistFeedback:
            guard !(input.comment ?? "").isEmpty || !input.evidence.isEmpty else {
                throw DomainError.invalid("comment", "assist feedback needs a comment or evidence")
            }
            details["department"] = actor.departmentID?.rawValue ?? ""
        default:
            break
        }

        n.state = to
        n.updatedAt = now
        n.version += 1
        if to.isTerminal, to != c.state { n.closedAt = now }
        if action == .file || action == .approveSelfHandled, n.filedAt == nil { n.filedAt = now }
        // Deadline of the new step: handling states run on the handling deadline, others on their step limit.
        if to != c.state || [.dispatch, .redispatch, .approveExtension, .checkFail].contains(action) {
            switch to {
            case .dispatched, .inProgress: n.stepDueAt = n.handlingDueAt
            default: n.stepDueAt = policy.steps.minutes(for: to).map { cal.adding(workingMinutes: $0, to: now) }
            }
        }
        let stepCompleted = to != c.state || action == .checkFail
        let event = CaseEvent(
            caseID: c.id, seq: c.eventCount + 1, action: action, fromState: c.state, toState: to, actor: actor, at: now,
            comment: input.comment, evidence: input.evidence, details: details,
            dueAt: stepCompleted && c.state.hasDeadline ? completedDue : nil)
        return (n, event)
    }

    /// The state a new report starts in, and the first event. Inspector and sensor reports skip verification
    /// unless `verifyFirst` asks for it; self-handled inspector reports wait for the shift lead's review.
    public static func start(
        _ c: CaseRecord, actor: Actor, selfHandled: Bool, verifyFirst: Bool = false, at now: Date, policy: WorkflowPolicy
    ) -> (CaseRecord, CaseEvent) {
        var n = c
        if selfHandled {
            n.state = .selfHandled
        } else {
            n.state = verifyFirst || c.source.needsVerification ? .pendingVerification : .pendingFiling
        }
        n.stepDueAt = policy.steps.minutes(for: n.state).map { policy.calendar.adding(workingMinutes: $0, to: now) }
        n.version = 1
        let event = CaseEvent(
            caseID: c.id, seq: 1, action: .report, fromState: nil, toState: n.state, actor: actor, at: now,
            comment: c.description, evidence: c.evidence,
            details: ["source": c.source.rawValue, "grid": c.placement.gridCode, "matter": c.matterCode]
                .merging(selfHandled ? ["selfHandled": "true"] : [:]) { a, _ in a })
        return (n, event)
    }
}
