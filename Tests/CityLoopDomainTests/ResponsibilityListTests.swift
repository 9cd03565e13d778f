import CityLoopDemo
import CityLoopDomain
import Testing

@Suite("ResponsibilityList")
struct ResponsibilityListTests {
    let cal = WorkingCalendar()
    let grid = "410102001001001"

    func rule(_ id: String, _ matter: String, _ dept: String, area: String? = nil, _ limits: [Urgency: TimeLimit] = [.normal: .hours(8)])
        -> ResponsibilityRule
    {
        ResponsibilityRule(id: id, matter: matter, areaCode: area, departmentID: DepartmentID(dept), limits: limits)
    }

    func department(_ d: RoutingDecision) -> String? {
        if case .department(let id, _, _) = d { return id.rawValue }
        return nil
    }

    @Test("indexed routing picks what testing every rule in order picks, on random lists")
    func indexedEqualsScan() throws {
        var rng = DemoRandom(seed: 7, stream: 1)
        let matters = ["*", "06", "09", "06001", "06010", "09001"]
        let areas: [String?] = [nil, "", "410102", "410103", "410102001", "410102002", "410102001001", "410102001001001"]
        let depts = ["a", "b", "c", "d"]
        for round in 0..<300 {
            var rules: [ResponsibilityRule] = []
            var taken: [String: String] = [:]
            for i in 0..<Int(rng.next() % 12) {
                let m = matters[Int(rng.next() % UInt64(matters.count))], a = areas[Int(rng.next() % UInt64(areas.count))]
                let key = m + "|" + (a ?? "")
                // Same matter and area twice only with the same department (anything else is a refused conflict).
                let d = taken[key] ?? depts[Int(rng.next() % UInt64(depts.count))]
                taken[key] = d
                rules.append(rule("r\(i)", m, d, area: a))
            }
            let list = try ResponsibilityList(rules: rules)
            for matter in ["06001", "06010", "06099", "09001", "01001"] {
                for grid in ["410102001001001", "410102001002001", "410102002001001", "410103001001001", "420101001001001"] {
                    var best: ResponsibilityRule?
                    for r in rules where r.matches(matter: matter, gridCode: grid) {
                        let rank = { (x: ResponsibilityRule) in (x.matter == "*" ? 0 : x.matter.count == 2 ? 1 : 2, (x.areaCode ?? "").count) }
                        if best == nil || rank(r) > rank(best!) { best = r }
                    }
                    let expected: RoutingDecision = best.map { .department($0.departmentID, ruleID: $0.id, limitMinutes: 480) } ?? .noOwner
                    #expect(list.route(matter: matter, gridCode: grid, urgency: .normal, calendar: cal) == expected, "round \(round) \(matter) \(grid)")
                }
            }
        }
    }

    @Test("an exact class beats a major class, which beats *")
    func matterSpecificity() throws {
        let list = try ResponsibilityList(rules: [
            rule("any", "*", "street"), rule("major", "06", "sanitation"), rule("exact", "06001", "enforcement"),
        ])
        #expect(department(list.route(matter: "06001", gridCode: grid, urgency: .normal, calendar: cal)) == "enforcement")
        #expect(department(list.route(matter: "06010", gridCode: grid, urgency: .normal, calendar: cal)) == "sanitation")
        #expect(department(list.route(matter: "09001", gridCode: grid, urgency: .normal, calendar: cal)) == "street")
    }

    @Test("matter specificity comes before area: a city-wide exact class beats a community's major class")
    func matterBeforeArea() throws {
        let list = try ResponsibilityList(rules: [
            rule("community-major", "06", "street", area: "410102001001"), rule("city-exact", "06010", "sanitation"),
        ])
        let d = list.route(matter: "06010", gridCode: grid, urgency: .normal, calendar: cal)
        #expect(d == .department("sanitation", ruleID: "city-exact", limitMinutes: 480))
    }

    @Test("the longest matching area prefix wins, in any rule order")
    func longestArea() throws {
        let rules = [
            rule("city", "*", "municipal"), rule("district", "*", "district-office", area: "410102"),
            rule("street", "*", "street-office", area: "410102001"), rule("community", "*", "community-office", area: "410102001001"),
        ]
        for order in [rules, rules.reversed()] {
            let list = try ResponsibilityList(rules: order)
            #expect(department(list.route(matter: "06010", gridCode: grid, urgency: .normal, calendar: cal)) == "community-office")
            #expect(department(list.route(matter: "06010", gridCode: "410102001002001", urgency: .normal, calendar: cal)) == "street-office")
            #expect(department(list.route(matter: "06010", gridCode: "410102002001001", urgency: .normal, calendar: cal)) == "district-office")
            #expect(department(list.route(matter: "06010", gridCode: "410103001001001", urgency: .normal, calendar: cal)) == "municipal")
        }
    }

    @Test("a rule for another area does not apply")
    func otherArea() throws {
        let list = try ResponsibilityList(rules: [rule("other", "06", "sanitation", area: "410103")])
        #expect(list.route(matter: "06010", gridCode: grid, urgency: .normal, calendar: cal) == .noOwner)
    }

    @Test("nothing matching means no owner, never a guess")
    func noOwner() throws {
        let list = try ResponsibilityList(rules: [rule("ads", "07", "enforcement")])
        #expect(list.route(matter: "06010", gridCode: grid, urgency: .normal, calendar: cal) == .noOwner)
        #expect(ResponsibilityList.empty.route(matter: "06010", gridCode: grid, urgency: .urgent, calendar: cal) == .noOwner)
    }

    @Test("two rules with the same matter and area for different departments are refused")
    func conflict() {
        let rules = [rule("a", "06", "sanitation", area: "410102"), rule("b", "06", "enforcement", area: "410102")]
        #expect {
            try ResponsibilityList(rules: rules)
        } throws: { error in
            guard let e = error as? DomainError else { return false }
            return e.kind == .conflict && e.code == "rules.invalid" && e.message.contains("a and b conflict")
        }
        // The same pair for the same department is no conflict; nil and "" both mean the whole city.
        #expect(ResponsibilityList.problems(rules: [rule("a", "06", "sanitation"), rule("b", "06", "sanitation")]).isEmpty)
        #expect(!ResponsibilityList.problems(rules: [rule("a", "06", "sanitation", area: ""), rule("b", "06", "enforcement")]).isEmpty)
    }

    @Test("unknown departments are reported")
    func unknownDepartment() {
        let problems = ResponsibilityList.problems(rules: [rule("r1", "06", "ghost")], knownDepartments: ["sanitation"])
        #expect(problems == ["rule r1: department ghost does not exist"])
        #expect(throws: DomainError.self) { try ResponsibilityList(rules: [rule("r1", "06", "ghost")], knownDepartments: ["sanitation"]) }
    }

    @Test("matters missing from the catalog and malformed matters are reported")
    func unknownMatter() {
        let problems = ResponsibilityList.problems(
            rules: [rule("r1", "06999", "sanitation"), rule("r2", "6", "sanitation"), rule("r3", "06010", "sanitation")],
            catalog: .national)
        #expect(problems.count == 2)
        #expect(problems.contains { $0.contains("r1") && $0.contains("not in the catalog") })
        #expect(problems.contains { $0.contains("r2") && $0.contains("must be *") })
    }

    @Test("other malformed rules are reported")
    func malformedRules() {
        let problems = ResponsibilityList.problems(rules: [
            rule("dup", "06", "sanitation"), rule("dup", "07", "sanitation"), rule("area", "06", "sanitation", area: "41a"),
            rule("nolimit", "08", "sanitation", [.urgent: .hours(2)]), rule("zero", "09", "sanitation", [.normal: .hours(0)]),
        ])
        #expect(problems.contains("rule id dup appears twice"))
        #expect(problems.contains("rule area: area '41a' is not a code"))
        #expect(problems.contains("rule nolimit: no normal time limit"))
        #expect(problems.contains("rule zero: time limit for normal must be positive"))
    }

    @Test("urgent halves and emergency quarters the normal limit when unset")
    func urgencyLimits() throws {
        let list = try ResponsibilityList(rules: [rule("r", "06", "sanitation", [.normal: .days(1)])])
        func limit(_ u: Urgency) -> Int? {
            if case .department(_, _, let l) = list.route(matter: "06010", gridCode: grid, urgency: u, calendar: cal) { return l }
            return nil
        }
        #expect(limit(.normal) == 480)
        #expect(limit(.urgent) == 240)
        #expect(limit(.emergency) == 120)
    }

    @Test("derived limits have floors, and explicit limits win")
    func urgencyFloorsAndOverrides() {
        let short = rule("s", "06", "sanitation", [.normal: .minutes(90)])
        #expect(short.limit(for: .urgent, on: cal) == 60)
        #expect(short.limit(for: .emergency, on: cal) == 30)
        let explicit = rule("e", "06", "sanitation", [.normal: .days(2), .urgent: .hours(2), .emergency: .minutes(20)])
        #expect(explicit.limit(for: .normal, on: cal) == 960)
        #expect(explicit.limit(for: .urgent, on: cal) == 120)
        #expect(explicit.limit(for: .emergency, on: cal) == 20)
    }

    @Test("the demo city's responsibility list is valid and routes garbage to sanitation, street order to the street")
    func demoRules() throws {
        let (areas, _) = DemoMaps.tiny
        let streets = areas.filter { $0.level == .street }
        let departments = DemoOrganization.departments + streets.map(DemoOrganization.streetOffice)
        let list = try ResponsibilityList(
            rules: DemoOrganization.rules(streets: streets), knownDepartments: Set(departments.map(\.id)), catalog: .national)
        #expect(list.route(matter: "06010", gridCode: grid, urgency: .normal, calendar: cal)
            == .department("sanitation", ruleID: "exposed-garbage", limitMinutes: 240))
        #expect(department(list.route(matter: "09001", gridCode: grid, urgency: .normal, calendar: cal)) == "street-410102001")
        // Nothing else covers a matter of an unknown major class: the street office is the territorial fallback.
        #expect(department(list.route(matter: "11001", gridCode: grid, urgency: .normal, calendar: cal)) == "street-410102001")
    }
}

