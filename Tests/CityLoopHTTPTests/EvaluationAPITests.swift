import CityLoopDomain
import Foundation
import Hummingbird
import Testing

/// The evaluation office's API (综合评价) as its readers see it: after a week of cases driven through the loop
/// (`EvaluationScenario`), every ranking shows the figures a person counting by hand gets, the cases behind
/// each number, the change against the week before, the scheme of weights and the CSV export.
@Suite struct EvaluationAPITests {
    typealias F = EvalFigure
    static let week = EvaluationScenario.week

    /// Expects every listed indicator of a row to show the figure.
    static func expect(
        _ row: EvalRow?, _ want: [String: F], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let row else {
            Issue.record("no such row", sourceLocation: sourceLocation)
            return
        }
        for (id, figure) in want.sorted(by: { $0.key < $1.key }) {
            #expect(row.indicators[id] == figure, "\(row.subject) \(id)", sourceLocation: sourceLocation)
        }
    }

    /// Expects a ranking: scored rows first, best score first, ranked 1, 2, 3 … (equal scores share a rank); then
    /// the rows without a score, unranked.
    static func expectRanked(_ report: EvalReport, sourceLocation: SourceLocation = #_sourceLocation) {
        let scored = report.rows.prefix { $0.score != nil }
        #expect(
            report.rows.dropFirst(scored.count).allSatisfy { $0.score == nil && $0.rank == nil && $0.grade == nil },
            sourceLocation: sourceLocation)
        for (i, row) in scored.enumerated() {
            if i > 0, row.score == scored[scored.startIndex + i - 1].score {
                #expect(row.rank == scored[scored.startIndex + i - 1].rank, sourceLocation: sourceLocation)
            } else {
                #expect(row.rank == i + 1, "\(row.subject)", sourceLocation: sourceLocation)
            }
            if i > 0 { #expect(row.score! <= scored[scored.startIndex + i - 1].score!, sourceLocation: sourceLocation) }
        }
    }

    // MARK: - 1. The figures of every ranking

    @Test func everyRankingShowsTheWeeksFiguresCountedByHand() async throws {
        try await EvaluationScenario.serve { api, s in
            // MUT
            let departments = try await api.evaluation(Self.week, "department")

            // validate
            #expect(departments.period == .init(name: "2026-W50", kind: "week", from: "2026-12-07", to: "2026-12-13", previous: "2026-W49", days: 7))
            #expect(departments.subject == "department")
            #expect(departments.rows.count == api.city.platform.context.departments.count, "every department is listed")
            // Tasks dispatched to sanitation: A, B, C, D (E's first task was returned, so it is not due). Handled: A, B,
            // C; on time: A, C (B's report came after the deadline; C's last report was on time). C failed one check.
            // Returns: E, of 4 kept + 1 returned. Cases led by sanitation (filed, by filing day): A, B, C, D; closed A,
            // B, C; on time A, C; handled late B. Ratings: A satisfied, B dissatisfied.
            let sanitation = departments.row("sanitation")
            Self.expect(sanitation, [
                "tasks": F(4, 0, 4), "handlingRate": F(3, 4, 75), "onTimeHandlingRate": F(2, 4, 50), "reworkRate": F(1, 3, 33.33),
                "returnRate": F(1, 5, 20), "extensionRate": F(0, 4, 0), "filed": F(4, 0, 4), "closingRate": F(3, 4, 75),
                "onTimeClosingRate": F(2, 4, 50), "overdueRate": F(1, 4, 25), "suspensionRate": F(0, 4, 0), "recurrenceRate": F(2, 4, 50),
                "satisfactionRate": F(1, 2, 50),
            ])
            // 75 × 20 % + 50 × 40 % + (100 − 33.33) × 15 % + (100 − 20) × 10 % + 50 × 15 % = 60.5005 → 60.5, C (60–75).
            #expect(sanitation?.score == 60.5 && sanitation?.grade == "C", "\(String(describing: sanitation))")
            // Municipal got E after the return and closed it on time; nobody rated it, so satisfaction's 15 % drops out
            // and the other weights count as 85: 100.
            let municipal = departments.row("municipal")
            Self.expect(municipal, [
                "tasks": F(1, 0, 1), "handlingRate": F(1, 1, 100), "onTimeHandlingRate": F(1, 1, 100), "reworkRate": F(0, 1, 0),
                "returnRate": F(0, 1, 0), "filed": F(1, 0, 1), "closingRate": F(1, 1, 100), "onTimeClosingRate": F(1, 1, 100),
                "satisfactionRate": F(0, 0, nil),
            ])
            #expect(municipal?.score == 100 && municipal?.grade == "A")
            #expect(departments.rows.prefix(2).map(\.subject) == ["municipal", "sanitation"])
            #expect(departments.rows.prefix(2).map(\.rank) == [1, 2])
            Self.expectRanked(departments)
            // The week before holds nothing: no previous score, no change, zero figures.
            #expect(sanitation?.previousScore == nil && sanitation?.change == nil)
            #expect(sanitation?.previousIndicators["tasks"] == F(0, 0, 0))
            #expect(sanitation?.previousIndicators["handlingRate"] == F(0, 0, nil))

            // The city: reported A–G (7); filed A–F (6); due to close A–E (F was voided); closed A, B, C, E; on time A,
            // C, E; from the public A, B, D, E (C and F are the inspector's own); B handled late; C reworked; F voided.
            // B, C, E and F were reported at A's place, of A's class, after A (then B, C …) was closed: recurrences (复发).
            // (Sanitation led B and C of them: 2 of its 4.)
            let city = try await api.evaluation(Self.week, "city")
            #expect(city.rows.count == 1)
            let whole = city.row("")
            #expect(whole?.name == "郑州市" && whole?.kind == "city")
            Self.expect(whole, [
                "reported": F(7, 0, 7), "filed": F(6, 0, 6), "closingRate": F(4, 5, 80), "onTimeClosingRate": F(3, 5, 60),
                "publicReportRate": F(4, 6, 66.67), "missedRate": F(4, 6, 66.67), "overdueRate": F(1, 6, 16.67),
                "caseReworkRate": F(1, 6, 16.67), "caseExtensionRate": F(0, 6, 0), "suspensionRate": F(0, 6, 0), "voidRate": F(1, 6, 16.67),
                "recurrenceRate": F(4, 6, 66.67), "satisfactionRate": F(1, 2, 50),
            ])
            // 80 × 20 % + 60 × 40 % + (100 − 66.67) × 15 % + (100 − 16.67) × 10 % + 50 × 15 % = 60.8325 → 60.83, C.
            #expect(whole?.score == 60.83 && whole?.grade == "C" && whole?.rank == 1)

            // Districts: D alone in district 2; the rest in district 1.
            let districts = try await api.evaluation(Self.week, "district")
            #expect(districts.rows.count == api.city.platform.context.map.areas.values.filter { $0.level == .district }.count)
            let d1 = districts.row(s.district1), d2 = districts.row(s.district2)
            Self.expect(d1, [
                "reported": F(6, 0, 6), "filed": F(5, 0, 5), "closingRate": F(4, 4, 100), "onTimeClosingRate": F(3, 4, 75),
                "publicReportRate": F(3, 5, 60), "overdueRate": F(1, 5, 20), "caseReworkRate": F(1, 5, 20), "voidRate": F(1, 5, 20),
                "satisfactionRate": F(1, 2, 50), "recurrenceRate": F(4, 5, 80),
            ])
            // 100 × 20 % + 75 × 40 % + (100 − 80) × 15 % + 80 × 10 % + 50 × 15 % = 68.5, C.
            #expect(d1?.score == 68.5 && d1?.grade == "C")
            Self.expect(d2, [
                "reported": F(1, 0, 1), "filed": F(1, 0, 1), "closingRate": F(0, 1, 0), "onTimeClosingRate": F(0, 1, 0),
                "publicReportRate": F(1, 1, 100), "overdueRate": F(0, 1, 0), "satisfactionRate": F(0, 0, nil),
            ])
            // (0 × 20 + 0 × 40 + 100 × 15 + 100 × 10) / 85 = 29.41, E.
            #expect(d2?.score == 29.41 && d2?.grade == "E")
            #expect(districts.rows.prefix(2).map(\.subject) == [s.district1, s.district2])
            #expect(districts.rows.filter { $0.score != nil }.count == 2, "districts without cases have no score")
            Self.expectRanked(districts)
            // Each district's cases lie in one street, which shows the same figures.
            let streets = try await api.evaluation(Self.week, "street")
            #expect(streets.row(s.street1)?.indicators == d1?.indicators && streets.row(s.street1)?.score == 68.5)
            #expect(streets.row(s.street2)?.indicators == d2?.indicators && streets.row(s.street2)?.score == 29.41)
            Self.expectRanked(streets)

            // The district inspector reported C and F (F voided: 1 of 2 valid); verified A, B, E twice (once late) and
            // refuted G: 4 of 5 on time; checked A, B, C twice (the pass late), E: 4 of 5 on time. Their missed rate is
            // their district's: 3 of 5 filed cases came from the public.
            let inspectors = try await api.evaluation(Self.week, "inspector")
            #expect(inspectors.subject == "inspector")
            let inspector = inspectors.row("u-inspector")
            Self.expect(inspector, [
                "inspectorReports": F(2, 0, 2), "validReportRate": F(1, 2, 50), "onTimeVerificationRate": F(4, 5, 80),
                "onTimeCheckRate": F(4, 5, 80), "missedRate": F(3, 5, 60),
            ])
            // 50 × 40 % + (100 − 60) × 20 % + 80 × 20 % + 80 × 20 % = 60, C.
            #expect(inspector?.score == 60 && inspector?.grade == "C" && inspector?.rank == 1)
            // Street 1's inspector did nothing, but their street's missed rate is 60: (100 − 60) = 40, D.
            let street1 = inspectors.row("u-\(s.inspector1)")
            Self.expect(street1, ["onTimeVerificationRate": F(0, 0, nil), "missedRate": F(3, 5, 60)])
            #expect(street1?.score == 40 && street1?.grade == "D" && street1?.rank == 2)
            // Street 2's inspector verified D late; D came from the public: missed 100 %. Score 0, E.
            let street2 = inspectors.row("u-\(s.inspector2)")
            Self.expect(street2, ["onTimeVerificationRate": F(0, 1, 0), "validReportRate": F(0, 0, nil), "missedRate": F(1, 1, 100)])
            #expect(street2?.score == 0 && street2?.grade == "E" && street2?.rank == 3)
            #expect(inspectors.rows.filter { $0.score != nil }.count == 3)
            Self.expectRanked(inspectors)

            // The operator sent checks for A, B, C (first late, then again), E: 4 of 5 on time; sent E's verification on
            // time; filed D. Workload: 5 checks + 1 verification + 1 filing = 7, under the lowest volume step.
            let operators = try await api.evaluation(Self.week, "operator")
            let op = operators.row("u-operator")
            Self.expect(op, ["operatorWork": F(7, 0, 7), "onTimeVerificationDispatchRate": F(1, 1, 100), "onTimeCheckDispatchRate": F(4, 5, 80)])
            // 0 × 25 % + 100 × 40 % + 80 × 35 % = 68, C.
            #expect(op?.score == 68 && op?.grade == "C" && op?.rank == 1)
            #expect(operators.rows.map(\.subject) == ["u-operator"])

            // The shift lead filed A, B, C (late), E, F (voided, so not accurate) and closed A, B, C (late), E.
            let leads = try await api.evaluation(Self.week, "shiftlead")
            #expect(leads.subject == "shiftlead")
            let lead = leads.row("u-shiftlead")
            Self.expect(lead, [
                "filings": F(5, 0, 5), "onTimeFilingRate": F(4, 5, 80), "accurateFilingRate": F(4, 5, 80), "onTimeClosingActionRate": F(3, 4, 75),
            ])
            // 80 × 25 % + 80 × 40 % + 75 × 35 % = 78.25, B.
            #expect(lead?.score == 78.25 && lead?.grade == "B" && lead?.rank == 1)
            #expect(lead?.previousScore == nil && lead?.change == nil)

            // The dispatcher dispatched A, B, C (late), D, E to sanitation and E again to municipal: 5 of 6 on time;
            // every dispatch but E's first (returned) was accurate.
            let dispatchers = try await api.evaluation(Self.week, "dispatcher")
            let dispatcher = dispatchers.row("u-dispatcher")
            Self.expect(dispatcher, ["dispatches": F(6, 0, 6), "onTimeDispatchRate": F(5, 6, 83.33), "accurateDispatchRate": F(5, 6, 83.33)])
            // 0 × 20 % + 83.33 × 40 % + 83.33 × 40 % = 66.664 → 66.66, C.
            #expect(dispatcher?.score == 66.66 && dispatcher?.grade == "C")

            // Without a period, the current month; without a subject, departments.
            let current = try await api.get("/api/v1/evaluation", as: "shiftlead")
            #expect(current.status == .ok)
            #expect(current.string("period.name") == "2026-12" && current.string("subject") == "department")
            #expect(current.string("period.previous") == "2026-11" && current.int("period.days") == 31)
        }
    }

    // MARK: - 2. The cases behind a number

    @Test func theCasesBehindANumberAreTheCasesCountedAndPage() async throws {
        try await EvaluationScenario.serve { api, s in
            // setup
            let departments = try await api.evaluation(Self.week, "department")
            let onTime = try #require(departments.row("sanitation")?.indicators["onTimeHandlingRate"])
            let city = try await api.evaluation(Self.week, "city")
            let closing = try #require(city.row("")?.indicators["closingRate"])
            let q = "period=\(Self.week)&subject=department&id=sanitation&indicator=onTimeHandlingRate"

            // MUT
            let numerator = try await api.evaluationCases(q + "&part=numerator")
            let denominator = try await api.evaluationCases(q + "&part=denominator")

            // validate
            #expect(numerator == [s.a.number, s.c.number] && numerator.count == onTime.numerator)
            #expect(denominator == [s.a.number, s.b.number, s.c.number, s.d.number] && denominator.count == onTime.denominator)
            #expect(try await api.evaluationCases(q) == numerator, "the numerator unless told")

            let due = "period=\(Self.week)&subject=city&indicator=closingRate&part=denominator"
            let all = try await api.evaluationCases(due)
            #expect(all == [s.a, s.b, s.c, s.d, s.e].map(\.number) && all.count == closing.denominator)
            #expect(try await api.evaluationCases("period=\(Self.week)&subject=city&indicator=closingRate").count == closing.numerator)
            // Pages of two, each after the last number of the one before.
            #expect(try await api.evaluationCases(due + "&limit=2") == [s.a.number, s.b.number])
            #expect(try await api.evaluationCases(due + "&limit=2&after=\(s.b.number)") == [s.c.number, s.d.number])
            #expect(try await api.evaluationCases(due + "&limit=2&after=\(s.d.number)") == [s.e.number])
            #expect(try await api.evaluationCases(due + "&limit=2&after=\(s.e.number)") == [])

            // A denominator of two counters (tasks kept + tasks returned): E is there by its return.
            let returns = "period=\(Self.week)&subject=department&id=sanitation&indicator=returnRate&part=denominator"
            #expect(try await api.evaluationCases(returns) == [s.a, s.b, s.c, s.d, s.e].map(\.number))
            #expect(try await api.evaluationCases(returns + "&limit=2&after=\(s.c.number)") == [s.d.number, s.e.number])
            #expect(try await api.evaluationCases("period=\(Self.week)&subject=department&id=sanitation&indicator=returnRate") == [s.e.number])

            // Areas and people.
            #expect(try await api.evaluationCases("period=\(Self.week)&subject=district&id=\(s.district2)&indicator=filed") == [s.d.number])
            #expect(
                try await api.evaluationCases("period=\(Self.week)&subject=street&id=\(s.street1)&indicator=closingRate")
                    == [s.a, s.b, s.c, s.e].map(\.number))
            let accurate = try await api.evaluationCases("period=\(Self.week)&subject=dispatcher&id=u-dispatcher&indicator=accurateDispatchRate")
            #expect(accurate == [s.a, s.b, s.c, s.d, s.e].map(\.number), "five accurate dispatches, one per case")
            #expect(
                try await api.evaluationCases("period=\(Self.week)&subject=shiftlead&id=u-shiftlead&indicator=accurateFilingRate&part=denominator")
                    == [s.a, s.b, s.c, s.e, s.f].map(\.number))
            // A case is listed once however often it counts: the inspector's 5 checks are of 4 cases (C was checked twice).
            #expect(
                try await api.evaluationCases("period=\(Self.week)&subject=inspector&id=u-inspector&indicator=onTimeCheckRate&part=denominator")
                    == [s.a, s.b, s.c, s.e].map(\.number))

            // Each case as the reader needs it to open it.
            let d = try await api.get("/api/v1/evaluation/cases?period=\(Self.week)&subject=district&id=\(s.district2)&indicator=filed", as: "admin")
            #expect(d.status == .ok)
            #expect(d.string("0.id") == s.d.id && d.string("0.state") == "in_progress" && d.string("0.matterCode") == "06010")
            #expect(d.date("0.createdAt") != nil)
            // Another week has none of them.
            #expect(try await api.evaluationCases("period=2026-W51&subject=city&indicator=closingRate&part=denominator") == [])
        }
    }

    // MARK: - 3. One more closed case, and the week after

    @Test func closingOneMoreCaseChangesItsCountsOnlyAndTheNextWeekComparesWithIt() async throws {
        try await EvaluationScenario.serve { start, s in
            // setup
            let before = try await Self.reports(start, Self.week)

            // MUT: the next Monday, D's handling report (now long overdue), the check and the closing.
            let api = start.at(ISO8601DateFormatter().date(from: "2026-12-14T01:00:00Z")!)
            try await api.step("report_handled", s.d.id, as: "handler", ["comment": "已清理"])
            try await api.step("send_check", s.d.id, as: "operator")
            try await api.step("check_pass", s.d.id, as: s.inspector2)
            try await api.step("close", s.d.id, as: "shiftlead")
            let after = try await Self.reports(api, Self.week)

            // validate: the week D was filed and dispatched in gains D as closed (late) and as a handled task; nothing else moves.
            func changed(_ report: String, _ subject: String, _ figures: [String: F], sourceLocation: SourceLocation = #_sourceLocation) {
                let was = before[report]?.row(subject)?.indicators ?? [:]
                let now = after[report]?.row(subject)?.indicators ?? [:]
                #expect(!was.isEmpty, sourceLocation: sourceLocation)
                #expect(now == was.merging(figures) { _, new in new }, "\(report) \(subject)", sourceLocation: sourceLocation)
            }
            changed("city", "", ["closingRate": F(5, 5, 100), "overdueRate": F(2, 6, 33.33)])
            changed("district", s.district2, ["closingRate": F(1, 1, 100), "overdueRate": F(1, 1, 100)])
            changed("district", s.district1, [:])
            changed("department", "sanitation", [
                "handlingRate": F(4, 4, 100), "reworkRate": F(1, 4, 25), "closingRate": F(4, 4, 100), "overdueRate": F(2, 4, 50),
            ])
            changed("department", "municipal", [:])
            for (report, subject) in [
                ("operator", "u-operator"), ("shiftlead", "u-shiftlead"), ("dispatcher", "u-dispatcher"), ("inspector", "u-inspector"),
                ("inspector", "u-\(s.inspector2)"),
            ] {
                changed(report, subject, [:])
            }
            // 100 × 20 % + 60 × 40 % + (100 − 66.67) × 15 % + (100 − 33.33) × 10 % + 50 × 15 % = 63.1665 → 63.17.
            #expect(after["city"]?.row("")?.score == 63.17)
            // 100 × 20 % + 50 × 40 % + (100 − 25) × 15 % + 80 × 10 % + 50 × 15 % = 66.75.
            #expect(after["department"]?.row("sanitation")?.score == 66.75)
            #expect(
                try await api.evaluationCases("period=\(Self.week)&subject=city&indicator=closingRate") == [s.a, s.b, s.c, s.d, s.e].map(\.number))
            #expect(try await api.evaluationCases("period=\(Self.week)&subject=city&indicator=overdueRate") == [s.b.number, s.d.number])

            // The week after: only the people's actions of that Monday; every row compares with the week before.
            let next = try await Self.reports(api, "2026-W51")
            #expect(next["city"]?.period.previous == Self.week)
            for (report, subject) in [
                ("city", ""), ("district", s.district2), ("department", "sanitation"), ("operator", "u-operator"), ("shiftlead", "u-shiftlead"),
                ("inspector", "u-\(s.inspector2)"),
            ] {
                let row = next[report]?.row(subject), previous = after[report]?.row(subject)
                #expect(row?.previousIndicators == previous?.indicators, "\(report) \(subject)")
                #expect(row?.previousScore == previous?.score, "\(report) \(subject)")
            }
            // No case was filed in W51: the city has nothing due, no score and so no change.
            let city = next["city"]?.row("")
            #expect(city?.indicators["filed"] == F(0, 0, 0) && city?.score == nil && city?.change == nil && city?.previousScore == 63.17)
            // The shift lead closed D on time: 100, against 78.25 → +21.75.
            let lead = next["shiftlead"]?.row("u-shiftlead")
            Self.expect(lead, ["filings": F(0, 0, 0), "onTimeClosingActionRate": F(1, 1, 100)])
            #expect(lead?.score == 100 && lead?.previousScore == 78.25 && lead?.change == 21.75 && lead?.grade == "A")
            // The operator sent one check on time: (0 × 25 + 100 × 35) / 60 = 58.33, against 68 → −9.67.
            let op = next["operator"]?.row("u-operator")
            Self.expect(op, ["operatorWork": F(1, 0, 1), "onTimeCheckDispatchRate": F(1, 1, 100), "onTimeVerificationDispatchRate": F(0, 0, nil)])
            #expect(op?.score == 58.33 && op?.change == -9.67 && op?.grade == "D")
            // Street 2's inspector checked D on time: 100 against 0.
            let inspector2 = next["inspector"]?.row("u-\(s.inspector2)")
            #expect(inspector2?.indicators["onTimeCheckRate"] == F(1, 1, 100) && inspector2?.score == 100 && inspector2?.change == 100)

            // The month holds both weeks; its previous month, the demo's history, is reported as that month's own figures.
            let month = try await api.evaluation("2026-12", "shiftlead")
            Self.expect(month.row("u-shiftlead"), ["onTimeFilingRate": F(4, 5, 80), "onTimeClosingActionRate": F(4, 5, 80)])
            #expect(month.row("u-shiftlead")?.score == 80)
            for subject in ["city", "department", "shiftlead"] {
                let december = try await api.evaluation("2026-12", subject)
                let november = try await api.evaluation("2026-11", subject)
                #expect(december.period.previous == "2026-11")
                for row in november.rows {
                    let shown = december.row(row.subject)
                    #expect(shown?.previousIndicators == row.indicators && shown?.previousScore == row.score, "\(subject) \(row.subject)")
                }
            }
            #expect(try await api.evaluation("2026-11", "city").row("")?.indicators["reported"]?.numerator ?? 0 > 0, "the demo's history")
        }
    }

    /// The reports of the kinds the incremental test compares, by subject.
    static func reports(_ api: API, _ period: String) async throws -> [String: EvalReport] {
        var out: [String: EvalReport] = [:]
        for subject in ["city", "district", "department", "inspector", "operator", "shiftlead", "dispatcher"] {
            out[subject] = try await api.evaluation(period, subject)
        }
        return out
    }

    @Test func correctingACasesPlaceMovesItsCountsToTheOtherDistrict() async throws {
        try await TestCity.serve { start in
            // setup
            let api = start.at(EvaluationScenario.monday)
            let (g1, g2) = try EvaluationScenario.twoDistricts(api.city)
            let p2 = g2.boundary.interiorPoint
            let (c, _) = try await api.opened(as: "citizen", garbageReport(at: g1.boundary.interiorPoint))
            let before = try await api.evaluation(Self.week, "district")
            #expect(before.row(g1.districtCode)?.indicators["reported"] == F(1, 0, 1))
            #expect(before.row(g2.districtCode)?.indicators["reported"] == F(0, 0, 0))

            // MUT
            try await api.step("correct", c.id, as: "operator", ["lat": p2.lat, "lon": p2.lon])

            // validate
            let after = try await api.evaluation(Self.week, "district")
            #expect(after.row(g1.districtCode)?.indicators["reported"] == F(0, 0, 0))
            #expect(after.row(g2.districtCode)?.indicators["reported"] == F(1, 0, 1))
            #expect(try await api.evaluation(Self.week, "city").row("")?.indicators["reported"] == F(1, 0, 1))
            let streets = try await api.evaluation(Self.week, "street")
            #expect(streets.row(g1.streetCode)?.indicators["reported"] == F(0, 0, 0))
            #expect(streets.row(g2.streetCode)?.indicators["reported"] == F(1, 0, 1))
            #expect(try await api.evaluationCases("period=\(Self.week)&subject=district&id=\(g2.districtCode)&indicator=reported") == [c.number])
            #expect(try await api.evaluationCases("period=\(Self.week)&subject=district&id=\(g1.districtCode)&indicator=reported") == [])
            // The correction is the operator's work.
            #expect(try await api.evaluation(Self.week, "operator").row("u-operator")?.indicators["operatorWork"] == F(1, 0, 1))
        }
    }

    @Test func everyKindOfPeriodCountsTheCitysLocalDays() async throws {
        try await TestCity.serve { start in
            // setup: one report half an hour before midnight ending Sunday 13 December in local time (UTC+8), one half
            // an hour after.
            var api = start.at(ISO8601DateFormatter().date(from: "2026-12-13T15:30:00Z")!)
            let (sunday, _) = try await api.opened(as: "citizen", garbageReport(at: api.city.point))
            api = api.at(ISO8601DateFormatter().date(from: "2026-12-13T16:30:00Z")!)
            let (monday, _) = try await api.opened(as: "citizen", garbageReport(at: api.city.point))
            #expect(sunday.number.contains("20261213") && monday.number.contains("20261214"))
            // The demo's history lies in November.
            let november = try #require(try await api.evaluation("2026-11", "city").row("")?.indicators["reported"]?.numerator)
            #expect(november > 0)

            let want: [(period: String, kind: String, from: String, to: String, previous: String, days: Int, reported: Int, before: Int)] = [
                ("2026-12-13", "day", "2026-12-13", "2026-12-13", "2026-12-12", 1, 1, 0),
                ("2026-12-14", "day", "2026-12-14", "2026-12-14", "2026-12-13", 1, 1, 1),
                ("2026-W50", "week", "2026-12-07", "2026-12-13", "2026-W49", 7, 1, 0),
                ("2026-W51", "week", "2026-12-14", "2026-12-20", "2026-W50", 7, 1, 1),
                ("2026-12-13..2026-12-14", "custom", "2026-12-13", "2026-12-14", "2026-12-11..2026-12-12", 2, 2, 0),
                ("2026-12", "month", "2026-12-01", "2026-12-31", "2026-11", 31, 2, november),
                ("2026-Q4", "quarter", "2026-10-01", "2026-12-31", "2026-Q3", 92, november + 2, 0),
                ("2026", "year", "2026-01-01", "2026-12-31", "2025", 365, november + 2, 0),
                ("2027-W01", "week", "2027-01-04", "2027-01-10", "2026-W53", 7, 0, 0),
            ]
            for w in want {
                // MUT
                let report = try await api.evaluation(w.period, "city")

                // validate
                #expect(report.period == .init(name: w.period, kind: w.kind, from: w.from, to: w.to, previous: w.previous, days: w.days))
                #expect(report.row("")?.indicators["reported"]?.numerator == w.reported, "\(w.period)")
                #expect(report.row("")?.previousIndicators["reported"]?.numerator == w.before, "\(w.period)")
            }
            #expect(try await api.evaluationCases("period=2026-12-13&subject=city&indicator=reported") == [sunday.number])
            #expect(try await api.evaluationCases("period=2026-W51&subject=city&indicator=reported") == [monday.number])
            // Without a period, the month of the city's today: at 00:30 on 1 December local time it is still 30 November
            // in UTC.
            let firstOfMonth = api.at(ISO8601DateFormatter().date(from: "2026-11-30T16:30:00Z")!)
            let current = try await firstOfMonth.get("/api/v1/evaluation?subject=city", as: "leader")
            #expect(current.string("period.name") == "2026-12", "\(current)")
        }
    }
}
