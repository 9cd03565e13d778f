@testable import CityLoopDomain
import Foundation
import Testing

/// Speeding (超速) and leaving the permit's corridor (偏离路线).
@Suite("Vehicle tracker: speed and route")
struct VehicleTrackerMotionTests {
    typealias F = VehicleFixtures

    /// Reports every second on the road: 20 s at 40 km/h, `seconds` at `speed`, 20 s at 40 km/h.
    static func burst(_ seconds: Int, at speed: Double, kind: VehicleKind = .muckTruck, settings: VehicleRuleSettings = F.settings)
        -> [VehicleEvent]
    {
        var t = TrackBuilder(start: F.local(10), at: F.at(east: 1000, north: 1000), interval: 1)
        t.stay(20, speedKmh: 40)
        t.stay(Double(seconds) + 1, speedKmh: speed)
        t.stay(20, speedKmh: 40)
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: kind)
        return F.run(&tracker, t.positions, settings: settings)
    }

    @Test("5 s above the limit: nothing; 20 s: one speeding event")
    func speeding() throws {
        #expect(Self.burst(5, at: 75).isEmpty)
        let events = Self.burst(20, at: 75)
        #expect(F.kinds(events) == [.speeding])
        let e = try #require(events.first)
        #expect(e.code == "vehicle.speeding" && e.measured == 75 && e.limit == 60)
        #expect(e.since == F.local(10, 0, 20) && e.time == F.local(10, 0, 31))
        // At the limit is not above it.
        #expect(Self.burst(30, at: 60).isEmpty)
    }

    @Test("kinds without a limit are not checked; a limit set for them is")
    func kinds() {
        #expect(Self.burst(30, at: 75, kind: .sweeper).isEmpty)
        var s = F.settings
        s.speedLimitsKmh[.sweeper] = 30
        #expect(F.kinds(Self.burst(30, at: 45, kind: .sweeper, settings: s)) == [.speeding])
    }

    @Test("one episode is reported once, even across a silence; a new episode again")
    func episodes() {
        var t = TrackBuilder(start: F.local(10), at: F.at(east: 1000, north: 1000), interval: 5)
        t.stay(60, speedKmh: 80)
        t.time = t.time.addingTimeInterval(600)
        t.stay(60, speedKmh: 80)
        t.stay(20, speedKmh: 40)
        t.stay(60, speedKmh: 80)
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        #expect(F.kinds(F.run(&tracker, t.positions)) == [.speeding, .speeding])
    }

    /// A permitted loaded truck on the corridor 1 km east, `seconds` 300 m north of it, then back.
    static func excursion(_ seconds: Double, load: VehicleLoad = .full, permit: TransportPermit = F.permit) -> [VehicleEvent] {
        var t = TrackBuilder(start: F.local(10), at: F.at(east: 1000))
        t.stay(30, load: load, speedKmh: 30)
        t.stay(seconds + 10, at: F.at(east: 1000, north: 300), load: load, speedKmh: 30)
        t.stay(60, at: F.at(east: 1500), load: load, speedKmh: 30)
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        return F.run(&tracker, t.positions, permits: [permit])
    }

    @Test("300 m off the corridor for 30 s: nothing; for 90 s: one offRoute")
    func offRoute() throws {
        #expect(Self.excursion(30).isEmpty)
        let events = Self.excursion(90)
        #expect(F.kinds(events) == [.offRoute])
        let e = try #require(events.first)
        #expect(e.code == "vehicle.off_route" && e.permitID == F.permit.id && e.limit == 200)
        #expect(abs(try #require(e.measured) - 300) < 1)
        #expect(e.since == F.local(10, 0, 30) && e.time == F.local(10, 1, 40))
    }

    @Test("no offRoute without a permit trip, nor within the permit's own width")
    func notOffRoute() {
        #expect(Self.excursion(120, load: .empty).isEmpty)
        var wide = F.permit
        wide.corridorMetres = 500
        #expect(Self.excursion(120, permit: wide).isEmpty)
    }

    @Test("inside the permit's origin site the truck is on route, however far from the corridor line")
    func insideOrigin() {
        var s = F.settings
        s.deviationMetres = 50
        var t = TrackBuilder(start: F.local(10), at: F.at(east: 80, north: 80))
        t.stay(300, load: .full, speedKmh: 5)
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        #expect(F.kinds(F.run(&tracker, t.positions, settings: s)) == [.enteredSite])
        #expect(tracker.trip?.permitID == F.permit.id)
    }
}
