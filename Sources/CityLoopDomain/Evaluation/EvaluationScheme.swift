import Foundation

/// One term of a composite score: an indicator's value (or 100 minus it, or its workload as a volume score) times a
/// weight in percent.
public struct ScoreTerm: Hashable, Codable, Sendable {
    /// How the indicator's value enters the score.
    public enum Use: String, Codable, Sendable {
        /// The rate itself.
        case rate
        /// 100 − the rate (for missed, rework, overdue … rates).
        case inverse
        /// The count through the scheme's volume steps (工作量得分).
        case volume
    }

    /// The indicator's ID (see `Indicator.all`).
    public var indicator: String
    /// The weight in percent.
    public var weight: Double
    /// How the value enters.
    public var use: Use

    /// Creates a term.
    public init(_ indicator: String, _ weight: Double, _ use: Use = .rate) {
        self.indicator = indicator
        self.weight = weight
        self.use = use
    }
}

/// A step of the volume score: at least `minimum` actions in 30 days score `score`.
public struct VolumeStep: Hashable, Codable, Sendable {
    /// Actions per 30 days.
    public var minimum: Int
    /// The score.
    public var score: Double

    /// Creates a step.
    public init(_ minimum: Int, _ score: Double) {
        self.minimum = minimum
        self.score = score
    }
}

/// A grade's lower bound.
public struct GradeStep: Hashable, Codable, Sendable {
    /// The lowest score with this grade.
    public var minimum: Double
    /// The grade (A–E).
    public var grade: String

    /// Creates a step.
    public init(_ minimum: Double, _ grade: String) {
        self.minimum = minimum
        self.grade = grade
    }
}

/// The evaluation's configuration (考核方案): the composite score of each role, of departments and of areas, the
/// volume steps and the grades. The defaults are STANDARDS.md's; departments' and areas' weights have no
/// trustworthy source and are the city's to set.
public struct EvaluationScheme: Hashable, Codable, Sendable {
    /// 监督员 = valid reports 40 % + (100 − missed) 20 % + on-time verification 20 % + on-time check 20 %.
    public var inspector: [ScoreTerm]
    /// 受理员 = volume 25 % + on-time verification dispatch 40 % + on-time check dispatch 35 %.
    public var `operator`: [ScoreTerm]
    /// 值班长 = on-time filing 25 % + accurate filing 40 % + on-time closing 35 %.
    public var shiftLead: [ScoreTerm]
    /// 派遣员 = volume 20 % + on-time dispatch 40 % + accurate dispatch 40 %.
    public var dispatcher: [ScoreTerm]
    /// 专业部门 (configurable).
    public var department: [ScoreTerm]
    /// 区县、街道 and the city (configurable).
    public var area: [ScoreTerm]
    /// Volume score steps, per 30 days (scaled to the period's length), highest first.
    public var volumeSteps: [VolumeStep]
    /// Grades, highest first.
    public var grades: [GradeStep]

    /// The standard scheme.
    public init(
        inspector: [ScoreTerm] = [
            ScoreTerm("validReportRate", 40), ScoreTerm("missedRate", 20, .inverse), ScoreTerm("onTimeVerificationRate", 20),
            ScoreTerm("onTimeCheckRate", 20),
        ],
        operator: [ScoreTerm] = [
            ScoreTerm("operatorWork", 25, .volume), ScoreTerm("onTimeVerificationDispatchRate", 40), ScoreTerm("onTimeCheckDispatchRate", 35),
        ],
        shiftLead: [ScoreTerm] = [
            ScoreTerm("onTimeFilingRate", 25), ScoreTerm("accurateFilingRate", 40), ScoreTerm("onTimeClosingActionRate", 35),
        ],
        dispatcher: [ScoreTerm] = [
            ScoreTerm("dispatches", 20, .volume), ScoreTerm("onTimeDispatchRate", 40), ScoreTerm("accurateDispatchRate", 40),
        ],
        department: [ScoreTerm] = [
            ScoreTerm("handlingRate", 20), ScoreTerm("onTimeHandlingRate", 40), ScoreTerm("reworkRate", 15, .inverse),
            ScoreTerm("returnRate", 10, .inverse), ScoreTerm("satisfactionRate", 15),
        ],
        area: [ScoreTerm] = [
            ScoreTerm("closingRate", 20), ScoreTerm("onTimeClosingRate", 40), ScoreTerm("recurrenceRate", 15, .inverse),
            ScoreTerm("overdueRate", 10, .inverse), ScoreTerm("satisfactionRate", 15),
        ],
        volumeSteps: [VolumeStep] = [
            VolumeStep(2001, 100), VolumeStep(1201, 90), VolumeStep(501, 75), VolumeStep(301, 60), VolumeStep(101, 40), VolumeStep(0, 0),
        ],
        grades: [GradeStep] = [GradeStep(90, "A"), GradeStep(75, "B"), GradeStep(60, "C"), GradeStep(40, "D"), GradeStep(0, "E")]
    ) {
        self.inspector = inspector
        self.operator = `operator`
        self.shiftLead = shiftLead
        self.dispatcher = dispatcher
        self.department = department
        self.area = area
        self.volumeSteps = volumeSteps
        self.grades = grades
    }

    /// The terms scoring a subject kind (and role, for people); empty when the role is not scored.
    public func terms(for kind: EvaluationSubject.Kind, role: Role?) -> [ScoreTerm] {
        switch kind {
        case .city, .district, .street: return area
        case .department: return department
        case .user:
            switch role {
            case .inspector: return inspector
            case .operator: return self.operator
            case .shiftLead: return shiftLead
            case .dispatcher: return dispatcher
            default: return []
            }
        }
    }

    /// Problems that make the scheme unusable, naming the field: unknown indicators, weights that are negative or
    /// do not sum to 100, volume terms on rates, empty or unordered steps.
    public func problems() -> [(field: String, message: String)] {
        var out: [(String, String)] = []
        let formulas: [(String, [ScoreTerm], [Indicator])] = [
            ("inspector", inspector, Indicator.reported(for: .user, role: .inspector)),
            ("operator", self.operator, Indicator.reported(for: .user, role: .operator)),
            ("shiftLead", shiftLead, Indicator.reported(for: .user, role: .shiftLead)),
            ("dispatcher", dispatcher, Indicator.reported(for: .user, role: .dispatcher)),
            ("department", department, Indicator.reported(for: .department)), ("area", area, Indicator.reported(for: .district)),
        ]
        for (name, terms, reported) in formulas {
            if terms.isEmpty { out.append((name, "a formula needs at least one term")) }
            for (i, t) in terms.enumerated() {
                guard let ind = Indicator.named(t.indicator) else {
                    out.append(("\(name)[\(i)].indicator", "unknown indicator '\(t.indicator)'"))
                    continue
                }
                guard reported.contains(where: { $0.id == ind.id }) else {
                    out.append(("\(name)[\(i)].indicator", "'\(t.indicator)' is not an indicator of \(name) subjects"))
                    continue
                }
                if t.weight < 0 { out.append(("\(name)[\(i)].weight", "a weight cannot be negative")) }
                if t.use == .volume, ind.isRate { out.append(("\(name)[\(i)].use", "'\(t.indicator)' is a rate; volume needs a count")) }
                if t.use != .volume, !ind.isRate { out.append(("\(name)[\(i)].use", "'\(t.indicator)' is a count; use volume")) }
            }
            let sum = terms.reduce(0) { $0 + $1.weight }
            if !terms.isEmpty, abs(sum - 100) > 0.001 { out.append((name, "weights sum to \(sum), not 100")) }
        }
        if volumeSteps.isEmpty || zip(volumeSteps, volumeSteps.dropFirst()).contains(where: { $0.minimum <= $1.minimum }) {
            out.append(("volumeSteps", "steps must be given highest minimum first"))
        }
        if grades.contains(where: { !$0.minimum.isFinite }) { out.append(("grades", "every grade needs a finite minimum")) }
        if grades.isEmpty || zip(grades, grades.dropFirst()).contains(where: { $0.minimum <= $1.minimum }) {
            out.append(("grades", "grades must be given highest minimum first"))
        }
        return out
    }

    /// The volume score of `count` actions over `days` days.
    public func volumeScore(_ count: Int, days: Int) -> Double {
        let per30 = Double(count) * 30 / Double(max(days, 1))
        return volumeSteps.first { per30 >= Double($0.minimum) }?.score ?? 0
    }

    /// The grade of a score.
    public func grade(_ score: Double) -> String { grades.first { score >= $0.minimum }?.grade ?? grades.last?.grade ?? "E" }
}
