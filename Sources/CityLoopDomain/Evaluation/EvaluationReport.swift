import Foundation

/// A subject as the report names it: its display names, and for people the role and the areas they cover.
public struct EvaluationSubjectInfo: Hashable, Sendable {
    /// The subject.
    public var subject: EvaluationSubject
    /// Chinese name.
    public var name: String
    /// English name.
    public var nameEn: String
    /// For people: the role.
    public var role: Role?
    /// For inspectors: the area codes they patrol (their missed rate is their areas').
    public var scopes: [String]

    /// Creates the info.
    public init(subject: EvaluationSubject, name: String, nameEn: String? = nil, role: Role? = nil, scopes: [String] = []) {
        self.subject = subject
        self.name = name
        self.nameEn = nameEn ?? name
        self.role = role
        self.scopes = scopes
    }
}

/// One subject's line in a ranking: its indicators, composite score, grade, rank and change against the previous
/// period.
public struct EvaluationRow: Hashable, Sendable {
    /// Who.
    public var info: EvaluationSubjectInfo
    /// Indicator values by indicator ID.
    public var indicators: [String: IndicatorValue]
    /// The composite score (0–100, two decimals); nil when nothing it weighs was due.
    public var score: Double?
    /// The grade of the score (A–E); nil without a score.
    public var grade: String?
    /// 1 for the best score; nil without a score.
    public var rank: Int?
    /// The score in the previous period.
    public var previousScore: Double?
    /// Score minus previous score.
    public var change: Double?
    /// The previous period's indicator values.
    public var previousIndicators: [String: IndicatorValue]
}

/// The evaluation of one kind of subject over a period (综合评价): every subject's row, ranked by score.
public struct EvaluationReport: Hashable, Sendable {
    /// The period.
    public var period: EvaluationPeriod
    /// The kind of subject.
    public var kind: EvaluationSubject.Kind
    /// For people: the role; nil otherwise.
    public var role: Role?
    /// The indicators reported, in order.
    public var indicators: [Indicator]
    /// The rows, best score first; subjects without a score last, by name.
    public var rows: [EvaluationRow]

    /// Computes the report from the period's and the previous period's counts for the given subjects.
    public static func compute(
        period: EvaluationPeriod, kind: EvaluationSubject.Kind, role: Role? = nil, subjects: [EvaluationSubjectInfo],
        counts: EvaluationCounts, previous: EvaluationCounts, scheme: EvaluationScheme
    ) -> EvaluationReport {
        let indicators = Indicator.reported(for: kind, role: role)
        let terms = scheme.terms(for: kind, role: role)
        var rows: [EvaluationRow] = subjects.filter { $0.subject.kind == kind && (kind != .user || $0.role == role) }.map { info in
            let now = values(info, indicators: indicators, counts: counts)
            let before = values(info, indicators: indicators, counts: previous)
            let score = Self.score(now, terms: terms, scheme: scheme, days: period.length)
            let prev = Self.score(before, terms: terms, scheme: scheme, days: period.previous.length)
            return EvaluationRow(
                info: info, indicators: now, score: score, grade: score.map(scheme.grade), rank: nil, previousScore: prev,
                change: score.flatMap { s in prev.map { ((s - $0) * 100).rounded() / 100 } }, previousIndicators: before)
        }
        rows.sort { a, b in
            switch (a.score, b.score) {
            case let (x?, y?) where x != y: return x > y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return (a.info.name, a.info.subject.id) < (b.info.name, b.info.subject.id)
            }
        }
        // Equal scores share a rank (1, 2, 2, 4).
        for i in rows.indices where rows[i].score != nil {
            rows[i].rank = i > 0 && rows[i - 1].score == rows[i].score ? rows[i - 1].rank : i + 1
        }
        return EvaluationReport(period: period, kind: kind, role: role, indicators: indicators, rows: rows)
    }

    /// A subject's indicator values; an inspector's missed rate is that of the areas they patrol.
    static func values(_ info: EvaluationSubjectInfo, indicators: [Indicator], counts: EvaluationCounts) -> [String: IndicatorValue] {
        var out: [String: IndicatorValue] = [:]
        for ind in indicators { out[ind.id] = ind.value(for: info.subject, in: counts) }
        if info.role == .inspector, let missed = Indicator.named("missedRate") {
            // Grid-level scopes count with their street: the evaluation keeps counts by street, not by grid.
            let areas = Indicator.patrolledAreas(info.scopes)
            var sub = EvaluationCounts()
            for a in areas {
                for c in missed.numerator + missed.denominator { sub.add(.city, c, counts[a, c]) }
            }
            let v = missed.value(for: .city, in: sub)
            out["missedRate"] = v
        }
        return out
    }

    /// The composite score: the weighted terms whose indicator had anything due, their weights scaled back to 100.
    public static func score(_ values: [String: IndicatorValue], terms: [ScoreTerm], scheme: EvaluationScheme, days: Int) -> Double? {
        var sum = 0.0
        var weights = 0.0
        for t in terms {
            guard let v = values[t.indicator] else { continue }
            let points: Double
            switch t.use {
            case .volume:
                // No work at all is nothing to score, not a zero.
                guard v.numerator > 0 else { continue }
                points = scheme.volumeScore(v.numerator, days: days)
            case .rate:
                guard let r = v.value else { continue }
                points = r
            case .inverse:
                guard let r = v.value else { continue }
                points = 100 - r
            }
            sum += points * t.weight
            weights += t.weight
        }
        guard weights > 0 else { return nil }
        return (sum / weights * 100).rounded() / 100
    }
}
