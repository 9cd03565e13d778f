@testable import CityLoopDomain
import Foundation
import Testing

/// Entering and leaving sites with the dwell (进出场防抖), and forbidden zones (禁行区).
@Suite("Vehicle tracker: geofences")
struct VehicleTrackerGeofenceTests {
    typealias F = VehicleFixtures
    /// The disposal site's west fence is 4,850 m east of the origin.
    static let fence = 4_850.0

    @Test("entered only once inside for the dwell over consecutive fixes; left likewise")
    func dwell() {
        var t = TrackBuilder(start: F.local(10), at: F.at(east: 5000))
        t.stay(30)  // fixes at 0, 10 and 20 s: inside for 20 s
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        #expect(F.run(&tracker, t.positions).isEmpty)
        #expect(tracker.sitesInside.isEmpty)
        let next = t.positions.count
        t.stay(10)
        let entered = F.run(&tracker, Array(t.positions[next...]))
        #expect(F.kinds(entered) == [.enteredSite])
        #expect(entered.first?.since == F.local(10) && entered.first?.time == F.local(10, 0, 30))
        #expect(tracker.sitesInside == ["ds-1"])
        let before = t.positions.count
        t.report(at: F.at(east: 5500))
        t.stay(30)
        let left = F.run(&tracker, Array(t.positions[before...]))
        #expect(F.kinds(left) == [.leftSite])
        #expect(left.first?.since == F.local(10, 0, 40) && left.first?.time == F.local(10, 1, 10))
        #expect(tracker.sitesInside.isEmpty)
    }

    @Test("GPS drift across the fence raises nothing, outside or inside", arguments: [1, 2])
    func jitter(insideRun: Int) {
        // Parked at the fence: `insideRun` fixes 5 m inside, then one 5 m outside, for 20 minutes.
        var t = TrackBuilder(start: F.local(10), at: F.at(east: Self.fence - 5))
        for k in 0..<120 { t.report(at: F.at(east: Self.fence + (k % (insideRun + 1) < insideRun ? 5 : -5))) }
        var outside = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        #expect(F.run(&outside, t.positions).isEmpty)

        // The same drift after a stay inside: no leaving either.
        var u = TrackBuilder(start: F.local(10), at: F.at(east: 5000))
        u.stay(60)
        for k in 0..<120 { u.report(at: F.at(east: Self.fence + (k % (insideRun + 1) < insideRun ? -5 : 5))) }
        var inside = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        #expect(F.kinds(F.run(&inside, u.positions)) == [.enteredSite])
        #expect(inside.sitesInside == ["ds-1"])
    }

    @Test("a gap longer than the continuity gap restarts the dwell")
    func gapRestartsDwell() {
        var t = TrackBuilder(start: F.local(10), at: F.at(east: 5000))
        t.report()
        t.time = t.time.addingTimeInterval(290)
        t.stay(40)
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        let events = F.run(&tracker, t.positions)
        #expect(F.kinds(events) == [.enteredSite])
        #expect(events.first?.since == F.local(10, 5))
    }

    @Test("reports without a fix, or with impossible coordinates, move no fence")
    func unpositioned() {
        var t = TrackBuilder(start: F.local(10), at: F.at(east: 5000))
        for _ in 0..<12 { t.report(positioned: false) }
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        #expect(F.run(&tracker, t.positions).isEmpty)
        #expect(tracker.lastEvaluatedAt == t.positions.last?.time && tracker.lastFix == nil)
        var bad = VehiclePosition(vehicleID: F.truckID, time: t.time, point: GeoPoint(lat: .nan, lon: 113.65))
        #expect(tracker.ingest(bad, sites: F.sites, permits: [], settings: F.settings).isEmpty)
        bad.time = t.time.addingTimeInterval(60)
        bad.point = GeoPoint(lat: 95, lon: 113.65)
        #expect(tracker.ingest(bad, sites: F.sites, permits: [], settings: F.settings).isEmpty)
        #expect(tracker.lastFix == nil)
    }

    /// A muck truck driving into the residential zone and staying `minutes` from `start`.
    static func visitZone(at start: Date, minutes: Double, kind: VehicleKind = .muckTruck) -> [VehicleEvent] {
        var t = TrackBuilder(start: start, at: F.at(east: 0, north: 2000))
        t.drive(to: F.at(east: 0, north: 3000), speedKmh: 30)
        t.stay(minutes * 60)
        t.drive(to: F.at(east: 0, north: 2000), speedKmh: 30)
        t.stay(60)
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: kind)
        return F.run(&tracker, t.positions)
    }

    @Test("a muck truck in the residential zone at night: one forbiddenZone per visit")
    func nightVisit() throws {
        let events = Self.visitZone(at: F.local(23), minutes: 10)
        #expect(F.kinds(events) == [.enteredSite, .forbiddenZone, .leftSite])
        let e = try #require(events.first { $0.kind == .forbiddenZone })
        #expect(e.code == "vehicle.forbidden_zone" && e.siteID == "fz-1" && e.time == events[0].time)
        // Two visits, two events.
        var t = TrackBuilder(start: F.local(1), at: F.at(east: 0, north: 3000))
        t.stay(120)
        t.drive(to: F.at(east: 0, north: 2000), speedKmh: 30)
        t.stay(60)
        t.drive(to: F.at(east: 0, north: 3000), speedKmh: 30)
        t.stay(120)
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        #expect(F.run(&tracker, t.positions).filter { $0.kind == .forbiddenZone }.count == 2)
    }

    @Test("by day, or for a sweeper, the zone is only entered and left")
    func dayVisit() {
        #expect(F.kinds(Self.visitZone(at: F.local(12), minutes: 10)) == [.enteredSite, .leftSite])
        #expect(F.kinds(Self.visitZone(at: F.local(23), minutes: 10, kind: .sweeper)) == [.enteredSite, .leftSite])
    }

    @Test("a stay that runs into the forbidden hours raises at the first fix inside after 22:00")
    func intoTheNight() throws {
        let events = Self.visitZone(at: F.local(21, 55), minutes: 10)
        #expect(F.kinds(events) == [.enteredSite, .forbiddenZone, .leftSite])
        let e = try #require(events.first { $0.kind == .forbiddenZone })
        #expect(e.time >= F.local(22) && e.time < F.local(22, 0, 10))
    }
}
