import CityLoopDomain
import Foundation

/// The evaluation office's use cases (综合评价): rankings of every kind of subject for any period, the cases behind
/// any number, and the scheme of weights as configuration.
public struct EvaluationService: Sendable {
    let platform: Platform

    /// The setting that holds the scheme as JSON.
    public static let schemeKey = "evaluation.scheme"

    /// Creates the service.
    public init(platform: Platform) { self.platform = platform }

    /// What is ranked: a kind of subject, and for people their role.
    public struct Audience: Hashable, Sendable {
        /// The kind.
        public var kind: EvaluationSubject.Kind
        /// For people, the role.
        public var role: Role?

        /// Parses the API's `subject`: `city`, `district`, `street`, `department`, or a role (`inspector`, `operator`,
        /// `shiftlead`, `dispatcher`).
        public static func parse(_ s: String) -> Audience? {
            if let role = Role(rawValue: s), [.inspector, .operator, .shiftLead, .dispatcher].contains(role) { return Audience(kind: .user, role: role) }
            return EvaluationSubject.Kind.named(s).flatMap { $0 == .user ? nil : Audience(kind: $0, role: nil) }
        }

        /// The API name.
        public var name: String { role?.rawValue ?? kind.name }
        /// Every audience, in report order.
        public static let all: [Audience] =
            [.city, .district, .street, .department].map { Audience(kind: $0, role: nil) }
            + [.inspector, .operator, .shiftLead, .dispatcher].map { Audience(kind: .user, role: $0) }
    }

    /// The period named by `text` (see `EvaluationPeriod.parse`), or the current month; 422 naming `period` when
    /// the text is not a period.
    public func period(_ text: String?) throws -> EvaluationPeriod {
        guard let text else { return .containing(platform.clock.now(), kind: .month, utcOffsetSeconds: EvaluationFacts.utcOffsetSeconds) }
        guard let p = EvaluationPeriod.parse(text, utcOffsetSeconds: EvaluationFacts.utcOffsetSeconds) else {
            throw DomainError.invalid(
                "period", "period must be a day (2026-11-23), week (2026-W48), month (2026-11), quarter (2026-Q4), year (2026) or range (2026-11-01..2026-11-15)")
        }
        guard p.length <= 3 * 366 else { throw DomainError.invalid("period", "a period covers at most three years") }
        return p
    }

    /// The scheme in force: the saved one, or the standard one.
    public func scheme() async throws -> EvaluationScheme {
        guard let text = try await platform.store.setting(Self.schemeKey) else { return EvaluationScheme() }
        return try JSONDecoder().decode(EvaluationScheme.self, from: Data(text.utf8))
    }

    /// Saves a scheme after checking it; 422 naming the first wrong field, nothing saved.
    public func saveScheme(_ scheme: EvaluationScheme) async throws {
        if let p = scheme.problems().first { throw DomainError.invalid(p.field, p.message, code: "evaluation.scheme") }
        let enc = JSONEncoder()
        enc.outputFormatting = .sortedKeys
        try await platform.store.saveSetting(Self.schemeKey, String(decoding: try enc.encode(scheme), as: UTF8.self))
    }

    /// Every subject of an audience, named; subjects without any count are included so they rank too.
    public func subjects(_ audience: Audience) async throws -> [EvaluationSubjectInfo] {
        let ctx = platform.context
        switch audience.kind {
        case .city:
            let name = ctx.map.areas.values.first { $0.level == .city }?.name ?? "全市"
            return [EvaluationSubjectInfo(subject: .city, name: name, nameEn: "The city")]
        case .district, .street:
            let level: AreaLevel = audience.kind == .district ? .district : .street
            return ctx.map.areas.values.filter { $0.level == level }.map {
                EvaluationSubjectInfo(subject: EvaluationSubject(kind: audience.kind, id: $0.code), name: $0.name, nameEn: "\($0.name) (\($0.code))")
            }
        case .department:
            return ctx.departments.values.map {
                EvaluationSubjectInfo(subject: EvaluationSubject(kind: .department, id: $0.id.rawValue), name: $0.name, nameEn: $0.nameEn)
            }
        case .user:
            return try await platform.store.users().filter { $0.role == audience.role && $0.active }.map {
                EvaluationSubjectInfo(
                    subject: EvaluationSubject(kind: .user, id: $0.id.rawValue), name: $0.displayName, nameEn: $0.username, role: $0.role,
                    scopes: $0.gridScopes)
            }
        }
    }

    /// The ranking of an audience over a period, with the change against the previous period.
    public func report(_ audience: Audience, period: EvaluationPeriod) async throws -> EvaluationReport {
        var kinds: Set<EvaluationSubject.Kind> = [audience.kind]
        // Inspectors' missed rate is their areas'.
        if audience.role == .inspector { kinds.formUnion([.district, .street]) }
        async let now = platform.reads.store().evaluationCounts(days: period.days, kinds: kinds)
        async let before = platform.reads.store().evaluationCounts(days: period.previous.days, kinds: kinds)
        let subjects = try await self.subjects(audience)
        return EvaluationReport.compute(
            period: period, kind: audience.kind, role: audience.role, subjects: subjects, counts: try await now, previous: try await before,
            scheme: try await scheme())
    }

    /// Every audience's report for a period (the regular report's tables).
    public func reports(period: EvaluationPeriod) async throws -> [EvaluationReport] {
        var out: [EvaluationReport] = []
        for a in Audience.all { out.append(try await report(a, period: period)) }
        return out
    }

    /// Which side of a rate the cases are asked for.
    public enum Part: String, Sendable, CaseIterable {
        /// The numerator's cases (e.g. closed on time).
        case numerator
        /// The denominator's cases (e.g. due to close).
        case denominator
    }

    /// The cases behind one number: an indicator's numerator or denominator for a subject in a period, by case
    /// number after `after`; 422 naming the field for an unknown indicator or a part the indicator lacks.
    public func cases(indicator id: String, part: Part, subject: EvaluationSubject, period: EvaluationPeriod, after: String?, limit: Int)
        async throws -> [CaseSummary]
    {
        guard let ind = Indicator.named(id) else { throw DomainError.invalid("indicator", "unknown indicator '\(id)'") }
        let counters = part == .numerator ? ind.numerator : ind.denominator
        guard !counters.isEmpty else { throw DomainError.invalid("part", "'\(id)' is a count: it has no denominator") }
        // An inspector's missed rate is that of the areas they patrol.
        var subjects = [subject]
        if id == "missedRate", subject.kind == .user, let user = try await platform.store.user(id: UserID(subject.id)), user.role == .inspector {
            subjects = Array(Indicator.patrolledAreas(user.gridScopes))
        }
        var all: [CaseID: CaseSummary] = [:]
        for c in counters {
            for s in subjects {
                for found in try await platform.reads.store().evaluationCases(counter: c, subject: s, days: period.days, after: after, limit: limit) {
                    all[found.id] = found
                }
            }
        }
        return Array(all.values.sorted { $0.number < $1.number }.prefix(limit))
    }
}
