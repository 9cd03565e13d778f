import Foundation

/// A step a person (or the platform) takes on a case. Each has its allowed states, roles and target state
/// in `CaseWorkflow`.
public enum CaseAction: String, Codable, Sendable, CaseIterable {
    /// 核实: the inspector confirms a public report on site.
    case verify
    /// 核实不属实: the inspector finds no such problem.
    case refute
    /// 立案
    case file
    /// 不予立案
    case reject
    /// 更正: an operator corrects the matter class, the location or the address of a report before filing it.
    case correct
    /// 派发核实: an operator sends a report (e.g. a hotline call) to the grid's inspector to confirm on site first.
    case sendVerify = "send_verify"
    /// 派遣 (manual; automatic dispatch is the same action by the platform).
    case dispatch
    /// 改派: send to another department.
    case redispatch
    /// 接收: the department accepts the task.
    case accept
    /// 处置反馈: the department reports the result with evidence.
    case reportHandled = "report_handled"
    /// 申请回退: the department says the dispatch was wrong.
    case requestReturn = "request_return"
    /// 同意回退
    case approveReturn = "approve_return"
    /// 不同意回退
    case refuseReturn = "refuse_return"
    /// 申请延期
    case requestExtension = "request_extension"
    /// 同意延期
    case approveExtension = "approve_extension"
    /// 不同意延期
    case refuseExtension = "refuse_extension"
    /// 派发核查: the operator sends the on-site check.
    case sendCheck = "send_check"
    /// 核查通过
    case checkPass = "check_pass"
    /// 核查不通过 → 返工
    case checkFail = "check_fail"
    /// 结案
    case close
    /// 挂账
    case suspend
    /// 挂账恢复
    case resume
    /// 作废
    case void
    /// 催办
    case urge
    /// 督办
    case supervise
    /// 合并: mark as a duplicate of another open case.
    case merge
    /// 协办反馈: an assisting department's contribution.
    case assistFeedback = "assist_feedback"
    /// 自处理审核通过 → 结案
    case approveSelfHandled = "approve_self_handled"
    /// 自处理审核不通过 → 待立案
    case refuseSelfHandled = "refuse_self_handled"
    /// 评价: the reporting citizen rates the result of a closed case.
    case rate
    /// 重新办理: a closed case rated dissatisfied goes back to dispatch for review.
    case reopen
    /// 上报: the case's creation (only recorded, never applied to an existing case).
    case report
    /// 关联上报: another reporter's duplicate was merged into this case.
    case linkReport = "link_report"
    /// 设备恢复: the device whose alarm opened the case reports normal again (evidence for the on-site check).
    case deviceRecovered = "device_recovered"
    /// 视频核查: the verdict of a check by the camera whose detection the case came from (still there, not seen again,
    /// or no verdict), evidence for the on-site check.
    case cameraRecheck = "camera_recheck"

    /// Chinese name of the action.
    public var chineseName: String {
        switch self {
        case .verify: "核实"
        case .refute: "核实不属实"
        case .file: "立案"
        case .reject: "不予立案"
        case .sendVerify: "派发核实"
        case .correct: "更正"
        case .dispatch: "派遣"
        case .redispatch: "改派"
        case .accept: "接收"
        case .reportHandled: "处置反馈"
        case .requestReturn: "申请回退"
        case .approveReturn: "同意回退"
        case .refuseReturn: "不同意回退"
        case .requestExtension: "申请延期"
        case .approveExtension: "同意延期"
        case .refuseExtension: "不同意延期"
        case .sendCheck: "派发核查"
        case .checkPass: "核查通过"
        case .checkFail: "核查不通过（返工）"
        case .close: "结案"
        case .suspend: "挂账"
        case .resume: "挂账恢复"
        case .void: "作废"
        case .urge: "催办"
        case .supervise: "督办"
        case .merge: "合并"
        case .assistFeedback: "协办反馈"
        case .approveSelfHandled: "自处理通过"
        case .refuseSelfHandled: "自处理退回"
        case .rate: "评价"
        case .reopen: "重新办理"
        case .report: "上报"
        case .linkReport: "关联上报"
        case .deviceRecovered: "设备恢复"
        case .cameraRecheck: "视频核查"
        }
    }
}

/// What an action carries besides the actor: comment, evidence, and the action's own fields.
public struct ActionInput: Hashable, Codable, Sendable {
    /// Free text, recorded in history.
    public var comment: String?
    /// Evidence media IDs (content hashes of uploaded files).
    public var evidence: [String]
    /// For dispatch and redispatch: the lead department (omit to use the responsibility list).
    public var departmentID: DepartmentID?
    /// For dispatch: assisting departments (协同).
    public var assistingDepartmentIDs: [DepartmentID]
    /// For extension requests: the extra working hours asked.
    public var extensionHours: Int?
    /// For merge: the open case this one duplicates.
    public var targetCaseID: CaseID?
    /// For rate: how satisfied the reporter is.
    public var satisfaction: Satisfaction?
    /// For correct: the right matter class.
    public var matterCode: String?
    /// For correct: the right location (with `lon`).
    public var lat: Double?
    /// For correct: the right location (with `lat`).
    public var lon: Double?
    /// For correct: the right address.
    public var address: String?
    /// For correct: where the new location lies, resolved by the service from `lat`/`lon` (never read from clients).
    public var placement: Placement?

    /// Creates an input.
    public init(
        comment: String? = nil, evidence: [String] = [], departmentID: DepartmentID? = nil,
        assistingDepartmentIDs: [DepartmentID] = [], extensionHours: Int? = nil, targetCaseID: CaseID? = nil,
        satisfaction: Satisfaction? = nil
    ) {
        self.comment = comment
        self.evidence = evidence
        self.departmentID = departmentID
        self.assistingDepartmentIDs = assistingDepartmentIDs
        self.extensionHours = extensionHours
        self.targetCaseID = targetCaseID
        self.satisfaction = satisfaction
    }

    enum CodingKeys: String, CodingKey {
        case comment, evidence, departmentID, assistingDepartmentIDs, extensionHours, targetCaseID, satisfaction, matterCode, lat, lon, address
    }

    /// Decodes with every field optional.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        comment = try c.decodeIfPresent(String.self, forKey: .comment)
        evidence = try c.decodeIfPresent([String].self, forKey: .evidence) ?? []
        departmentID = try c.decodeIfPresent(DepartmentID.self, forKey: .departmentID)
        assistingDepartmentIDs = try c.decodeIfPresent([DepartmentID].self, forKey: .assistingDepartmentIDs) ?? []
        extensionHours = try c.decodeIfPresent(Int.self, forKey: .extensionHours)
        targetCaseID = try c.decodeIfPresent(CaseID.self, forKey: .targetCaseID)
        satisfaction = try c.decodeIfPresent(Satisfaction.self, forKey: .satisfaction)
        matterCode = try c.decodeIfPresent(String.self, forKey: .matterCode)
        lat = try c.decodeIfPresent(Double.self, forKey: .lat)
        lon = try c.decodeIfPresent(Double.self, forKey: .lon)
        address = try c.decodeIfPresent(String.self, forKey: .address)
    }
}

/// How satisfied a reporter is with the result (满意度评价), as the national evaluation counts it.
public enum Satisfaction: String, Codable, Sendable, CaseIterable {
    /// 满意
    case satisfied
    /// 基本满意
    case basicallySatisfied = "basically_satisfied"
    /// 不满意
    case dissatisfied

    /// Chinese name.
    public var chineseName: String {
        switch self {
        case .satisfied: "满意"
        case .basicallySatisfied: "基本满意"
        case .dissatisfied: "不满意"
        }
    }
}
