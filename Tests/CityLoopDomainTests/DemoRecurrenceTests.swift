import CityLoopDemo
import CityLoopDomain
import Foundation
import Testing

/// The demo's history has problems that come back (复发), each linked to a case of its class closed nearby
/// shortly before, as the intake's recurrence policy would have linked it.
@Suite("Demo recurrences")
struct DemoRecurrenceTests {
    @Test("about 3 % of the standard demo's cases repeat a closed case of their class within 50 m and 30 days")
    func recurrences() throws {
        let scale = DemoScale.standard
        let (areas, grids) = DemoGeography.build(scale: scale, seed: DemoCity.defaultSeed)
        let streets = areas.filter { $0.level == .street }
        let departments = DemoOrganization.departments + streets.map(DemoOrganization.streetOffice)
        let policy = WorkflowPolicy(
            responsibilities: try ResponsibilityList(rules: DemoOrganization.rules(streets: streets)), departments: Set(departments.map(\.id)))
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let history = DemoHistory(seed: DemoCity.defaultSeed, scale: scale, grids: grids, policy: policy, now: now)
        var sequences: [String: Int] = [:]
        let numbers = history.numbers(0..<scale.cases, sequences: &sequences)
        let cases = history.generate(0..<scale.cases, numbers: numbers[...]).map(\.0)
        let byID = Dictionary(uniqueKeysWithValues: cases.map { ($0.id, $0) })
        let repeats = cases.filter { $0.recurrenceOf != nil }
        #expect(repeats.count > scale.cases / 100, "\(repeats.count) of \(scale.cases)")
        #expect(repeats.count < scale.cases / 20)
        let recurrence = RecurrencePolicy()
        for c in repeats {
            let earlier = try #require(byID[c.recurrenceOf!])
            #expect(earlier.matterCode == c.matterCode && earlier.state == .closed)
            #expect(earlier.point.distance(to: c.point) <= recurrence.radiusMetres)
            let closed = try #require(earlier.closedAt)
            #expect(closed < c.createdAt && c.createdAt.timeIntervalSince(closed) <= recurrence.windowDays * 86_400)
            #expect(c.placement.gridCode == earlier.placement.gridCode)
        }
        // Generating a range alone gives the same cases as generating the whole history.
        let part = history.generate(1000..<1100, numbers: numbers[1000..<1100]).map(\.0)
        #expect(part == Array(cases[1000..<1100]))
    }
}
