import CityLoopDomain
import Foundation
import Testing

@Suite("EvaluationScheme: weights, volume steps, grades and their validation")
struct EvaluationSchemeTests {
    let scheme = EvaluationScheme()

    /// The fields named by a scheme's problems.
    func fields(_ s: EvaluationScheme) -> [String] { s.problems().map(\.field) }

    @Test("the standard scheme has STANDARDS.md's role formulas and no problems")
    func standard() {
        #expect(scheme.problems().isEmpty)
        func weights(_ terms: [ScoreTerm]) -> [String: Double] { Dictionary(uniqueKeysWithValues: terms.map { ($0.indicator, $0.weight) }) }
        #expect(weights(scheme.inspector) == [
            "validReportRate": 40, "missedRate": 20, "onTimeVerificationRate": 20, "onTimeCheckRate": 20,
        ])
        #expect(scheme.inspector.first { $0.indicator == "missedRate" }?.use == .inverse)  // 100 − missed rate
        #expect(weights(scheme.operator) == ["operatorWork": 25, "onTimeVerificationDispatchRate": 40, "onTimeCheckDispatchRate": 35])
        #expect(weights(scheme.shiftLead) == ["onTimeFilingRate": 25, "accurateFilingRate": 40, "onTimeClosingActionRate": 35])
        #expect(weights(scheme.dispatcher) == ["dispatches": 20, "onTimeDispatchRate": 40, "accurateDispatchRate": 40])
        #expect(scheme.operator[0].use == .volume && scheme.dispatcher[0].use == .volume)
    }

    @Test("each kind and role is scored by its own terms; unscored roles by none")
    func terms() {
        #expect(scheme.terms(for: .city, role: nil) == scheme.area)
        #expect(scheme.terms(for: .district, role: nil) == scheme.area)
        #expect(scheme.terms(for: .street, role: nil) == scheme.area)
        #expect(scheme.terms(for: .department, role: nil) == scheme.department)
        #expect(scheme.terms(for: .user, role: .inspector) == scheme.inspector)
        #expect(scheme.terms(for: .user, role: .operator) == scheme.operator)
        #expect(scheme.terms(for: .user, role: .shiftLead) == scheme.shiftLead)
        #expect(scheme.terms(for: .user, role: .dispatcher) == scheme.dispatcher)
        #expect(scheme.terms(for: .user, role: .handler).isEmpty)
        #expect(scheme.terms(for: .user, role: nil).isEmpty)
    }

    @Test("an unknown indicator is named by its field")
    func unknownIndicator() {
        var s = scheme
        s.inspector[2] = ScoreTerm("onTimeVerifyRate", 20)
        let problems = s.problems()
        #expect(problems.map(\.field) == ["inspector[2].indicator"])
        #expect(problems.first?.message.contains("'onTimeVerifyRate'") == true)
    }

    @Test("weights that do not sum to 100 are named by the formula")
    func weightSum() {
        var s = scheme
        s.shiftLead[2].weight = 30  // 25 + 40 + 30
        s.department = []  // an empty formula would leave every department without a score
        let problems = s.problems()
        #expect(problems.map(\.field) == ["shiftLead", "department"])
        #expect(problems.first?.message.contains("95") == true)
        // Rounding in a configuration file is tolerated.
        var t = scheme
        t.dispatcher = [ScoreTerm("dispatches", 33.3333, .volume), ScoreTerm("onTimeDispatchRate", 33.3333), ScoreTerm("accurateDispatchRate", 33.3334)]
        #expect(t.problems().isEmpty)
    }

    @Test("a volume on a rate, a rate on a count and a negative weight are named by their term")
    func termProblems() {
        var s = scheme
        s.dispatcher[1] = ScoreTerm("onTimeDispatchRate", 40, .volume)
        s.operator[0] = ScoreTerm("operatorWork", 25, .rate)
        s.area[0] = ScoreTerm("closingRate", -20)
        s.area[1].weight = 80  // keeps the sum at 100
        let problems = s.problems()
        #expect(Set(problems.map(\.field)) == ["dispatcher[1].use", "operator[0].use", "area[0].weight"])
        #expect(problems.first { $0.field == "dispatcher[1].use" }?.message.contains("is a rate") == true)
        #expect(problems.first { $0.field == "operator[0].use" }?.message.contains("is a count") == true)
    }

    @Test("steps and grades must be given highest first")
    func ordering() {
        var s = scheme
        s.volumeSteps = [VolumeStep(101, 40), VolumeStep(2001, 100)]
        s.grades = []
        #expect(fields(s) == ["volumeSteps", "grades"])
        s.volumeSteps = []
        s.grades = [GradeStep(90, "A"), GradeStep(90, "B")]
        #expect(fields(s) == ["volumeSteps", "grades"])
    }

    @Test("volume steps per 30 days: ≥ 2001 → 100, ≥ 1201 → 90, ≥ 501 → 75, ≥ 301 → 60, ≥ 101 → 40, else 0", arguments: [
        (2001, 100.0), (2000, 90), (1201, 90), (1200, 75), (501, 75), (500, 60), (301, 60), (300, 40), (101, 40), (100, 0), (0, 0),
    ])
    func volume30(count: Int, score: Double) {
        #expect(scheme.volumeScore(count, days: 30) == score)
    }

    @Test("volume steps scale to the period: a 7-day week needs 30/7 less", arguments: [
        // 467 × 30 / 7 = 2001.4; 466 → 1997.1; 281 → 1204.3; 280 → 1200.0; 117 → 501.4; 116 → 497.1
        (467, 100.0), (466, 90), (281, 90), (280, 75), (117, 75), (116, 60),
    ])
    func volumeWeek(count: Int, score: Double) {
        #expect(scheme.volumeScore(count, days: 7) == score)
    }

    @Test("a 60-day period needs twice the actions; a zero-day period counts as one day")
    func volumeOtherLengths() {
        #expect(scheme.volumeScore(4002, days: 60) == 100)
        #expect(scheme.volumeScore(4001, days: 60) == 90)
        #expect(scheme.volumeScore(67, days: 0) == 100)  // 67 × 30 = 2010
    }

    @Test("grades at their exact boundaries: A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E below", arguments: [
        (100.0, "A"), (90, "A"), (89.99, "B"), (75, "B"), (74.99, "C"), (60, "C"), (59.99, "D"), (40, "D"), (39.99, "E"), (0, "E"), (-5, "E"),
    ])
    func grades(score: Double, grade: String) {
        #expect(scheme.grade(score) == grade)
    }

    @Test("a scheme whose lowest grade has a bound falls back to it below that bound")
    func gradeFallback() {
        var s = scheme
        s.grades = [GradeStep(60, "pass"), GradeStep(0, "fail")]
        #expect(s.grade(60) == "pass" && s.grade(0) == "fail" && s.grade(-1) == "fail")
    }

    @Test("a scheme survives a JSON round trip, as a configuration file")
    func json() throws {
        var finite = scheme
        finite.grades[4] = GradeStep(0, "E")
        let back = try JSONDecoder().decode(EvaluationScheme.self, from: JSONEncoder().encode(finite))
        #expect(back == finite)
        // The standard scheme too: its lowest grade starts at 0, which JSON can write (−∞ could not).
        let data = try JSONEncoder().encode(scheme)
        #expect(try JSONDecoder().decode(EvaluationScheme.self, from: data) == scheme)
    }
}
