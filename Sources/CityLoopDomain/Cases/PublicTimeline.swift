import Foundation

/// What anyone holding a report's tracking code sees (公开进度): the case's progress in plain words, in Chinese
/// and English, without names, phone numbers, internal steps or internal comments.
public struct PublicTimeline: Hashable, Codable, Sendable {
    /// One step the reporter can follow.
    public struct Step: Hashable, Codable, Sendable {
        /// When.
        public var at: Date
        /// The workflow action behind it.
        public var action: CaseAction
        /// In Chinese.
        public var textZh: String
        /// In English.
        public var textEn: String
    }

    /// The case number.
    public var caseNumber: String
    /// The current state.
    public var state: CaseState
    /// The state in Chinese.
    public var stateZh: String
    /// The state in English.
    public var stateEn: String
    /// The matter class code.
    public var matterCode: String
    /// Its name (Chinese), when the catalog knows it.
    public var matterName: String?
    /// Its English name, when known.
    public var matterNameEn: String?
    /// When reported.
    public var reportedAt: Date
    /// When ended, if it has.
    public var closedAt: Date?
    /// The reporter's rating, once given.
    public var satisfaction: Satisfaction?
    /// The steps, oldest first.
    public var steps: [Step]

    /// The public view of a case and its events; `department` names departments, `matter` the matter class.
    public init(
        case c: CaseRecord, events: [CaseEvent], matter: (zh: String, en: String?)?, department: (DepartmentID) -> (zh: String, en: String)?
    ) {
        caseNumber = c.number
        state = c.state
        stateZh = c.state.chineseName
        stateEn = c.state.englishName
        matterCode = c.matterCode
        matterName = matter?.zh
        matterNameEn = matter?.en
        reportedAt = c.createdAt
        closedAt = c.closedAt
        satisfaction = c.satisfaction
        steps = events.sorted { $0.seq < $1.seq }.compactMap { e in
            Self.words(for: e, department: department).map { Step(at: e.at, action: e.action, textZh: $0.zh, textEn: $0.en) }
        }
    }

    /// The plain words for an event, or nil for steps inside the administration (urging, extensions, returns…).
    static func words(for e: CaseEvent, department: (DepartmentID) -> (zh: String, en: String)?) -> (zh: String, en: String)? {
        let dept = e.details["department"].flatMap { department(DepartmentID($0)) } ?? ("责任部门", "the responsible department")
        // Shown to anyone holding the tracking code: phone numbers in the comment are masked.
        let reason = e.comment.map(PhoneMasking.mask).map { (zh: "（原因：\($0)）", en: " (reason: \($0))") } ?? (zh: "", en: "")
        switch e.action {
        case .report: return ("已收到您反映的问题", "Your report was received")
        case .verify: return ("监督员现场核实，问题属实", "An inspector confirmed the problem on site")
        case .refute: return ("监督员现场未发现该问题，不予立案", "An inspector found no such problem on site; not taken up")
        case .file: return ("已立案", "Accepted as a case")
        case .correct: return nil
        case .sendVerify: return ("已派监督员现场核实", "An inspector was sent to verify it on site")
        case .reject: return ("未予立案\(reason.zh)", "Not taken up\(reason.en)")
        case .dispatch, .redispatch: return ("已派遣至\(dept.zh)", "Sent to \(dept.en)")
        case .accept: return ("处置部门已接收，正在处置", "The department has started work")
        case .reportHandled: return ("处置完毕，等待现场核查", "Handled; waiting for the on-site check")
        case .checkPass: return ("现场核查通过", "Checked on site")
        case .checkFail: return ("现场核查未通过，返工处置", "The on-site check failed; the work is being redone")
        case .close, .approveSelfHandled: return ("已结案", "Closed")
        case .suspend: return ("暂缓处置", "Put on hold")
        case .resume: return ("恢复处置", "Work resumed")
        case .void: return ("已作废\(reason.zh)", "Voided\(reason.en)")
        case .merge: return ("与同一问题的其他反映合并办理", "Merged with another report of the same problem")
        case .rate:
            let s = e.details["satisfaction"].flatMap(Satisfaction.init(rawValue:))
            return ("评价：\(s?.chineseName ?? "")", "Rated: \(s?.rawValue.replacingOccurrences(of: "_", with: " ") ?? "")")
        case .reopen: return ("根据评价重新办理", "Reopened after the rating")
        case .refuseSelfHandled: return ("转入立案办理", "Passed on to be filed")
        case .requestReturn, .approveReturn, .refuseReturn, .requestExtension, .approveExtension, .refuseExtension, .sendCheck,
            .urge, .supervise, .assistFeedback, .linkReport, .deviceRecovered, .cameraRecheck:
            return nil
        }
    }
}
