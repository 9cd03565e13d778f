@testable import CityLoopDomain
import Foundation
import Testing

/// Trips and dumping (疑似偷倒), as a city's muck-truck office would check them.
@Suite("Vehicle tracker: trips and dumping")
struct VehicleTrackerTripTests {
    typealias F = VehicleFixtures

    /// Loads at the construction site and drives the corridor to the disposal site; `finish` takes it from there.
    static func loadAndDrive(to point: GeoPoint, vehicle: VehicleID = F.truckID, start: Date = F.local(10)) -> TrackBuilder {
        var t = TrackBuilder(vehicle, start: start, at: F.origin)
        t.stay(120, load: .empty)
        t.stay(60, load: .full)
        t.drive(to: point, speedKmh: 40, load: .full)
        return t
    }

    @Test("load at the site, drive the corridor, unload in the disposal site: only entering and leaving")
    func permittedTrip() {
        var t = Self.loadAndDrive(to: F.at(east: 5000))
        t.stay(60, load: .full)
        t.stay(60, load: .empty)
        t.drive(to: F.at(east: 5500), speedKmh: 30)
        t.stay(60)
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        let events = F.run(&tracker, t.positions)
        #expect(F.kinds(events) == [.enteredSite, .leftSite, .enteredSite, .leftSite])
        #expect(events.map(\.siteID) == ["cs-1", "cs-1", "ds-1", "ds-1"])
        // Entered the construction site at the first report, held 30 s.
        #expect(events[0].since == F.local(10) && events[0].time == F.local(10, 0, 30))
        let trip = tracker.lastTrip
        #expect(tracker.trip == nil)
        #expect(trip?.originSiteID == "cs-1" && trip?.permitID == F.permit.id && trip?.disposalSiteID == "ds-1")
        #expect(trip?.startedAt == F.local(10, 2) && trip?.unloadSeen == true && trip?.dumpingSuspected == false)
    }

    @Test("the same truck unloads in a field beside the corridor: exactly one dumpingSuspected, at the change")
    func dumpsInField() throws {
        var t = Self.loadAndDrive(to: F.at(east: 1800))
        t.drive(to: F.at(east: 1800, north: 120), speedKmh: 10, load: .full)
        t.stay(30, load: .full)
        let lastLoaded = t.time.addingTimeInterval(-10)
        let changeAt = t.time
        t.stay(60, load: .empty)
        t.drive(to: F.origin, speedKmh: 40)
        t.stay(60)
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        let events = F.run(&tracker, t.positions)
        let dumping = events.filter { $0.kind == .dumpingSuspected }
        #expect(dumping.count == 1)
        let e = try #require(dumping.first)
        #expect(e.code == "vehicle.dumping_suspected")
        #expect(e.time == changeAt && e.lastLoadedAt == lastLoaded && e.since == F.local(10, 2))
        #expect(try #require(e.point).distance(to: F.at(east: 1800, north: 120)) < 0.01)
        #expect(e.permitID == F.permit.id && e.vehicleID == F.truckID)
        #expect(tracker.lastTrip?.dumpingSuspected == true && tracker.lastTrip?.disposalSiteID == nil)
        #expect(F.kinds(events) == [.enteredSite, .leftSite, .dumpingSuspected, .enteredSite])
    }

    @Test("a sensor flipping at the gate is not dumping: the first empty fix just inside, or the last loaded one")
    func unloadAtTheGate() {
        // Loaded up to 10 m before the fence, empty at the first fix 10 m inside (not yet held for the dwell).
        var t = Self.loadAndDrive(to: F.at(east: 4840))
        t.report(at: F.at(east: 4860), load: .empty, speedKmh: 5)
        t.stay(120, load: .empty)
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        #expect(!F.kinds(F.run(&tracker, t.positions)).contains(.dumpingSuspected))
        #expect(tracker.lastTrip?.disposalSiteID == "ds-1")

        // Loaded at a single fix inside, empty at the next, already outside.
        var u = Self.loadAndDrive(to: F.at(east: 4860))
        u.report(at: F.at(east: 4840), load: .empty, speedKmh: 5)
        u.stay(120, load: .empty)
        var other = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        #expect(!F.kinds(F.run(&other, u.positions)).contains(.dumpingSuspected))
    }

    @Test("an unload not seen (the terminal silent for 10 minutes) is not dumping; the trip says so")
    func unseenUnload() {
        var t = Self.loadAndDrive(to: F.at(east: 1800))
        t.time = t.time.addingTimeInterval(600)
        t.report(at: F.at(east: 1800, north: 120), load: .empty)
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        #expect(!F.kinds(F.run(&tracker, t.positions)).contains(.dumpingSuspected))
        #expect(tracker.lastTrip?.unloadSeen == false && tracker.lastTrip?.dumpingSuspected == false)
    }

    @Test("an unload reported without a fix counts where the truck was: in the disposal site nothing, outside dumping")
    func unpositionedUnload() {
        var inside = Self.loadAndDrive(to: F.at(east: 5000))
        inside.stay(60, load: .full)
        inside.report(load: .empty, positioned: false)
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        #expect(!F.kinds(F.run(&tracker, inside.positions)).contains(.dumpingSuspected))

        var field = Self.loadAndDrive(to: F.at(east: 1800, north: 100))
        field.report(load: .empty, positioned: false)
        var other = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        let dumping = F.run(&other, field.positions).filter { $0.kind == .dumpingSuspected }
        #expect(dumping.count == 1)
        #expect(dumping.first?.point == field.positions[field.positions.count - 2].point)
    }

    @Test("unknown loads change nothing; a sprinkler emptying its tank runs no trips")
    func unknownAndOtherKinds() {
        var t = Self.loadAndDrive(to: F.at(east: 1800))
        t.stay(60, load: .unknown)
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        _ = F.run(&tracker, t.positions)
        #expect(tracker.trip != nil && tracker.load == .full)

        t.stay(30, load: .empty)
        var washer = VehicleTracker(vehicleID: F.truckID, kind: .washer)
        #expect(F.run(&washer, t.positions).allSatisfy { $0.kind == .enteredSite || $0.kind == .leftSite })
        #expect(washer.trip == nil && washer.lastTrip == nil)
    }

    @Test("a truck without a permit moving loaded: one unpermittedTrip; again only after it enters a site")
    func unpermitted() {
        var t = Self.loadAndDrive(to: F.at(east: 2500), vehicle: "truck-2")
        t.stay(60, load: .full)  // on the weighbridge
        t.drive(to: F.at(east: 5000), speedKmh: 40, load: .full)
        t.stay(60, load: .full)
        t.stay(60, load: .empty)
        var tracker = VehicleTracker(vehicleID: "truck-2", kind: .muckTruck)
        let events = F.run(&tracker, t.positions)
        // Off the weighbridge the truck is outside every construction and disposal site at once, before its leaving
        // the weighbridge is held for the dwell.
        #expect(
            F.kinds(events) == [.enteredSite, .leftSite, .unpermittedTrip, .enteredSite, .unpermittedTrip, .leftSite, .enteredSite])
        let first = events[2]
        #expect(first.code == "vehicle.unpermitted_trip" && first.siteID == "cs-1" && first.since == F.local(10, 2))
        #expect(first.measured == 40)
        // truck-1's permit is someone else's: it does not cover truck-2.
        #expect(tracker.lastTrip?.permitID == nil)
    }

    @Test("a permit outside its daily hours does not cover the trip; within them it does")
    func permitHours() throws {
        var nightPermit = F.permit
        nightPermit.dailyHours = [try DailyWindow("22:00-06:00")]
        var day = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        let dayEvents = F.run(&day, Self.loadAndDrive(to: F.at(east: 2000)).positions, permits: [nightPermit])
        #expect(dayEvents.filter { $0.kind == .unpermittedTrip }.count == 1)
        var night = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        let nightEvents = F.run(&night, Self.loadAndDrive(to: F.at(east: 2000), start: F.local(23)).positions, permits: [nightPermit])
        #expect(nightEvents.filter { $0.kind == .unpermittedTrip }.isEmpty)
        #expect(night.trip?.permitID == nightPermit.id)
    }

    @Test("a trip's origin is the site it loaded in, or one it left shortly before; its permit prefers that origin")
    func originAndPermit() {
        var other = F.permit
        other.id = "P-0000"
        other.originSiteID = "cs-9"
        // Left the site empty (the sensor lags), loaded 2 minutes later on the road.
        var t = TrackBuilder(start: F.local(10), at: F.origin)
        t.stay(60)
        t.drive(to: F.at(east: 800), speedKmh: 30)
        t.stay(20, load: .full)
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        _ = F.run(&tracker, t.positions, permits: [other, F.permit])
        #expect(tracker.trip?.originSiteID == "cs-1" && tracker.trip?.permitID == F.permit.id)
        #expect(tracker.trip?.startPoint == F.at(east: 800))

        // Loaded 20 minutes after leaving: origin unknown, the first valid permit by number.
        var late = TrackBuilder(start: F.local(10), at: F.origin)
        late.stay(60)
        late.drive(to: F.at(east: 800), speedKmh: 30)
        late.stay(1200)
        late.stay(20, load: .full)
        var lateTracker = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        _ = F.run(&lateTracker, late.positions, permits: [F.permit, other])
        #expect(lateTracker.trip?.originSiteID == nil && lateTracker.trip?.permitID == "P-0000")
    }

    @Test("a tracker stored as JSON mid-trip and read back goes on exactly as one never stopped")
    func restart() throws {
        var t = Self.loadAndDrive(to: F.at(east: 1800))
        t.drive(to: F.at(east: 1800, north: 400), speedKmh: 20, load: .full)
        t.stay(60, load: .full)
        t.stay(30, load: .empty)
        let cut = t.positions.count / 2
        var whole = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        let expected = F.run(&whole, t.positions)
        var first = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        var events = F.run(&first, Array(t.positions[..<cut]))
        var second = try JSONDecoder().decode(VehicleTracker.self, from: JSONEncoder().encode(first))
        #expect(second == first)
        events += F.run(&second, Array(t.positions[cut...]))
        #expect(events == expected)
        #expect(second == whole)
        #expect(F.kinds(expected).contains(.offRoute) && F.kinds(expected).contains(.dumpingSuspected))
    }
}
