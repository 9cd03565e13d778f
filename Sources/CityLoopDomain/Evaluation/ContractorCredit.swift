import Foundation

/// One deduction of a contractor's credit score: points per unit of an indicator's measure, up to a cap.
public struct CreditTerm: Hashable, Codable, Sendable {
    /// What is measured.
    public enum Measure: String, Codable, Sendable {
        /// The indicator's numerator (a count, e.g. cases against the contractor).
        case count
        /// The indicator's rate in percent (e.g. rework rate).
        case rate
        /// 100 − the rate (e.g. how far on-time handling falls short).
        case shortfall
    }

    /// The indicator's ID (see `Indicator.all`; department indicators).
    public var indicator: String
    /// How it is measured.
    public var measure: Measure
    /// Points deducted per unit.
    public var points: Double
    /// The most this term deducts.
    public var cap: Double

    /// Creates a term.
    public init(_ indicator: String, _ measure: Measure, points: Double, cap: Double) {
        self.indicator = indicator
        self.measure = measure
        self.points = points
        self.cap = cap
    }
}

/// One deduction for the events of a contractor's vehicles (车辆违规扣分): points per event of a kind, up to a cap.
public struct VehicleCreditTerm: Hashable, Codable, Sendable {
    /// The kind of vehicle event.
    public var kind: VehicleEvent.Kind
    /// Points deducted per event.
    public var points: Double
    /// The most this term deducts.
    public var cap: Double

    /// Creates a term.
    public init(_ kind: VehicleEvent.Kind, points: Double, cap: Double) {
        self.kind = kind
        self.points = points
        self.cap = cap
    }

    /// The default terms: suspected dumping weighs most, then trips without a permit, tampering, empty arrivals at a
    /// weighbridge, forbidden zones and hours, leaving the permitted route, speeding, and
    /// sanitation shifts that left their roads uncovered.
    public static let defaults = [
        VehicleCreditTerm(.dumpingSuspected, points: 5, cap: 30), VehicleCreditTerm(.unpermittedTrip, points: 3, cap: 15),
        VehicleCreditTerm(.tampered, points: 3, cap: 15), VehicleCreditTerm(.weighedEmpty, points: 3, cap: 15),
        VehicleCreditTerm(.forbiddenZone, points: 2, cap: 20),
        VehicleCreditTerm(.offRoute, points: 1, cap: 10), VehicleCreditTerm(.speeding, points: 0.5, cap: 5),
        VehicleCreditTerm(.coverageShort, points: 1, cap: 10),
    ]
}

/// The credit formula for contractors (清运企业信用评价): a base score less capped deductions for the cases against
/// them, late handling, rework and repeated violations (复发), and the events of their vehicles (suspected dumping,
/// trips without a permit, …), graded into credit levels. Configuration.
public struct ContractorCreditScheme: Hashable, Codable, Sendable {
    /// The score with nothing deducted.
    public var base: Double
    /// The deductions.
    public var terms: [CreditTerm]
    /// The deductions for the contractor's vehicles' events, keyed in the score's deductions by the event's code
    /// (`vehicle.dumping_suspected`).
    public var vehicleTerms: [VehicleCreditTerm]
    /// Credit levels, highest first (A 守信, B 基本守信, C 失信, D 严重失信).
    public var levels: [GradeStep]

    /// The default formula.
    public init(
        base: Double = 100,
        terms: [CreditTerm] = [
            CreditTerm("tasks", .count, points: 0.05, cap: 10), CreditTerm("onTimeHandlingRate", .shortfall, points: 0.5, cap: 30),
            CreditTerm("reworkRate", .rate, points: 0.5, cap: 20), CreditTerm("recurrenceRate", .rate, points: 1, cap: 20),
            CreditTerm("overdueRate", .rate, points: 0.3, cap: 20),
        ],
        vehicleTerms: [VehicleCreditTerm] = VehicleCreditTerm.defaults,
        levels: [GradeStep] = [GradeStep(90, "A"), GradeStep(80, "B"), GradeStep(60, "C"), GradeStep(0, "D")]
    ) {
        self.base = base
        self.terms = terms
        self.vehicleTerms = vehicleTerms
        self.levels = levels
    }

    private enum CodingKeys: String, CodingKey { case base, terms, vehicleTerms, levels }

    /// Reads a formula; one saved before vehicles counted gets the default vehicle terms.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            base: try c.decode(Double.self, forKey: .base), terms: try c.decode([CreditTerm].self, forKey: .terms),
            vehicleTerms: try c.decodeIfPresent([VehicleCreditTerm].self, forKey: .vehicleTerms) ?? VehicleCreditTerm.defaults,
            levels: try c.decode([GradeStep].self, forKey: .levels))
    }

    /// Problems naming the field: unknown or non-department indicators, a measure the indicator lacks, negative
    /// points or caps, levels out of order.
    public func problems() -> [(field: String, message: String)] {
        var out: [(String, String)] = []
        if !(0...1000).contains(base) { out.append(("base", "base must be between 0 and 1000")) }
        for (i, t) in terms.enumerated() {
            guard let ind = Indicator.named(t.indicator), ind.kinds.contains(.department) else {
                out.append(("terms[\(i)].indicator", "'\(t.indicator)' is not an indicator of departments"))
                continue
            }
            if t.measure != .count, !ind.isRate { out.append(("terms[\(i)].measure", "'\(t.indicator)' is a count, not a rate")) }
            if t.points < 0 || !t.points.isFinite { out.append(("terms[\(i)].points", "points must be zero or more")) }
            if t.cap < 0 || !t.cap.isFinite { out.append(("terms[\(i)].cap", "cap must be zero or more")) }
        }
        for (i, t) in vehicleTerms.enumerated() {
            if [.enteredSite, .leftSite].contains(t.kind) { out.append(("vehicleTerms[\(i)].kind", "entering and leaving a site are not violations")) }
            if t.points < 0 || !t.points.isFinite { out.append(("vehicleTerms[\(i)].points", "points must be zero or more")) }
            if t.cap < 0 || !t.cap.isFinite { out.append(("vehicleTerms[\(i)].cap", "cap must be zero or more")) }
            if vehicleTerms[..<i].contains(where: { $0.kind == t.kind }) { out.append(("vehicleTerms[\(i)].kind", "'\(t.kind.rawValue)' is listed twice")) }
        }
        if levels.isEmpty || levels.contains(where: { !$0.minimum.isFinite }) || zip(levels, levels.dropFirst()).contains(where: { $0.minimum <= $1.minimum }) {
            out.append(("levels", "levels must have finite minimums, highest first"))
        }
        return out
    }

    /// A contractor's score (0–100 … base, two decimals) and the deductions by indicator, and by vehicle event code
    /// for the events of its vehicles in the period (`vehicleEvents`, counts by kind).
    public func score(_ values: [String: IndicatorValue], vehicleEvents: [VehicleEvent.Kind: Int] = [:]) -> (score: Double, deductions: [String: Double]) {
        var deductions: [String: Double] = [:]
        for t in terms {
            guard let v = values[t.indicator] else { continue }
            let amount: Double
            switch t.measure {
            case .count: amount = Double(v.numerator)
            case .rate: amount = v.value ?? 0
            case .shortfall: amount = v.value.map { 100 - $0 } ?? 0
            }
            deductions[t.indicator, default: 0] += min(t.cap, amount * t.points)
        }
        for t in vehicleTerms {
            guard let n = vehicleEvents[t.kind], n > 0 else { continue }
            deductions[t.kind.code, default: 0] += min(t.cap, Double(n) * t.points)
        }
        let s = max(0, base - deductions.values.reduce(0, +))
        return ((s * 100).rounded() / 100, deductions.mapValues { ($0 * 100).rounded() / 100 })
    }

    /// The credit level of a score.
    public func level(_ score: Double) -> String { levels.first { score >= $0.minimum }?.grade ?? levels.last?.grade ?? "D" }
}

/// A contractor's line in the credit ranking.
public struct ContractorCreditRow: Hashable, Sendable {
    /// The contractor.
    public var info: EvaluationSubjectInfo
    /// Its department indicators.
    public var indicators: [String: IndicatorValue]
    /// The credit score.
    public var score: Double
    /// The credit level.
    public var level: String
    /// Deductions by indicator and by vehicle event code.
    public var deductions: [String: Double]
    /// The events of its vehicles in the period, by kind.
    public var vehicleEvents: [VehicleEvent.Kind: Int] = [:]
    /// 1 for the best score.
    public var rank: Int

    /// The ranking of contractors by credit, best first (equal scores share a rank); `vehicleEvents` are the events of
    /// each contractor's vehicles in the period by kind, keyed by the contractor's department ID.
    public static func ranking(
        _ contractors: [EvaluationSubjectInfo], counts: EvaluationCounts, scheme: ContractorCreditScheme,
        vehicleEvents: [String: [VehicleEvent.Kind: Int]] = [:]
    ) -> [ContractorCreditRow] {
        let indicators = Indicator.reported(for: .department)
        var rows = contractors.map { info -> ContractorCreditRow in
            let values = EvaluationReport.values(info, indicators: indicators, counts: counts)
            let events = vehicleEvents[info.subject.id] ?? [:]
            let (score, deductions) = scheme.score(values, vehicleEvents: events)
            return ContractorCreditRow(
                info: info, indicators: values, score: score, level: scheme.level(score), deductions: deductions, vehicleEvents: events, rank: 0)
        }
        rows.sort { ($1.score, $0.info.name) < ($0.score, $1.info.name) }
        for i in rows.indices { rows[i].rank = i > 0 && rows[i - 1].score == rows[i].score ? rows[i - 1].rank : i + 1 }
        return rows
    }
}
