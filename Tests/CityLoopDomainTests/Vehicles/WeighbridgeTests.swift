@testable import CityLoopDomain
import Foundation
import Testing

/// Weighbridge tickets (过磅单): checked field by field, matched to the trip they ended, and an empty arrival raising
/// `weighedEmpty` while a loaded ticket with no tracked trip or at another disposal site is a finding only.
@Suite struct WeighbridgeTests {
    typealias F = VehicleFixtures
    static let now = F.local(12)
    static let truck = Vehicle(id: F.truckID, plate: "豫A·D1234", kind: .muckTruck, companyID: "haulage-1", capacityTonnes: 18)

    static func ticket(_ number: String = "WB-0001", at: Date = F.local(9, 40), gross: Double = 31_000, tare: Double = 13_000, site: SiteID = "ds-1") -> WeighbridgeTicket {
        WeighbridgeTicket(number: number, siteID: site, plate: "豫A D1234", weighedAt: at, grossKg: gross, tareKg: tare, material: "渣土")
    }

    /// A trip loaded at 09:00 that unloaded at `unloaded` (nil: under way) in `disposal`.
    static func trip(start: Date = F.local(9), unloaded: Date? = F.local(9, 45), disposal: SiteID? = "ds-1") -> VehicleTrip {
        var t = VehicleTrip(startedAt: start, startPoint: F.at(east: 0), originSiteID: "cs-1", permitID: F.permit.id)
        t.lastLoadedAt = unloaded?.addingTimeInterval(-30) ?? F.local(9, 39)
        t.lastLoadedDisposalSiteID = disposal
        t.endedAt = unloaded
        t.disposalSiteID = unloaded == nil ? nil : disposal
        return t
    }

    @Test func aTicketIsCheckedFieldByField() throws {
        try Self.ticket().validate(now: Self.now)
        var cases: [(WeighbridgeTicket, String)] = []
        var t = Self.ticket()
        t.number = ""
        cases.append((t, "number"))
        t = Self.ticket()
        t.number = "WB\u{0}1"
        cases.append((t, "number"))
        t = Self.ticket()
        t.plate = nil
        cases.append((t, "plate"))
        t = Self.ticket()
        t.plate = "豫A\u{1B}1234"
        cases.append((t, "plate"))
        t = Self.ticket()
        t.weighedAt = Self.now.addingTimeInterval(3600)
        cases.append((t, "weighedAt"))
        t = Self.ticket()
        t.weighedAt = Self.now.addingTimeInterval(-500 * 86_400)
        cases.append((t, "weighedAt"))
        t = Self.ticket()
        t.grossKg = .nan
        cases.append((t, "grossKg"))
        t = Self.ticket()
        t.tareKg = -1
        cases.append((t, "tareKg"))
        t = Self.ticket(gross: 10_000, tare: 12_000)
        cases.append((t, "tareKg"))
        t = Self.ticket(gross: 250_000)
        cases.append((t, "grossKg"))
        t = Self.ticket()
        t.siteID = ""
        cases.append((t, "siteID"))
        for (ticket, field) in cases {
            #expect(throws: DomainError.self, "\(field)") { try ticket.validate(now: Self.now) }
            do { try ticket.validate(now: Self.now) } catch let e as DomainError { #expect(e.field == field, "\(e)") }
        }
        #expect(Self.ticket().netKg == 18_000)
        #expect(WeighbridgeTicket.normalizedPlate("豫a·d-12.34 ") == "豫AD1234")
    }

    @Test func aLoadedTicketMatchesTheTripThatUnloadedAtItsSite() {
        let rules = WeighbridgeRules()
        let earlier = Self.trip(start: F.local(7), unloaded: F.local(7, 45))
        let this = Self.trip()
        let later = Self.trip(start: F.local(11), unloaded: F.local(11, 40))
        let m = rules.match(Self.ticket(), vehicle: Self.truck, trips: [later, earlier, this], stationSiteIDs: ["ds-1"], now: Self.now)
        #expect(m == WeighbridgeMatch(tripStartedAt: F.local(9), finding: nil))
        #expect(rules.event(Self.ticket(), vehicle: Self.truck, match: m, trip: this, point: nil) == nil)
        // Weighed at the gate while the trip is still under way.
        let open = rules.match(Self.ticket(), vehicle: Self.truck, trips: [Self.trip(unloaded: nil)], stationSiteIDs: ["ds-1"], now: Self.now)
        #expect(open == WeighbridgeMatch(tripStartedAt: F.local(9), finding: nil))
        // A trip elsewhere in time is no match: a tracked truck weighed loaded with no trip is a finding.
        let none = rules.match(Self.ticket(at: F.local(14)), vehicle: Self.truck, trips: [this], stationSiteIDs: ["ds-1"], now: F.local(15))
        #expect(none == WeighbridgeMatch(tripStartedAt: nil, finding: .noTrip))
        var noSensor = Self.truck
        noSensor.hasLoadSensor = false
        #expect(rules.match(Self.ticket(at: F.local(14)), vehicle: noSensor, trips: [], stationSiteIDs: ["ds-1"], now: F.local(15)).finding == nil)
    }

    @Test func aTripThatUnloadedAtAnotherDisposalSiteIsAFinding() {
        let rules = WeighbridgeRules()
        let m = rules.match(Self.ticket(), vehicle: Self.truck, trips: [Self.trip(disposal: "ds-2")], stationSiteIDs: ["ds-1"], now: Self.now)
        #expect(m == WeighbridgeMatch(tripStartedAt: F.local(9), finding: .otherSite))
        // One that unloaded here is preferred over one nearer in time that did not.
        let here = Self.trip(start: F.local(8), unloaded: F.local(9, 20))
        let there = Self.trip(disposal: "ds-2")
        #expect(rules.match(Self.ticket(), vehicle: Self.truck, trips: [there, here], stationSiteIDs: ["ds-1"], now: Self.now).tripStartedAt == F.local(8))
    }

    @Test func anEmptyArrivalRaisesWeighedEmptyWithTheTrip() throws {
        let rules = WeighbridgeRules()
        // 18 t capacity: 10 % is 1,800 kg, above the 500 kg floor.
        #expect(rules.emptyThresholdKg(for: Self.truck) == 1800)
        #expect(rules.emptyThresholdKg(for: nil) == 500)
        let empty = Self.ticket(gross: 14_200, tare: 13_000)
        let trip = Self.trip()
        let m = rules.match(empty, vehicle: Self.truck, trips: [trip], stationSiteIDs: ["ds-1"], now: Self.now)
        #expect(m == WeighbridgeMatch(tripStartedAt: F.local(9), finding: .arrivedEmpty))
        let e = try #require(rules.event(empty, vehicle: Self.truck, match: m, trip: trip, point: F.at(east: 5000)))
        #expect(e.kind == .weighedEmpty && e.code == "vehicle.weighed_empty" && e.vehicleID == F.truckID && e.siteID == "ds-1")
        #expect(e.measured == 1200 && e.limit == 1800 && e.since == F.local(9) && e.permitID == F.permit.id && e.time == F.local(9, 40))
        // Empty with no trip at all is still an empty arrival.
        #expect(rules.match(empty, vehicle: Self.truck, trips: [], stationSiteIDs: ["ds-1"], now: Self.now).finding == .arrivedEmpty)
    }

    @Test func aVehicleNotInTheRegistryIsAFindingAndRaisesNothing() {
        let rules = WeighbridgeRules()
        let m = rules.match(Self.ticket(gross: 13_100), vehicle: nil, trips: [], stationSiteIDs: ["ds-1"], now: Self.now)
        #expect(m == WeighbridgeMatch(tripStartedAt: nil, finding: .unknownVehicle))
        #expect(rules.event(Self.ticket(gross: 13_100), vehicle: nil, match: m, trip: nil, point: nil) == nil)
    }

    @Test func theWindowBoundsTheMatch() {
        let rules = WeighbridgeRules(windowSeconds: 600)
        let trip = Self.trip()
        // Ended 09:45; weighed 09:55 is within 10 minutes, 09:56 is not.
        #expect(rules.match(Self.ticket(at: F.local(9, 55)), vehicle: Self.truck, trips: [trip], stationSiteIDs: ["ds-1"], now: Self.now).tripStartedAt != nil)
        #expect(rules.match(Self.ticket(at: F.local(9, 56)), vehicle: Self.truck, trips: [trip], stationSiteIDs: ["ds-1"], now: Self.now).tripStartedAt == nil)
        // Started 09:00; weighed 08:50 is within, 08:49 is not.
        #expect(rules.match(Self.ticket(at: F.local(8, 50)), vehicle: Self.truck, trips: [trip], stationSiteIDs: ["ds-1"], now: Self.now).tripStartedAt != nil)
        #expect(rules.match(Self.ticket(at: F.local(8, 49)), vehicle: Self.truck, trips: [trip], stationSiteIDs: ["ds-1"], now: Self.now).tripStartedAt == nil)
    }

    @Test func theCreditCountsEmptyArrivals() {
        #expect(VehicleCreditTerm.defaults.contains { $0.kind == .weighedEmpty && $0.points > 0 })
    }
}
