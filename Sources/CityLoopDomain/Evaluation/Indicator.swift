import Foundation

/// An evaluation indicator (考核指标) of GB/T 30428.4's family: a rate, numerator counters over denominator
/// counters × 100 %, or a plain count when it has no denominator.
public struct Indicator: Hashable, Sendable, Identifiable {
    /// The stable ID used in the API and in score formulas, e.g. `onTimeClosingRate`.
    public var id: String
    /// Chinese name.
    public var chineseName: String
    /// English name.
    public var englishName: String
    /// Summed for the numerator.
    public var numerator: [EvaluationCounter]
    /// Summed for the denominator; empty for a plain count.
    public var denominator: [EvaluationCounter]
    /// The subject kinds it is reported for.
    public var kinds: Set<EvaluationSubject.Kind>
    /// For a person: the role it is reported for; nil for every person.
    public var role: Role?
    /// Whether a higher value is better (false for overdue, rework, missed … rates).
    public var higherIsBetter: Bool

    /// Whether it is a rate (has a denominator).
    public var isRate: Bool { !denominator.isEmpty }
}

/// An indicator's figure for one subject: numerator, denominator and the rate (nil when nothing was due).
public struct IndicatorValue: Hashable, Codable, Sendable {
    /// The numerator's count.
    public var numerator: Int
    /// The denominator's count (0 for a plain count).
    public var denominator: Int
    /// The rate in percent (two decimals), the count itself for a plain count, nil when the denominator is 0.
    public var value: Double?

    /// Creates a value.
    public init(numerator: Int, denominator: Int, value: Double?) {
        self.numerator = numerator
        self.denominator = denominator
        self.value = value
    }
}

extension Indicator {
    /// The indicator's figure for a subject.
    public func value(for subject: EvaluationSubject, in counts: EvaluationCounts) -> IndicatorValue {
        let num = numerator.reduce(0) { $0 + counts[subject, $1] }
        guard isRate else { return IndicatorValue(numerator: num, denominator: 0, value: Double(num)) }
        let den = denominator.reduce(0) { $0 + counts[subject, $1] }
        return IndicatorValue(numerator: num, denominator: den, value: den == 0 ? nil : Self.percent(num, den))
    }

    /// `num / den × 100`, rounded to two decimals.
    public static func percent(_ num: Int, _ den: Int) -> Double {
        (Double(num) * 10_000 / Double(den)).rounded() / 100
    }

    /// The indicator with this ID.
    public static func named(_ id: String) -> Indicator? { all.first { $0.id == id } }

    private static let areas: Set<EvaluationSubject.Kind> = [.city, .district, .street]
    private static let areasAndDepartments: Set<EvaluationSubject.Kind> = [.city, .district, .street, .department]

    private static func rate(
        _ id: String, _ zh: String, _ en: String, _ num: [EvaluationCounter], _ den: [EvaluationCounter], _ kinds: Set<EvaluationSubject.Kind>,
        role: Role? = nil, higher: Bool = true
    ) -> Indicator {
        Indicator(id: id, chineseName: zh, englishName: en, numerator: num, denominator: den, kinds: kinds, role: role, higherIsBetter: higher)
    }

    /// Every indicator, in the order reports list them.
    public static let all: [Indicator] = [
        // The city, districts, streets, and the lead department for its cases (STANDARDS.md, Evaluation).
        rate("reported", "上报数", "reports", [.reported], [], areas),
        rate("filed", "立案数", "cases filed", [.filed], [], areasAndDepartments),
        rate("closingRate", "结案率", "closing rate", [.closed], [.dueToClose], areasAndDepartments),
        rate("onTimeClosingRate", "按期结案率", "on-time closing rate", [.closedOnTime], [.dueToClose], areasAndDepartments),
        rate("publicReportRate", "监督举报率", "public-report rate", [.filedFromPublic], [.filed], areas),
        rate("missedRate", "漏报率", "missed rate", [.filedFromPublic], [.filed], areas, higher: false),
        rate("overdueRate", "超期率", "overdue rate", [.overdueCases], [.filed], areasAndDepartments, higher: false),
        rate("caseReworkRate", "返工率", "rework rate", [.reworkedCases], [.filed], areas, higher: false),
        rate("caseExtensionRate", "延期率", "extension rate", [.extendedCases], [.filed], areas, higher: false),
        rate("suspensionRate", "挂账率", "suspension rate", [.suspendedCases], [.filed], areasAndDepartments, higher: false),
        rate("voidRate", "作废率", "void rate", [.voidedCases], [.filed], areas, higher: false),
        rate("recurrenceRate", "复发率", "recurrence rate", [.recurrentCases], [.filed], areasAndDepartments, higher: false),
        rate("satisfactionRate", "满意率", "satisfaction rate", [.ratingsSatisfied], [.ratings], areasAndDepartments),
        // Departments' handling.
        rate("tasks", "应处置数", "tasks due", [.tasks], [], [.department]),
        rate("handlingRate", "处置率", "handling rate", [.tasksHandled], [.tasks], [.department]),
        rate("onTimeHandlingRate", "按时处置率", "on-time handling rate", [.tasksHandledOnTime], [.tasks], [.department]),
        rate("reworkRate", "返工率", "rework rate", [.tasksReworked], [.tasksHandled], [.department], higher: false),
        rate("extensionRate", "延期率", "extension rate", [.tasksExtended], [.tasks], [.department], higher: false),
        rate("returnRate", "回退率", "return rate", [.tasksReturned], [.tasks, .tasksReturned], [.department], higher: false),
        // Inspectors.
        rate("inspectorReports", "上报数", "reports", [.inspectorReports], [], [.user], role: .inspector),
        rate("validReportRate", "有效上报率", "valid report rate", [.inspectorValidReports], [.inspectorReports], [.user], role: .inspector),
        rate("onTimeVerificationRate", "按时核实率", "on-time verification rate", [.verificationsOnTime], [.verifications], [.user], role: .inspector),
        rate("onTimeCheckRate", "按时核查率", "on-time check rate", [.checksOnTime], [.checks], [.user], role: .inspector),
        // Operators.
        rate("operatorWork", "受理工作量", "workload", [.operatorWork], [], [.user], role: .operator),
        rate("onTimeVerificationDispatchRate", "按时派发核实率", "on-time verification dispatch rate", [.verificationDispatchesOnTime],
             [.verificationDispatches], [.user], role: .operator),
        rate("onTimeCheckDispatchRate", "按时派发核查率", "on-time check dispatch rate", [.checkDispatchesOnTime], [.checkDispatches], [.user],
             role: .operator),
        // Shift leads.
        rate("filings", "立案数", "filings", [.filings], [], [.user], role: .shiftLead),
        rate("onTimeFilingRate", "按时立案率", "on-time filing rate", [.filingsOnTime], [.filings], [.user], role: .shiftLead),
        rate("accurateFilingRate", "准确立案率", "accurate filing rate", [.filingsAccurate], [.filings], [.user], role: .shiftLead),
        rate("onTimeClosingActionRate", "按时结案率", "on-time closing rate", [.closingsOnTime], [.closings], [.user], role: .shiftLead),
        // Dispatchers.
        rate("dispatches", "派遣数", "dispatches", [.dispatches], [], [.user], role: .dispatcher),
        rate("onTimeDispatchRate", "按时派遣率", "on-time dispatch rate", [.dispatchesOnTime], [.dispatches], [.user], role: .dispatcher),
        rate("accurateDispatchRate", "准确派遣率", "accurate dispatch rate", [.dispatchesAccurate], [.dispatches], [.user], role: .dispatcher),
    ]

    /// The indicators reported for a subject kind (and, for people, a role).
    /// An inspector's missed rate is that of the areas they patrol (see `EvaluationReport.values`).
    public static func reported(for kind: EvaluationSubject.Kind, role: Role? = nil) -> [Indicator] {
        var out = all.filter { $0.kinds.contains(kind) && (kind != .user || $0.role == nil || $0.role == role) }
        if kind == .user, role == .inspector, let missed = named("missedRate"), let valid = out.firstIndex(where: { $0.id == "validReportRate" }) {
            out.insert(missed, at: valid + 1)
        }
        return out
    }

    /// The area subjects an inspector's scopes count in: districts and streets, a street inside a district also
    /// covered left out (it would count twice); grid-level scopes count with their street.
    public static func patrolledAreas(_ scopes: [String]) -> Set<EvaluationSubject> {
        let codes = scopes.map { String($0.prefix($0.count <= 6 ? 6 : 9)) }
        let outer = Set(codes.filter { c in !codes.contains { $0 != c && c.hasPrefix($0) } })
        return Set(outer.map { EvaluationSubject(kind: $0.count <= 6 ? .district : .street, id: $0) })
    }
}
