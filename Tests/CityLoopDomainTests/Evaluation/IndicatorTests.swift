import CityLoopDomain
import Foundation
import Testing

@Suite("Indicator: rates of counters, checked against cases counted by hand")
struct IndicatorTests {
    /// The value of an indicator for a subject.
    func value(_ id: String, _ subject: EvaluationSubject, _ counts: EvaluationCounts) throws -> IndicatorValue {
        try #require(Indicator.named(id)).value(for: subject, in: counts)
    }

    /// The rate of an indicator for a subject.
    func rate(_ id: String, _ subject: EvaluationSubject, _ counts: EvaluationCounts) throws -> Double? {
        try value(id, subject, counts).value
    }

    @Test("the small city's area counters and rates, counted by hand")
    func smallCityAreas() throws {
        // setup: A (citizen, every step on time, satisfied), B (citizen, every step late, dissatisfied),
        // S (inspector, self-handled, approved on time), V (inspector, filed and dispatched, then voided).
        let n = evaluationCounts(try Scenario.smallCity())

        // validate the counters
        #expect(n[.city, .reported] == 4)  // A, B, S, V
        #expect(n[.city, .filed] == 4)  // all four were filed (S by its approval)
        #expect(n[.city, .dueToClose] == 3)  // V is voided
        #expect(n[.city, .closed] == 3)  // A, B, S
        #expect(n[.city, .closedOnTime] == 2)  // A, S (no handling report: nothing late); B's report was late
        #expect(n[.city, .filedFromPublic] == 2)  // A, B came from citizens
        #expect(n[.city, .overdueCases] == 1)  // B
        #expect(n[.city, .voidedCases] == 1)  // V
        #expect(n[.city, .ratings] == 2 && n[.city, .ratingsSatisfied] == 1)  // A satisfied, B dissatisfied

        // validate the rates
        #expect(try rate("closingRate", .city, n) == 100)  // 3 / 3
        #expect(try rate("onTimeClosingRate", .city, n) == 66.67)  // 2 / 3
        #expect(try rate("publicReportRate", .city, n) == 50)  // 2 / 4
        #expect(try rate("missedRate", .city, n) == 50)  // 2 / 4: public reports no inspector reported first
        #expect(try rate("overdueRate", .city, n) == 25)  // 1 / 4
        #expect(try rate("voidRate", .city, n) == 25)  // 1 / 4
        #expect(try rate("satisfactionRate", .city, n) == 50)  // 1 / 2
        #expect(try rate("caseReworkRate", .city, n) == 0)  // 0 / 4
        #expect(try rate("caseExtensionRate", .city, n) == 0)
        #expect(try rate("suspensionRate", .city, n) == 0)
        #expect(try rate("recurrenceRate", .city, n) == 0)
        #expect(try value("reported", .city, n) == IndicatorValue(numerator: 4, denominator: 0, value: 4))
        #expect(try value("onTimeClosingRate", .city, n) == IndicatorValue(numerator: 2, denominator: 3, value: 66.67))
        // One grid: its district and street count the same.
        for area in [Subjects.district, Subjects.street] {
            #expect(try value("onTimeClosingRate", area, n) == value("onTimeClosingRate", .city, n))
        }
    }

    @Test("the small city's department counters and rates, counted by hand")
    func smallCityDepartment() throws {
        let n = evaluationCounts(try Scenario.smallCity())
        let san = Subjects.sanitation
        // Sanitation led A, B and V; S never had a department.
        #expect(n[san, .filed] == 3 && n[san, .dueToClose] == 2 && n[san, .closed] == 2 && n[san, .closedOnTime] == 1)
        // V was voided while with it: a cancelled task charges the department nothing.
        #expect(n[san, .tasks] == 2)  // A and B were dispatched to it and not returned
        #expect(n[san, .tasksHandled] == 2)  // A, B
        #expect(n[san, .tasksHandledOnTime] == 1)  // A
        #expect(try rate("handlingRate", san, n) == 100)  // 2 / 2
        #expect(try rate("onTimeHandlingRate", san, n) == 50)  // 1 / 2
        #expect(try rate("reworkRate", san, n) == 0)  // 0 / 2 handled
        #expect(try rate("extensionRate", san, n) == 0)  // 0 / 2
        #expect(try rate("returnRate", san, n) == 0)  // 0 / (2 + 0)
        #expect(try rate("closingRate", san, n) == 100)  // 2 / 2
        #expect(try rate("onTimeClosingRate", san, n) == 50)  // 1 / 2
        #expect(try rate("overdueRate", san, n) == 33.33)  // 1 / 3
        #expect(try rate("satisfactionRate", san, n) == 50)  // 1 / 2
    }

    @Test("the small city's people's counters and rates, counted by hand")
    func smallCityPeople() throws {
        let n = evaluationCounts(try Scenario.smallCity())
        // Inspector: reported S and V (S valid, V voided); verified A on time and B late; checked A on time, B late.
        #expect(try value("inspectorReports", Subjects.inspector, n).value == 2)
        #expect(try value("validReportRate", Subjects.inspector, n) == IndicatorValue(numerator: 1, denominator: 2, value: 50))
        #expect(try value("onTimeVerificationRate", Subjects.inspector, n) == IndicatorValue(numerator: 1, denominator: 2, value: 50))
        #expect(try value("onTimeCheckRate", Subjects.inspector, n) == IndicatorValue(numerator: 1, denominator: 2, value: 50))
        // Operator: sent A's check on time and B's late; no verification sent.
        #expect(try value("operatorWork", Subjects.op, n).value == 2)
        #expect(try value("onTimeCheckDispatchRate", Subjects.op, n) == IndicatorValue(numerator: 1, denominator: 2, value: 50))
        #expect(try value("onTimeVerificationDispatchRate", Subjects.op, n) == IndicatorValue(numerator: 0, denominator: 0, value: nil))
        // Shift lead: filed A, S, V on time and B late (V voided); closed A on time and B late.
        #expect(try value("filings", Subjects.shiftLead, n).value == 4)
        #expect(try value("onTimeFilingRate", Subjects.shiftLead, n) == IndicatorValue(numerator: 3, denominator: 4, value: 75))
        #expect(try value("accurateFilingRate", Subjects.shiftLead, n) == IndicatorValue(numerator: 3, denominator: 4, value: 75))
        #expect(try value("onTimeClosingActionRate", Subjects.shiftLead, n) == IndicatorValue(numerator: 1, denominator: 2, value: 50))
        // Dispatcher: dispatched A and V on time, B late; none returned.
        #expect(try value("dispatches", Subjects.dispatcher, n).value == 3)
        #expect(try value("onTimeDispatchRate", Subjects.dispatcher, n) == IndicatorValue(numerator: 2, denominator: 3, value: 66.67))
        #expect(try value("accurateDispatchRate", Subjects.dispatcher, n) == IndicatorValue(numerator: 3, denominator: 3, value: 100))
    }

    @Test("actions count on their own day: Monday alone has A's and B's first steps")
    func mondayOnly() throws {
        let n = evaluationCounts(try Scenario.smallCity(), days: EvalDay.monday...EvalDay.monday)
        #expect(n[.city, .reported] == 2)  // A, B (S and V came on Tuesday)
        #expect(try rate("onTimeClosingRate", .city, n) == 50)  // A and B filed on Monday, A closed on time
        #expect(try rate("onTimeFilingRate", Subjects.shiftLead, n) == 50)  // A on time, B late
        #expect(try rate("onTimeCheckRate", Subjects.inspector, n) == 100)  // B's late check was on Wednesday
        #expect(try rate("onTimeClosingActionRate", Subjects.shiftLead, n) == 100)  // B closed on Wednesday
        #expect(try rate("satisfactionRate", .city, n) == 100)  // B rated on Wednesday
        #expect(try rate("validReportRate", Subjects.inspector, n) == nil)  // no inspector report on Monday
    }

    @Test("all overdue: every on-time rate is 0 %")
    func allOverdue() throws {
        let n = evaluationCounts([try Scenario.late()])
        for (id, subject) in [
            ("onTimeClosingRate", EvaluationSubject.city), ("onTimeClosingRate", Subjects.sanitation),
            ("onTimeHandlingRate", Subjects.sanitation), ("onTimeVerificationRate", Subjects.inspector),
            ("onTimeCheckRate", Subjects.inspector), ("onTimeCheckDispatchRate", Subjects.op),
            ("onTimeFilingRate", Subjects.shiftLead), ("onTimeClosingActionRate", Subjects.shiftLead),
            ("onTimeDispatchRate", Subjects.dispatcher),
        ] {
            #expect(try rate(id, subject, n) == 0, "\(id)")
        }
        #expect(try rate("overdueRate", .city, n) == 100)
        #expect(try rate("closingRate", .city, n) == 100)  // late, but closed
    }

    @Test("no cases at all: every rate is nil and every count 0")
    func noCases() throws {
        let n = evaluationCounts([])
        for ind in Indicator.all {
            for subject in [EvaluationSubject.city, Subjects.district, Subjects.sanitation, Subjects.inspector] {
                let v = ind.value(for: subject, in: n)
                #expect(v.numerator == 0 && v.denominator == 0)
                #expect(v.value == (ind.isRate ? nil : 0), "\(ind.id)")
            }
        }
    }

    @Test("the return rate's denominator is every task the department got, returned ones included")
    func returnRate() throws {
        let n = evaluationCounts([try Scenario.returnedAndRedispatched()])
        // Sanitation: one task returned, one kept → 1 / (1 + 1). Municipal: its only task redispatched away → 1 / 1.
        #expect(try value("returnRate", Subjects.sanitation, n) == IndicatorValue(numerator: 1, denominator: 2, value: 50))
        #expect(try value("returnRate", Subjects.municipal, n) == IndicatorValue(numerator: 1, denominator: 1, value: 100))
        #expect(try rate("handlingRate", Subjects.municipal, n) == nil)  // no task due
        #expect(try rate("accurateDispatchRate", Subjects.dispatcher, n) == 33.33)  // 1 / 3
    }

    @Test("rates are percent with two decimals", arguments: [
        (2, 3, 66.67), (1, 3, 33.33), (1, 8, 12.5), (0, 5, 0), (5, 5, 100), (1, 7, 14.29), (1, 200_000, 0),
    ])
    func percent(num: Int, den: Int, expected: Double) {
        #expect(Indicator.percent(num, den) == expected)
    }

    @Test("a rate sums several counters: numerator and denominator are reported with the rate")
    func valueParts() {
        var n = EvaluationCounts()
        n.add(Subjects.sanitation, .tasks, 6)
        n.add(Subjects.sanitation, .tasksReturned, 2)
        let v = Indicator.named("returnRate")!.value(for: Subjects.sanitation, in: n)
        #expect(v == IndicatorValue(numerator: 2, denominator: 8, value: 25))
        // Another subject's counts are not mixed in.
        #expect(Indicator.named("returnRate")!.value(for: Subjects.municipal, in: n).value == nil)
    }

    @Test("each kind and role reports its own indicators")
    func reported() {
        // An inspector's missed rate is their areas' (see EvaluationReport.values).
        #expect(Indicator.reported(for: .user, role: .inspector).map(\.id) == [
            "inspectorReports", "validReportRate", "missedRate", "onTimeVerificationRate", "onTimeCheckRate",
        ])
        #expect(Indicator.reported(for: .user, role: .operator).map(\.id) == [
            "operatorWork", "onTimeVerificationDispatchRate", "onTimeCheckDispatchRate",
        ])
        #expect(Indicator.reported(for: .user, role: .shiftLead).map(\.id) == [
            "filings", "onTimeFilingRate", "accurateFilingRate", "onTimeClosingActionRate",
        ])
        #expect(Indicator.reported(for: .user, role: .dispatcher).map(\.id) == ["dispatches", "onTimeDispatchRate", "accurateDispatchRate"])
        #expect(Indicator.reported(for: .user, role: .citizen).isEmpty)
        let department = Set(Indicator.reported(for: .department).map(\.id))
        #expect(department.isSuperset(of: ["handlingRate", "onTimeHandlingRate", "reworkRate", "returnRate", "closingRate", "satisfactionRate"]))
        #expect(!department.contains("publicReportRate") && !department.contains("reported"))
        let street = Set(Indicator.reported(for: .street).map(\.id))
        #expect(street == Set(Indicator.reported(for: .city).map(\.id)))
        #expect(!street.contains("handlingRate") && street.contains("missedRate"))
    }

    @Test("indicator IDs are unique, named, and lower-is-better ones say so")
    func catalogue() {
        let ids = Indicator.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        for ind in Indicator.all { #expect(Indicator.named(ind.id) == ind) }
        #expect(Indicator.named("nope") == nil)
        let lowerIsBetter = Set(Indicator.all.filter { !$0.higherIsBetter }.map(\.id))
        #expect(lowerIsBetter == [
            "missedRate", "overdueRate", "caseReworkRate", "caseExtensionRate", "suspensionRate", "voidRate", "recurrenceRate",
            "reworkRate", "extensionRate", "returnRate",
        ])
    }

    @Test("counters keep their stored numbers and have names")
    func counters() {
        #expect(EvaluationCounter.reported.rawValue == 1 && EvaluationCounter.dueToClose.rawValue == 12)
        #expect(EvaluationCounter.inspectorReports.rawValue == 20 && EvaluationCounter.ratingsSatisfied.rawValue == 71)
        for c in EvaluationCounter.allCases {
            #expect(!c.chineseName.isEmpty && !c.englishName.isEmpty)
            #expect(EvaluationCounter.named("\(c)") == c)
        }
        #expect(EvaluationCounter.closedOnTime.chineseName == "按期结案数")
        #expect(EvaluationCounter.named("closed_on_time") == nil)
    }
}
