import Foundation

/// A count the evaluation (综合评价) keeps per day and subject; every indicator is one counter over another.
/// The raw values are stored: never renumber, only add.
public enum EvaluationCounter: Int, Codable, Sendable, CaseIterable {
    // Case-level, on the day the case was reported (area subjects).
    /// 上报数: reports received from every channel.
    case reported = 1
    // Case-level, on the day the case was filed (area subjects and the lead department).
    /// 立案数 (应结案数): cases filed, self-handled ones included.
    case filed = 2
    /// 结案数: of the filed cases, those closed now.
    case closed = 3
    /// 按期结案数: closed, and the department's (last) handling report came by its deadline.
    case closedOnTime = 4
    /// 公众举报立案数: filed cases that came from the public (citizens, hotline, partners, cameras, operators),
    /// not from an inspector's patrol — the public-report rate's numerator and the missed-report count (漏报).
    case filedFromPublic = 5
    /// 返工案件数: filed cases sent back for rework at least once.
    case reworkedCases = 6
    /// 延期案件数: filed cases with an approved extension.
    case extendedCases = 7
    /// 挂账案件数: filed cases suspended at least once.
    case suspendedCases = 8
    /// 作废案件数: filed cases voided afterwards.
    case voidedCases = 9
    /// 超期处置案件数: filed cases whose handling report came after the deadline at least once.
    case overdueCases = 10
    /// 复发案件数: filed cases that repeat a closed case of the same class at the same place (复发).
    case recurrentCases = 11
    /// 应结案数: filed cases not voided or merged afterwards — the closing rates' denominator.
    case dueToClose = 12

    // Inspector (监督员), on the day of the action.
    /// 监督员上报数
    case inspectorReports = 20
    /// 有效上报数: inspector reports that were filed (or approved as self-handled) and not voided.
    case inspectorValidReports = 21
    /// 应核实数: verifications done (核实 or 核实不属实).
    case verifications = 22
    /// 按时核实数
    case verificationsOnTime = 23
    /// 应核查数: on-site checks done (通过 or 不通过).
    case checks = 24
    /// 按时核查数
    case checksOnTime = 25

    // Operator (受理员), on the day of the action.
    /// 受理工作量: reports registered, corrected, filed, rejected, merged, verifications and checks sent.
    case operatorWork = 30
    /// 应派发核实数
    case verificationDispatches = 31
    /// 按时派发核实数
    case verificationDispatchesOnTime = 32
    /// 应派发核查数
    case checkDispatches = 33
    /// 按时派发核查数
    case checkDispatchesOnTime = 34

    // Shift lead (值班长) — filing may also be done by an operator — on the day of the action.
    /// 立案操作数: filings (and self-handled approvals) by this person.
    case filings = 40
    /// 按时立案数
    case filingsOnTime = 41
    /// 准确立案数: filings not voided afterwards.
    case filingsAccurate = 42
    /// 结案操作数
    case closings = 43
    /// 按时结案操作数
    case closingsOnTime = 44

    // Dispatcher (派遣员), on the day of the action.
    /// 派遣数: dispatches and redispatches (the platform's automatic ones under the platform's account).
    case dispatches = 50
    /// 按时派遣数
    case dispatchesOnTime = 51
    /// 准确派遣数: dispatches the department did not get returned or redispatched away.
    case dispatchesAccurate = 52

    // Department (专业部门), on the day the task was dispatched to it.
    /// 应处置数: tasks dispatched to the department and not returned.
    case tasks = 60
    /// 处置数: tasks the department reported handled.
    case tasksHandled = 61
    /// 按时处置数: the (last) handling report came by the deadline.
    case tasksHandledOnTime = 62
    /// 返工数: tasks that failed the on-site check at least once.
    case tasksReworked = 63
    /// 延期数: tasks with an approved extension.
    case tasksExtended = 64
    /// 回退数: tasks returned (approved return, or redispatched away).
    case tasksReturned = 65

    // Satisfaction, on the day of the rating (area subjects and the lead department).
    /// 评价数
    case ratings = 70
    /// 满意数 (satisfied or basically satisfied)
    case ratingsSatisfied = 71

    /// Chinese name.
    public var chineseName: String { Self.names[self]!.zh }
    /// English name.
    public var englishName: String { Self.names[self]!.en }

    static let names: [EvaluationCounter: (zh: String, en: String)] = [
        .reported: ("上报数", "reports"), .filed: ("立案数", "filed"), .closed: ("结案数", "closed"),
        .closedOnTime: ("按期结案数", "closed on time"), .filedFromPublic: ("公众举报立案数", "filed from public reports"),
        .reworkedCases: ("返工案件数", "cases reworked"), .extendedCases: ("延期案件数", "cases extended"),
        .suspendedCases: ("挂账案件数", "cases suspended"), .voidedCases: ("作废案件数", "cases voided"),
        .overdueCases: ("超期案件数", "cases handled late"), .recurrentCases: ("复发案件数", "recurrent cases"), .dueToClose: ("应结案数", "due to close"),
        .inspectorReports: ("监督员上报数", "inspector reports"), .inspectorValidReports: ("有效上报数", "valid reports"),
        .verifications: ("核实数", "verifications"), .verificationsOnTime: ("按时核实数", "verifications on time"),
        .checks: ("核查数", "checks"), .checksOnTime: ("按时核查数", "checks on time"),
        .operatorWork: ("受理工作量", "operator actions"), .verificationDispatches: ("派发核实数", "verifications sent"),
        .verificationDispatchesOnTime: ("按时派发核实数", "verifications sent on time"), .checkDispatches: ("派发核查数", "checks sent"),
        .checkDispatchesOnTime: ("按时派发核查数", "checks sent on time"), .filings: ("立案操作数", "filings"),
        .filingsOnTime: ("按时立案数", "filings on time"), .filingsAccurate: ("准确立案数", "accurate filings"),
        .closings: ("结案操作数", "closings"), .closingsOnTime: ("按时结案操作数", "closings on time"),
        .dispatches: ("派遣数", "dispatches"), .dispatchesOnTime: ("按时派遣数", "dispatches on time"),
        .dispatchesAccurate: ("准确派遣数", "accurate dispatches"), .tasks: ("应处置数", "tasks due"),
        .tasksHandled: ("处置数", "tasks handled"), .tasksHandledOnTime: ("按时处置数", "tasks handled on time"),
        .tasksReworked: ("返工数", "tasks reworked"), .tasksExtended: ("延期数", "tasks extended"),
        .tasksReturned: ("回退数", "tasks returned"), .ratings: ("评价数", "ratings"), .ratingsSatisfied: ("满意数", "satisfied ratings"),
    ]

    /// The counter for a stable name (the raw value's case name, e.g. `closedOnTime`).
    public static func named(_ name: String) -> EvaluationCounter? { allCases.first { "\($0)" == name } }
}
