import Foundation

/// Where a case stands in the closed loop (闭环).
public enum CaseState: String, Codable, Sendable, CaseIterable {
    /// 待核实: a public or partner report waiting for an inspector to verify it on site.
    case pendingVerification = "pending_verification"
    /// 待立案: waiting for an operator or shift lead to file or reject it.
    case pendingFiling = "pending_filing"
    /// 自处理待审核: an inspector fixed it on the spot; waiting for the shift lead's review.
    case selfHandled = "self_handled"
    /// 待派遣: filed, waiting for dispatch.
    case pendingDispatch = "pending_dispatch"
    /// 已派遣: sent to the lead department, not yet accepted.
    case dispatched
    /// 处置中: the department is handling it.
    case inProgress = "in_progress"
    /// 回退申请: the department says it was dispatched wrongly; the dispatcher decides.
    case returnRequested = "return_requested"
    /// 已处置: the department reported back; the operator sends the on-site check.
    case handled
    /// 待核查: an inspector checks the result on site.
    case pendingCheck = "pending_check"
    /// 待结案: the check passed; the shift lead closes.
    case pendingClose = "pending_close"
    /// 挂账: suspended as a long-term item.
    case suspended
    /// 已结案
    case closed
    /// 不予立案
    case rejected
    /// 作废
    case voided
    /// 已合并: a duplicate merged into another case.
    case merged

    /// Whether the loop has ended for this case.
    public var isTerminal: Bool { [.closed, .rejected, .voided, .merged].contains(self) }

    /// Whether a deadline runs in this state.
    public var hasDeadline: Bool { !isTerminal && self != .suspended }

    /// Whether the case is open and worth showing as a duplicate candidate.
    public var isOpen: Bool { !isTerminal }

    /// The role that must act next.
    public var nextRole: Role? {
        switch self {
        case .pendingVerification, .pendingCheck: .inspector
        case .pendingFiling, .handled: .operator
        case .selfHandled, .pendingClose: .shiftLead
        case .pendingDispatch, .returnRequested, .suspended: .dispatcher
        case .dispatched, .inProgress: .handler
        case .closed, .rejected, .voided, .merged: nil
        }
    }

    /// Chinese name of the state.
    public var chineseName: String {
        switch self {
        case .pendingVerification: "待核实"
        case .pendingFiling: "待立案"
        case .selfHandled: "自处理待审核"
        case .pendingDispatch: "待派遣"
        case .dispatched: "已派遣"
        case .inProgress: "处置中"
        case .returnRequested: "回退待审批"
        case .handled: "已处置"
        case .pendingCheck: "待核查"
        case .pendingClose: "待结案"
        case .suspended: "挂账"
        case .closed: "已结案"
        case .rejected: "不予立案"
        case .voided: "已作废"
        case .merged: "已合并"
        }
    }
}

extension CaseState {
    /// The state's name in English, as the console's English texts name it.
    public var englishName: String {
        switch self {
        case .pendingVerification: "Awaiting verification"
        case .pendingFiling: "Awaiting filing"
        case .selfHandled: "Self-handled, awaiting review"
        case .pendingDispatch: "Awaiting dispatch"
        case .dispatched: "Dispatched"
        case .inProgress: "In progress"
        case .returnRequested: "Return requested"
        case .handled: "Handled"
        case .pendingCheck: "Awaiting check"
        case .pendingClose: "Awaiting closing"
        case .suspended: "Suspended"
        case .closed: "Closed"
        case .rejected: "Rejected"
        case .voided: "Voided"
        case .merged: "Merged"
        }
    }

    /// Where a case in this state stands, in plain Chinese and English for the public and for senders of work
    /// orders; `department` names the lead department.
    public func plainStatus(department: (zh: String, en: String)?) -> (zh: String, en: String) {
        let dept = department ?? ("责任部门", "the responsible department")
        switch self {
        case .pendingVerification: return ("已受理，等待监督员现场核实", "Received; an inspector will check it on site")
        case .pendingFiling, .selfHandled: return ("已受理，等待立案", "Received; waiting to be accepted as a case")
        case .pendingDispatch: return ("已立案，等待派遣", "Accepted; waiting to be sent to a department")
        case .dispatched, .returnRequested: return ("已派遣至\(dept.zh)", "Sent to \(dept.en)")
        case .inProgress: return ("\(dept.zh)正在处置", "\(department?.en ?? "The responsible department") is working on it")
        case .handled, .pendingCheck: return ("处置完毕，等待现场核查", "Handled; waiting for the on-site check")
        case .pendingClose: return ("现场核查通过，等待结案", "Checked on site; about to be closed")
        case .suspended: return ("暂缓处置", "On hold")
        case .closed: return ("已处置完毕并结案", "Dealt with and closed")
        case .rejected: return ("未予立案", "Not taken up")
        case .voided: return ("已作废", "Voided")
        case .merged: return ("与同一问题的其他反映合并办理", "Merged with another report of the same problem")
        }
    }
}

/// Where a report came from.
public enum CaseSource: String, Codable, Sendable, CaseIterable {
    /// An inspector's patrol report (监督员上报).
    case inspector
    /// A citizen's report (随手拍).
    case citizen
    /// The 12345 hotline (热线).
    case hotline
    /// Another department's system or a partner.
    case partner
    /// An IoT sensor alarm.
    case sensor
    /// An AI video detection.
    case video
    /// Entered by an operator from a call, letter or visit.
    case `operator`

    /// Whether reports from this source must be verified on site before filing.
    public var needsVerification: Bool {
        switch self {
        case .inspector, .sensor: false
        default: true
        }
    }
}
