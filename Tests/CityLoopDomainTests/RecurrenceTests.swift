import CityLoopDomain
import Foundation
import Testing

/// A report repeats the nearest case of its class closed lately within the radius (复发).
@Suite("Recurrence policy")
struct RecurrenceTests {
    let here = GeoPoint(lat: 34.75, lon: 113.65)
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func closed(_ id: String, east metres: Double, daysAgo: Double) -> ClosedCase {
        ClosedCase(id: CaseID(id), number: id, point: here.offset(eastMetres: metres, northMetres: 0), closedAt: now.addingTimeInterval(-daysAgo * 86_400))
    }

    @Test("the nearest within the radius wins; farther ones and none at all give nothing")
    func nearest() {
        let p = RecurrencePolicy()
        #expect(p.repeated(at: here, among: [closed("far", east: 80, daysAgo: 1), closed("near", east: 20, daysAgo: 20), closed("mid", east: 40, daysAgo: 2)])?.id == "near")
        #expect(p.repeated(at: here, among: [closed("far", east: 80, daysAgo: 1)]) == nil)
        #expect(p.repeated(at: here, among: []) == nil)
        // At the same distance the later closing wins.
        #expect(p.repeated(at: here, among: [closed("old", east: 10, daysAgo: 9), closed("new", east: 10, daysAgo: 3)])?.id == "new")
    }

    @Test("the store query covers the radius and the window")
    func query() {
        let q = RecurrencePolicy(radiusMetres: 100, windowDays: 7).query(matterCode: "06010", at: here, now: now)
        #expect(q.matterCode == "06010")
        #expect(q.closedSince == now.addingTimeInterval(-7 * 86_400))
        #expect(q.box.contains(here.offset(eastMetres: 99, northMetres: 0)) && q.box.contains(here.offset(eastMetres: 0, northMetres: -99)))
        #expect(!q.box.contains(here.offset(eastMetres: 300, northMetres: 0)))
    }

    @Test("a policy out of range names its field")
    func problems() {
        #expect(RecurrencePolicy().problems().isEmpty)
        #expect(RecurrencePolicy(radiusMetres: 0, windowDays: 400).problems().map(\.field) == ["recurrencePolicy.radiusMetres", "recurrencePolicy.windowDays"])
    }
}
