import CityLoopDomain
import Foundation
import Testing

@Suite("EvaluationReport: composite scores, grades, ranks and change")
struct EvaluationReportTests {
    let scheme = EvaluationScheme()
    let november = EvaluationPeriod.parse("2026-11")!  // 30 days
    let week28 = EvaluationPeriod.parse("2026-W28")!  // the scenarios' week

    /// Counts built by hand: (subject, counter, n).
    func counts(_ rows: [(EvaluationSubject, EvaluationCounter, Int)]) -> EvaluationCounts {
        var n = EvaluationCounts()
        for (s, c, k) in rows { n.add(s, c, k) }
        return n
    }

    /// A person's info.
    func person(_ id: String, _ role: Role, scopes: [String] = []) -> EvaluationSubjectInfo {
        EvaluationSubjectInfo(subject: Subjects.user(id), name: id, role: role, scopes: scopes)
    }

    /// The single row of a report for one subject.
    func row(
        _ info: EvaluationSubjectInfo, period: EvaluationPeriod, counts: EvaluationCounts, previous: EvaluationCounts = EvaluationCounts(),
        scheme: EvaluationScheme? = nil
    ) throws -> EvaluationRow {
        let r = EvaluationReport.compute(
            period: period, kind: info.subject.kind, role: info.role, subjects: [info], counts: counts, previous: previous,
            scheme: scheme ?? self.scheme)
        return try #require(r.rows.first)
    }

    // MARK: STANDARDS.md's role formulas

    @Test("inspector: valid 80 %, missed 10 %, on-time verification 90 %, check 100 % → 80×0.4 + 90×0.2 + 90×0.2 + 100×0.2 = 88 → B")
    func inspectorFormula() throws {
        let u = Subjects.user("u-i1")
        let n = counts([
            (u, .inspectorReports, 10), (u, .inspectorValidReports, 8),  // 80 %
            (u, .verifications, 10), (u, .verificationsOnTime, 9),  // 90 %
            (u, .checks, 5), (u, .checksOnTime, 5),  // 100 %
            (Subjects.street, .filed, 10), (Subjects.street, .filedFromPublic, 1),  // missed 10 % in the street patrolled
        ])
        let r = try row(person("u-i1", .inspector, scopes: ["410102001"]), period: november, counts: n)
        #expect(r.indicators["missedRate"]?.value == 10)
        #expect(r.score == 88 && r.grade == "B" && r.rank == 1)
    }

    @Test("operator: volume 600 in 30 days → 75; verification sends 90 %, check sends 80 % → 75×0.25 + 90×0.4 + 80×0.35 = 82.75 → B")
    func operatorFormula() throws {
        let u = Subjects.user("u-o1")
        let n = counts([
            (u, .operatorWork, 600), (u, .verificationDispatches, 10), (u, .verificationDispatchesOnTime, 9),
            (u, .checkDispatches, 10), (u, .checkDispatchesOnTime, 8),
        ])
        let r = try row(person("u-o1", .operator), period: november, counts: n)
        #expect(r.score == 82.75 && r.grade == "B")
    }

    @Test("shift lead: on-time filing 100 %, accurate 95 %, on-time closing 80 % → 25 + 38 + 28 = 91 → A")
    func shiftLeadFormula() throws {
        let u = Subjects.user("u-s1")
        let n = counts([
            (u, .filings, 20), (u, .filingsOnTime, 20), (u, .filingsAccurate, 19), (u, .closings, 10), (u, .closingsOnTime, 8),
        ])
        let r = try row(person("u-s1", .shiftLead), period: november, counts: n)
        #expect(r.score == 91 && r.grade == "A")
    }

    @Test("dispatcher: 1600 in 30 days → 90; on time 50 %, accurate 75 % → 90×0.2 + 50×0.4 + 75×0.4 = 68 → C")
    func dispatcherFormula() throws {
        let u = Subjects.user("u-d1")
        let n = counts([(u, .dispatches, 1600), (u, .dispatchesOnTime, 800), (u, .dispatchesAccurate, 1200)])
        let r = try row(person("u-d1", .dispatcher), period: november, counts: n)
        #expect(r.score == 68 && r.grade == "C")
    }

    @Test("weights are renormalised over the terms that had anything due")
    func renormalised() throws {
        let u = Subjects.user("u-i1")
        // Nothing verified or checked: (80 × 40 + 90 × 20) / 60 = 83.33.
        let n = counts([
            (u, .inspectorReports, 10), (u, .inspectorValidReports, 8), (Subjects.street, .filed, 10), (Subjects.street, .filedFromPublic, 1),
        ])
        let r = try row(person("u-i1", .inspector, scopes: ["410102001"]), period: november, counts: n)
        #expect(r.score == 83.33 && r.grade == "B")
        // Only verifications, no areas patrolled: the one term is the score.
        let only = counts([(u, .verifications, 10), (u, .verificationsOnTime, 9)])
        #expect(try row(person("u-i1", .inspector), period: november, counts: only).score == 90)
    }

    @Test("volume scores scale to the period: 281 dispatches in a week count as 1204 in 30 days → 90")
    func volumeInAWeek() throws {
        let u = Subjects.user("u-d1")
        let n = counts([(u, .dispatches, 281), (u, .dispatchesOnTime, 281), (u, .dispatchesAccurate, 281)])
        // 90 × 0.2 + 100 × 0.4 + 100 × 0.4 = 98.
        #expect(try row(person("u-d1", .dispatcher), period: week28, counts: n).score == 98)
        // The same 281 in November (30 days) are below 301 → 40: 40 × 0.2 + 80 = 88.
        #expect(try row(person("u-d1", .dispatcher), period: november, counts: n).score == 88)
    }

    // MARK: the small city, through the workflow

    @Test("the small city's scores, computed by hand from its indicators")
    func smallCity() throws {
        let n = evaluationCounts(try Scenario.smallCity())
        let none = EvaluationCounts()
        func score(_ info: EvaluationSubjectInfo) throws -> (Double?, String?) {
            let r = try row(info, period: week28, counts: n, previous: none)
            return (r.score, r.grade)
        }
        // City: closing 100 × 20 + on-time closing 66.67 × 40 + (100 − recurrence 0) × 15 + (100 − overdue 25) × 10
        //       + satisfaction 50 × 15 = 2000 + 2666.8 + 1500 + 750 + 750 = 7666.8 → 76.67.
        #expect(try score(EvaluationSubjectInfo(subject: .city, name: "全市")) == (76.67, "B"))
        // Sanitation (V's voided task not charged): handling 100 × 20 + on time 50 × 40 + (100 − rework 0) × 15
        //             + (100 − return 0) × 10 + satisfaction 50 × 15 = 2000 + 2000 + 1500 + 1000 + 750 = 7250 → 72.5.
        #expect(try score(EvaluationSubjectInfo(subject: Subjects.sanitation, name: "环卫")) == (72.5, "C"))
        // Inspector: valid 50 × 40 + (100 − missed 50) × 20 + verification 50 × 20 + check 50 × 20 = 50.
        #expect(try score(person("u-insp", .inspector, scopes: ["410102001"])) == (50, "D"))
        // Operator: volume (2 in a week) 0 × 25 + check sends 50 × 35, no verification sent: 1750 / 60 = 29.17.
        #expect(try score(person("u-op", .operator)) == (29.17, "E"))
        // Shift lead: on-time filing 75 × 25 + accurate 75 × 40 + on-time closing 50 × 35 = 6625 → 66.25.
        #expect(try score(person("u-lead", .shiftLead)) == (66.25, "C"))
        // Dispatcher: volume (3 in a week) 0 × 20 + on time 66.67 × 40 + accurate 100 × 40 = 6666.8 → 66.67.
        #expect(try score(person("u-disp", .dispatcher)) == (66.67, "C"))
    }

    @Test("all overdue: the scores are computed from 0 % on-time rates")
    func allOverdue() throws {
        let n = evaluationCounts([try Scenario.late()])
        func score(_ info: EvaluationSubjectInfo) throws -> (Double?, String?) {
            let r = try row(info, period: week28, counts: n)
            return (r.score, r.grade)
        }
        // City: 100 × 20 + 0 × 40 + 100 × 15 + (100 − 100) × 10 + 0 × 15 = 3500 → 35.
        #expect(try score(EvaluationSubjectInfo(subject: .city, name: "全市")) == (35, "E"))
        // Sanitation: 100 × 20 + 0 × 40 + 100 × 15 + 100 × 10 + 0 × 15 = 4500 → 45.
        #expect(try score(EvaluationSubjectInfo(subject: Subjects.sanitation, name: "环卫")) == (45, "D"))
        // Inspector: (100 − missed 100) × 20 + 0 × 20 + 0 × 20 (no own report) = 0.
        #expect(try score(person("u-insp", .inspector, scopes: ["410102001"])) == (0, "E"))
        // Shift lead: 0 × 25 + 100 × 40 + 0 × 35 = 40. Dispatcher: 0 × 20 + 0 × 40 + 100 × 40 = 40.
        #expect(try score(person("u-lead", .shiftLead)) == (40, "D"))
        #expect(try score(person("u-disp", .dispatcher)) == (40, "D"))
    }

    @Test("no cases at all: no score, no grade, no rank", arguments: [
        EvaluationSubjectInfo(subject: .city, name: "全市"),
        EvaluationSubjectInfo(subject: Subjects.district, name: "中原区"),
        EvaluationSubjectInfo(subject: Subjects.street, name: "林山寨街道"),
        EvaluationSubjectInfo(subject: Subjects.sanitation, name: "环卫"),
        EvaluationSubjectInfo(subject: Subjects.inspector, name: "u-insp", role: .inspector, scopes: ["410102001"]),
        EvaluationSubjectInfo(subject: Subjects.shiftLead, name: "u-lead", role: .shiftLead),
    ])
    func noCases(info: EvaluationSubjectInfo) throws {
        let r = try row(info, period: week28, counts: EvaluationCounts())
        #expect(r.score == nil && r.grade == nil && r.rank == nil)
        #expect(r.previousScore == nil && r.change == nil)
        #expect(r.indicators.values.allSatisfy { $0.value == nil || $0.value == 0 })
    }

    @Test("no cases at all: a person scored on volume has no score either", arguments: [Role.operator, .dispatcher])
    func noCasesVolume(role: Role) throws {
        let r = try row(person("u-x", role), period: week28, counts: EvaluationCounts())
        // No actions at all is nothing to weigh: no score rather than 0 and grade E.
        #expect(r.score == nil && r.grade == nil && r.rank == nil)
    }

    // MARK: ranks and change

    /// Districts scored by their closing rate alone.
    var closingOnly: EvaluationScheme {
        var s = scheme
        s.area = [ScoreTerm("closingRate", 100)]
        return s
    }

    func district(_ code: String, _ name: String) -> EvaluationSubjectInfo {
        EvaluationSubjectInfo(subject: EvaluationSubject(kind: .district, id: code), name: name)
    }

    func closing(_ code: String, _ closed: Int, of due: Int) -> [(EvaluationSubject, EvaluationCounter, Int)] {
        let d = EvaluationSubject(kind: .district, id: code)
        return [(d, .closed, closed), (d, .dueToClose, due)]
    }

    @Test("equal scores share a rank (1, 2, 2, 4); subjects without a score come last, by name, unranked")
    func ranks() {
        // setup
        let subjects = [
            district("410106", "Zeta"), district("410104", "Delta"), district("410103", "Gamma"), district("410102", "Beta"),
            district("410101", "Alpha"), district("410105", "Epsilon"),
            EvaluationSubjectInfo(subject: Subjects.sanitation, name: "Aaa"),  // not a district: not in the report
        ]
        let n = counts(closing("410101", 9, of: 10) + closing("410102", 8, of: 10) + closing("410103", 4, of: 5) + closing("410104", 7, of: 10))

        // MUT
        let report = EvaluationReport.compute(
            period: november, kind: .district, subjects: subjects, counts: n, previous: EvaluationCounts(), scheme: closingOnly)

        // validate
        #expect(report.rows.map(\.info.name) == ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta"])
        #expect(report.rows.map(\.score) == [90, 80, 80, 70, nil, nil])
        #expect(report.rows.map(\.rank) == [1, 2, 2, 4, nil, nil])
        #expect(report.rows.map(\.grade) == ["A", "B", "B", "C", nil, nil])
        #expect(report.indicators == Indicator.reported(for: .district))
        #expect(report.period == november && report.kind == .district && report.role == nil)
    }

    @Test("three-way ties share the rank and the next rank skips them")
    func threeWayTie() {
        let subjects = ["410101", "410102", "410103", "410104"].map { district($0, $0) }
        let n = counts(closing("410101", 1, of: 2) + closing("410102", 2, of: 4) + closing("410103", 3, of: 6) + closing("410104", 1, of: 4))
        let report = EvaluationReport.compute(
            period: november, kind: .district, subjects: subjects, counts: n, previous: EvaluationCounts(), scheme: closingOnly)
        #expect(report.rows.map(\.rank) == [1, 1, 1, 4])
    }

    @Test("change is the score minus the previous period's score; nil when either is missing")
    func change() throws {
        let subjects = [district("410101", "Alpha"), district("410102", "Beta"), district("410103", "Gamma"), district("410104", "Delta")]
        let now = counts(closing("410101", 9, of: 10) + closing("410103", 4, of: 5) + closing("410104", 7, of: 10))
        let before = counts(closing("410101", 8, of: 10) + closing("410102", 1, of: 2) + closing("410103", 9, of: 10) + closing("410104", 2, of: 3))
        let report = EvaluationReport.compute(
            period: november, kind: .district, subjects: subjects, counts: now, previous: before, scheme: closingOnly)
        let byName = Dictionary(uniqueKeysWithValues: report.rows.map { ($0.info.name, $0) })
        let alpha = try #require(byName["Alpha"]), beta = try #require(byName["Beta"])
        let gamma = try #require(byName["Gamma"]), delta = try #require(byName["Delta"])
        #expect(alpha.previousScore == 80 && alpha.change == 10)  // 90 − 80
        #expect(gamma.previousScore == 90 && gamma.change == -10)  // 80 − 90
        #expect(delta.previousScore == 66.67 && delta.change == 3.33)  // 70 − 66.67
        #expect(beta.score == nil && beta.previousScore == 50 && beta.change == nil)  // nothing due now
        #expect(alpha.previousIndicators["closingRate"] == IndicatorValue(numerator: 8, denominator: 10, value: 80))
        #expect(beta.previousIndicators["closingRate"]?.value == 50 && beta.indicators["closingRate"]?.value == nil)
    }

    @Test("the previous period's volume is scaled to its own length: March 31 days, February 28")
    func changeWithVolume() throws {
        let march = try #require(EvaluationPeriod.parse("2026-03"))
        let u = Subjects.user("u-d1")
        let n = counts([(u, .dispatches, 1201), (u, .dispatchesOnTime, 1201), (u, .dispatchesAccurate, 1201)])
        let r = try row(person("u-d1", .dispatcher), period: march, counts: n, previous: n)
        // March: 1201 × 30 / 31 = 1162.3 → 75: 75 × 0.2 + 100 × 0.8 = 95.
        // February: 1201 × 30 / 28 = 1286.8 → 90: 90 × 0.2 + 80 = 98.
        #expect(r.score == 95 && r.previousScore == 98 && r.change == -3)
    }

    // MARK: subjects

    @Test("a people's report keeps only the people of its role")
    func peopleOfRole() {
        let subjects = [
            person("u-a", .inspector), person("u-b", .dispatcher), person("u-c", .inspector),
            EvaluationSubjectInfo(subject: Subjects.district, name: "中原区"),
        ]
        let report = EvaluationReport.compute(
            period: november, kind: .user, role: .inspector, subjects: subjects, counts: EvaluationCounts(), previous: EvaluationCounts(),
            scheme: scheme)
        #expect(report.rows.map(\.info.subject.id) == ["u-a", "u-c"])
        #expect(report.indicators == Indicator.reported(for: .user, role: .inspector))
        #expect(EvaluationSubjectInfo(subject: Subjects.district, name: "中原区").nameEn == "中原区")
    }

    /// Areas' filed cases for the missed-rate tests: street 410102001 5 of 10 public, street 410102002 0 of 10,
    /// district 410102 8 of 40, district 410103 5 of 10.
    var patrolled: EvaluationCounts {
        let s1 = Subjects.street, s2 = EvaluationSubject(kind: .street, id: "410102002")
        let d1 = Subjects.district, d2 = EvaluationSubject(kind: .district, id: "410103")
        return counts([
            (s1, .filed, 10), (s1, .filedFromPublic, 5), (s2, .filed, 10), (d1, .filed, 40), (d1, .filedFromPublic, 8),
            (d2, .filed, 10), (d2, .filedFromPublic, 5),
        ])
    }

    @Test("an inspector's missed rate is that of the areas patrolled; grid scopes count with their street", arguments: [
        (["410102001001001", "410102001001002"], 50.0),  // both grids in street 410102001: 5 / 10
        (["410102001", "410102002"], 25),  // (5 + 0) / (10 + 10)
        (["410103"], 50),  // 5 / 10
    ] as [([String], Double)])
    func missedRate(scopes: [String], rate: Double) throws {
        let r = try row(person("u-i", .inspector, scopes: scopes), period: november, counts: patrolled)
        #expect(r.indicators["missedRate"]?.value == rate)
        #expect(r.score == 100 - rate)  // the only term with anything due
    }

    @Test("an inspector patrolling nothing has no missed rate")
    func missedRateWithoutScopes() throws {
        let r = try row(person("u-i", .inspector), period: november, counts: patrolled)
        #expect(r.indicators["missedRate"] == IndicatorValue(numerator: 0, denominator: 0, value: nil))
        #expect(r.score == nil)
    }

    @Test("a street inside a district patrolled counts once")
    func overlappingScopes() throws {
        let r = try row(person("u-i", .inspector, scopes: ["410102", "410102001"]), period: november, counts: patrolled)
        // The areas patrolled are the district: 8 / 40 = 20 %.
        #expect(r.indicators["missedRate"]?.value == 20)
    }
}
