import CityLoopDomain
import Foundation
import Testing

/// Contractors' credit (清运企业信用评价): the base less capped deductions, levels, ranks and the formula's checks.
@Suite("ContractorCredit: the credit formula and ranking")
struct ContractorCreditTests {
    static let a = EvaluationSubject(kind: .department, id: "haulage-a")
    static let b = EvaluationSubject(kind: .department, id: "haulage-b")
    static let c = EvaluationSubject(kind: .department, id: "haulage-c")

    /// A: 40 tasks, 30 handled on time, 36 handled of which 3 reworked, 2 recurrent of 20 filed, 4 overdue.
    /// B: 10 tasks, all handled on time, nothing else. C: nothing at all.
    static var counts: EvaluationCounts {
        var n = EvaluationCounts()
        for (counter, v) in [(EvaluationCounter.tasks, 40), (.tasksHandled, 36), (.tasksHandledOnTime, 30), (.tasksReworked, 3), (.filed, 20),
                             (.recurrentCases, 2), (.overdueCases, 4)] { n.add(a, counter, v) }
        for (counter, v) in [(EvaluationCounter.tasks, 10), (.tasksHandled, 10), (.tasksHandledOnTime, 10), (.filed, 10)] { n.add(b, counter, v) }
        return n
    }

    @Test("deductions computed by hand, capped, and the credit levels")
    func ranking() {
        let infos = [Self.a, Self.b, Self.c].map { EvaluationSubjectInfo(subject: $0, name: $0.id) }
        let rows = ContractorCreditRow.ranking(infos, counts: Self.counts, scheme: ContractorCreditScheme())
        // A: tasks 40 × 0.05 = 2; on time 30/40 = 75 % → 25 × 0.5 = 12.5; rework 3/36 = 8.33 % × 0.5 = 4.165 → 4.17 (rounded
        //    in the row; 4.165 in the sum); recurrence 2/20 = 10 % × 1 = 10; overdue 4/20 = 20 % × 0.3 = 6.
        //    100 − (2 + 12.5 + 4.165 + 10 + 6) = 65.335 → 65.34, level C.
        let ra = rows.first { $0.info.subject == Self.a }!
        #expect(ra.deductions == ["tasks": 2, "onTimeHandlingRate": 12.5, "reworkRate": 4.17, "recurrenceRate": 10, "overdueRate": 6])
        #expect(ra.score == 65.34 && ra.level == "C")
        // B: tasks 10 × 0.05 = 0.5, nothing else: 99.5, A. C: nothing against it: 100, A.
        #expect(rows.map(\.info.subject) == [Self.c, Self.b, Self.a])
        #expect(rows.map(\.score) == [100, 99.5, 65.34])
        #expect(rows.map(\.rank) == [1, 2, 3])
        #expect(rows.map(\.level) == ["A", "A", "C"])
    }

    @Test("a cap bounds a term however bad the figure")
    func caps() {
        var n = EvaluationCounts()
        n.add(Self.a, .tasks, 10_000)
        let row = ContractorCreditRow.ranking([EvaluationSubjectInfo(subject: Self.a, name: "a")], counts: n, scheme: ContractorCreditScheme())[0]
        // 10,000 tasks × 0.05 = 500, capped at 10; none handled: on-time shortfall 100 × 0.5 = 50, capped at 30.
        #expect(row.deductions["tasks"] == 10 && row.deductions["onTimeHandlingRate"] == 30)
        #expect(row.score == 60 && row.level == "C")
    }

    @Test("the formula's problems name the field")
    func problems() {
        var s = ContractorCreditScheme()
        #expect(s.problems().isEmpty)
        s.terms[0] = CreditTerm("validReportRate", .rate, points: 1, cap: 1)
        s.terms[1].points = -1
        s.terms[2] = CreditTerm("tasks", .rate, points: 1, cap: 1)
        s.levels = [GradeStep(50, "A"), GradeStep(80, "B")]
        #expect(s.problems().map(\.field) == ["terms[0].indicator", "terms[1].points", "terms[2].measure", "levels"])
        let data = try? JSONEncoder().encode(ContractorCreditScheme())
        #expect(data.flatMap { try? JSONDecoder().decode(ContractorCreditScheme.self, from: $0) } == ContractorCreditScheme())
    }

    @Test("the events of a contractor's vehicles are deducted per event up to each kind's cap; older formulas read with the default terms")
    func vehicleEvents() throws {
        let scheme = ContractorCreditScheme()
        let (score, deductions) = scheme.score([:], vehicleEvents: [.dumpingSuspected: 7, .speeding: 3, .offline: 4, .enteredSite: 50])
        // 7 × 5 capped at 30, 3 × 0.5; offline and site entries have no term.
        #expect(deductions == ["vehicle.dumping_suspected": 30, "vehicle.speeding": 1.5])
        #expect(score == 68.5)
        let rows = ContractorCreditRow.ranking(
            [EvaluationSubjectInfo(subject: Self.a, name: "a"), EvaluationSubjectInfo(subject: Self.b, name: "b")], counts: EvaluationCounts(), scheme: scheme,
            vehicleEvents: ["haulage-a": [.unpermittedTrip: 2]])
        #expect(rows.map(\.info.subject.id) == ["haulage-b", "haulage-a"])
        #expect(rows[1].deductions["vehicle.unpermitted_trip"] == 6 && rows[1].vehicleEvents == [.unpermittedTrip: 2])
        let old = #"{"base": 100, "terms": [], "levels": [{"minimum": 0, "grade": "D"}]}"#
        let read = try JSONDecoder().decode(ContractorCreditScheme.self, from: Data(old.utf8))
        #expect(read.vehicleTerms == VehicleCreditTerm.defaults && read.terms.isEmpty)
        var bad = ContractorCreditScheme()
        bad.vehicleTerms = [VehicleCreditTerm(.enteredSite, points: 1, cap: 1), VehicleCreditTerm(.offRoute, points: -1, cap: 1), VehicleCreditTerm(.offRoute, points: 1, cap: 1)]
        #expect(bad.problems().map(\.field) == ["vehicleTerms[0].kind", "vehicleTerms[1].points", "vehicleTerms[2].kind"])
    }
}
