import Foundation

/// Something a reporter is told about their report (告知): which case, what happened, in Chinese and English.
public struct ReporterNotice: Hashable, Codable, Sendable {
    /// What happened.
    public enum Kind: String, Codable, Sendable {
        /// The reporter's case was merged into another case about the same problem (合并).
        case mergedInto = "merged_into"
        /// Another report of the same problem was merged into the reporter's case.
        case reportLinked = "report_linked"
        /// The report was accepted as a case (立案).
        case filed
        /// The case was sent to the department that handles it (派遣).
        case dispatched
        /// The problem was handled and checked on site; the case is closed (结案).
        case closed
        /// The report was not taken up (不予立案, 核实不属实, 作废), with the reason given.
        case notAccepted = "not_accepted"
        /// After a dissatisfied rating, the case is handled again (重新办理).
        case reopened
        /// For the sender of a work order (the 12345 hotline, another bureau): the case's state changed (状态回传).
        case statusChanged = "status_changed"
    }

    /// A stable identifier (`case ID:event number:recipient`): receivers drop a notice delivered twice by it.
    public var id: String
    /// What happened.
    public var kind: Kind
    /// The case the reporter now follows.
    public var caseID: CaseID
    /// Its number, as the reporter would quote it.
    public var caseNumber: String
    /// Who is told (their account and contact details).
    public var recipient: Reporter
    /// The message in Chinese.
    public var textZh: String
    /// The message in English.
    public var textEn: String
    /// When.
    public var at: Date
    /// The case's state after the change, in status callbacks to senders of work orders.
    public var state: CaseState?
    /// The comment given with the change (a reason, the handling result), in status callbacks.
    public var comment: String?

    /// Creates a notice.
    public init(
        id: String, kind: Kind, caseID: CaseID, caseNumber: String, recipient: Reporter, textZh: String, textEn: String, at: Date,
        state: CaseState? = nil, comment: String? = nil
    ) {
        self.state = state
        self.comment = comment
        self.id = id
        self.kind = kind
        self.caseID = caseID
        self.caseNumber = caseNumber
        self.recipient = recipient
        self.textZh = textZh
        self.textEn = textEn
        self.at = at
    }

    /// What the public reporters of a case (citizens and hotline callers, 市民与热线来电人) are told after an
    /// action: filing, dispatch, closing, or not being taken up. Staff and machine reports are not told; other
    /// actions tell nothing. `department` names a department for the message.
    public static func progress(
        of c: CaseRecord, after action: CaseAction, comment: String?, department: (DepartmentID) -> (zh: String, en: String)?, at: Date
    ) -> [ReporterNotice] {
        let number = c.number
        let dept = c.leadDepartmentID.flatMap(department)
        let reason = comment.map { (zh: "（原因：\($0)）", en: " (reason: \($0))") } ?? (zh: "", en: "")
        let message: (Kind, String, String)
        switch (action, c.state) {
        case (.file, .dispatched), (.dispatch, .dispatched), (.redispatch, .dispatched), (.approveReturn, .dispatched):
            let (zh, en) = dept ?? ("责任部门", "the responsible department")
            message =
                action == .file
                ? (.dispatched, "您反映的问题已立案（案卷 \(number)），并派遣至\(zh)处置。",
                   "Your report has been accepted as case \(number) and sent to \(en) to be handled.")
                : (.dispatched, "您反映的问题（案卷 \(number)）已派遣至\(zh)处置。",
                   "Your report (case \(number)) has been sent to \(en) to be handled.")
        case (.file, _):
            message = (.filed, "您反映的问题已立案，案卷编号 \(number)。", "Your report has been accepted as case \(number).")
        case (.close, .closed):
            message = (
                .closed, "您反映的问题（案卷 \(number)）已处置完毕，经现场核查后结案。感谢您的参与。",
                "The problem you reported (case \(number)) has been dealt with, checked on site and closed. Thank you.")
        case (.reopen, _):
            message = (
                .reopened, "您对案卷 \(number) 的不满意评价已受理，该案卷将重新派遣办理\(reason.zh)。",
                "Your dissatisfied rating of case \(number) has been taken up; the case will be handled again\(reason.en).")
        case (.reject, _), (.refute, _), (.void, _):
            message = (
                .notAccepted, "您反映的问题（案卷 \(number)）未予立案\(reason.zh)。",
                "Your report (case \(number)) was not taken up\(reason.en).")
        default:
            return []
        }
        var told = Set<String>()
        return c.reporters.filter { r in
            (r.source == .citizen || r.source == .hotline) && r.callbackURL == nil && r.isReachable
                && told.insert("\(r.userID?.rawValue ?? "")|\(r.phone ?? "")|\(r.email ?? "")").inserted
        }.enumerated().map { i, r in
            ReporterNotice(
                id: "\(c.id.rawValue):\(c.eventCount):\(i)", kind: message.0, caseID: c.id, caseNumber: number, recipient: r,
                textZh: message.1, textEn: message.2, at: at)
        }
    }

    /// The status callbacks to the senders of work orders linked to a case (reporters with a callback URL), after
    /// an action: one for every change of state, with the state, the plain words for it and the action's comment
    /// (a reason, or the handling result at closing).
    public static func callbacks(
        of c: CaseRecord, from previous: CaseState, comment: String?, department: (DepartmentID) -> (zh: String, en: String)?, at: Date
    ) -> [ReporterNotice] {
        guard c.state != previous else { return [] }
        let words = c.state.plainStatus(department: c.leadDepartmentID.flatMap(department))
        var told = Set<String>()
        return c.reporters.filter { r in r.callbackURL != nil && told.insert("\(r.callbackURL ?? "")|\(r.ticket ?? "")").inserted }
            .enumerated().map { i, r in
                ReporterNotice(
                    id: "\(c.id.rawValue):\(c.eventCount):cb\(i)", kind: .statusChanged, caseID: c.id, caseNumber: c.number, recipient: r,
                    textZh: "工单 \(r.ticket ?? "")（案卷 \(c.number)）：\(words.zh)", textEn: "Ticket \(r.ticket ?? "") (case \(c.number)): \(words.en)",
                    at: at, state: c.state, comment: comment)
            }
    }

    /// The notices of a merge: the merged case's reporters learn which case now carries their report, and the
    /// target's earlier reporters learn that another report joined theirs. Reporters without an account or a
    /// phone cannot be reached and get none; a person on both sides is told once, as a merged reporter.
    public static func merge(of merged: CaseRecord, into target: CaseRecord, at: Date) -> [ReporterNotice] {
        var told = Set<String>()
        func reachable(_ r: Reporter) -> Bool {
            // Senders of work orders hear of the merge through their status callback.
            guard r.isReachable, r.callbackURL == nil else { return false }
            return told.insert("\(r.userID?.rawValue ?? "")|\(r.phone ?? "")|\(r.email ?? "")").inserted
        }
        var out: [ReporterNotice] = []
        for r in merged.reporters where reachable(r) {
            out.append(ReporterNotice(
                id: "\(target.id.rawValue):\(target.eventCount):\(out.count)", kind: .mergedInto, caseID: target.id, caseNumber: target.number, recipient: r,
                textZh: "您反映的问题（案卷 \(merged.number)）与案卷 \(target.number) 是同一问题，已合并办理，后续进展请查看案卷 \(target.number)。",
                textEn: "Your report (case \(merged.number)) is about the same problem as case \(target.number) and has been merged into it; follow case \(target.number) for progress.",
                at: at))
        }
        for r in target.reporters where !merged.reporters.contains(r) && reachable(r) {
            out.append(ReporterNotice(
                id: "\(target.id.rawValue):\(target.eventCount):\(out.count)", kind: .reportLinked, caseID: target.id, caseNumber: target.number, recipient: r,
                textZh: "另一位市民反映的同一问题（案卷 \(merged.number)）已并入您的案卷 \(target.number)。",
                textEn: "Another report of the same problem (case \(merged.number)) has been merged into your case \(target.number).",
                at: at))
        }
        return out
    }
}

extension Reporter {
    /// Whether the reporter can be told anything: an account, a phone number, an email address or a callback.
    public var isReachable: Bool { userID != nil || phone != nil || email != nil || callbackURL != nil }
}
