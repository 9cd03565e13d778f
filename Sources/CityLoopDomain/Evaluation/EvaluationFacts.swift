import Foundation

/// Derives a case's evaluation facts from its record and whole history. A pure function of the case: when a
/// case changes, the store replaces its old facts by the new ones, so the counts never need recomputing from
/// scratch (closing one more case touches only that case's counts).
public enum EvaluationFacts {
    /// The city's offset from UTC that evaluation days follow: China Standard Time, the stores' and the
    /// periods' common day boundary.
    public static let utcOffsetSeconds = 8 * 3600

    /// The local day number of an instant in a city `utcOffsetSeconds` ahead of UTC.
    public static func day(of date: Date, utcOffsetSeconds: Int) -> Int {
        Int(((date.timeIntervalSince1970 + Double(utcOffsetSeconds)) / 86_400).rounded(.down))
    }

    /// Sources whose filed cases count as public reports (监督举报): everything but inspectors' patrols and
    /// machines (sensors, cameras).
    public static func isPublic(_ source: CaseSource) -> Bool {
        switch source {
        case .citizen, .hotline, .partner, .operator: true
        case .inspector, .sensor, .video: false
        }
    }

    /// The facts of one case; `events` in history order (seq 1 first).
    public static func derive(_ c: CaseRecord, events: [CaseEvent], utcOffsetSeconds: Int = EvaluationFacts.utcOffsetSeconds) -> [EvaluationFact] {
        var out: [EvaluationFact] = []
        func day(_ d: Date) -> Int { Self.day(of: d, utcOffsetSeconds: utcOffsetSeconds) }
        func add(_ counter: EvaluationCounter, _ e: CaseEvent, department: DepartmentID? = nil) {
            out.append(EvaluationFact(counter, day: day(e.at), userID: e.actorID, departmentID: department))
        }
        func timed(_ done: EvaluationCounter, _ onTime: EvaluationCounter, _ e: CaseEvent) {
            add(done, e)
            if e.onTime != false { add(onTime, e) }
        }
        out.append(EvaluationFact(.reported, day: day(c.createdAt)))

        let filing = events.first { $0.action == .file || $0.action == .approveSelfHandled }
        let voidedAfterFiling = filing != nil && events.contains { $0.action == .void && $0.seq > filing!.seq }
        if let report = events.first, report.action == .report {
            if report.actorRole == .inspector {
                add(.inspectorReports, report)
                if filing != nil, !voidedAfterFiling { add(.inspectorValidReports, report) }
            }
            if report.actorRole == .operator { add(.operatorWork, report) }
        }

        // A task (任务) runs from a dispatch to the department until the next dispatch, a return, a resumption or
        // a reopening; the dispatch is accurate unless the task ended by being returned or redispatched away.
        struct Task {
            var department: DepartmentID
            var day: Int
            var dispatch: Int  // index in `out` of the dispatcher's dispatch fact
            var dispatcher: UserID
            var handled = false
            var lastOnTime = true
            var reworked = false
            var extended = false
        }
        var task: Task?
        // A voided case cancels its task: the department is not charged with it, nor the dispatcher.
        func end(returned: Bool, cancelled: Bool = false) {
            guard let t = task else { return }
            task = nil
            if returned {
                out.append(EvaluationFact(.tasksReturned, day: t.day, departmentID: t.department))
                return
            }
            out.append(EvaluationFact(.dispatchesAccurate, day: out[t.dispatch].day, userID: t.dispatcher))
            if cancelled { return }
            out.append(EvaluationFact(.tasks, day: t.day, departmentID: t.department))
            if t.handled { out.append(EvaluationFact(.tasksHandled, day: t.day, departmentID: t.department)) }
            if t.handled, t.lastOnTime { out.append(EvaluationFact(.tasksHandledOnTime, day: t.day, departmentID: t.department)) }
            if t.reworked { out.append(EvaluationFact(.tasksReworked, day: t.day, departmentID: t.department)) }
            if t.extended { out.append(EvaluationFact(.tasksExtended, day: t.day, departmentID: t.department)) }
        }

        var lastHandlingOnTime: Bool?
        var anyHandledLate = false
        var reworked = false, extended = false, suspended = false
        for e in events {
            switch e.action {
            case .verify, .refute:
                timed(.verifications, .verificationsOnTime, e)
            case .checkPass, .checkFail:
                timed(.checks, .checksOnTime, e)
                if e.action == .checkFail {
                    task?.reworked = true
                    reworked = true
                }
            case .sendVerify:
                timed(.verificationDispatches, .verificationDispatchesOnTime, e)
            case .sendCheck:
                timed(.checkDispatches, .checkDispatchesOnTime, e)
            case .file, .approveSelfHandled:
                timed(.filings, .filingsOnTime, e)
                if !voidedAfterFiling { add(.filingsAccurate, e) }
            case .close:
                timed(.closings, .closingsOnTime, e)
            case .dispatch, .redispatch:
                end(returned: e.action == .redispatch)
                let dispatchFact = out.count
                timed(.dispatches, .dispatchesOnTime, e)
                if let d = e.details["department"], !d.isEmpty {
                    task = Task(department: DepartmentID(d), day: day(e.at), dispatch: dispatchFact, dispatcher: e.actorID)
                }
            case .approveReturn:
                end(returned: true)
            case .resume:
                // A resumption back to dispatch ends the task; one back to handling continues it.
                if e.toState == .pendingDispatch { end(returned: false) }
            case .reopen:
                end(returned: false)
            case .void:
                end(returned: false, cancelled: true)
            case .reportHandled:
                task?.handled = true
                task?.lastOnTime = e.onTime != false
                lastHandlingOnTime = e.onTime != false
                if e.onTime == false { anyHandledLate = true }
            case .approveExtension:
                task?.extended = true
                extended = true
            case .suspend:
                suspended = true
            case .rate:
                let dept = c.leadDepartmentID
                out.append(EvaluationFact(.ratings, day: day(e.at), departmentID: dept))
                if e.details["satisfaction"] != Satisfaction.dissatisfied.rawValue {
                    out.append(EvaluationFact(.ratingsSatisfied, day: day(e.at), departmentID: dept))
                }
            default:
                break
            }
            if e.actorRole == .operator, [.correct, .reject, .merge, .file, .sendVerify, .sendCheck].contains(e.action) {
                add(.operatorWork, e)
            }
        }
        end(returned: false)

        if let filedAt = c.filedAt {
            let d = day(filedAt)
            let dept = c.leadDepartmentID
            func fact(_ counter: EvaluationCounter) { out.append(EvaluationFact(counter, day: d, departmentID: dept)) }
            fact(.filed)
            if c.state != .voided, c.state != .merged { fact(.dueToClose) }
            if c.state == .closed {
                fact(.closed)
                if lastHandlingOnTime ?? true { fact(.closedOnTime) }
            }
            if isPublic(c.source) { fact(.filedFromPublic) }
            if reworked { fact(.reworkedCases) }
            if extended { fact(.extendedCases) }
            if suspended { fact(.suspendedCases) }
            if c.state == .voided { fact(.voidedCases) }
            if anyHandledLate { fact(.overdueCases) }
            if c.recurrenceOf != nil { fact(.recurrentCases) }
        }
        return out
    }
}
