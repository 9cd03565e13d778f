@testable import CityLoopDomain
import Foundation
import Testing

/// Late, repeated, future and foreign reports (补传、重复、超前、错车).
@Suite("Vehicle tracker: report order")
struct VehicleTrackerOrderTests {
    typealias F = VehicleFixtures

    /// A loaded truck leaving the site, dumping in a field and speeding: plenty for late reports to upset.
    static var track: [VehiclePosition] {
        var t = VehicleTrackerTripTests.loadAndDrive(to: F.at(east: 1800, north: 100))
        t.stay(30, load: .empty, speedKmh: 80)
        t.stay(30, load: .full, speedKmh: 80)
        return t.positions
    }

    @Test("a buffered batch of old reports arriving after newer ones raises nothing and changes nothing")
    func bufferedBatch() {
        let track = Self.track
        let cut = track.count / 2
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        #expect(!F.run(&tracker, Array(track[cut...])).isEmpty)
        let before = tracker
        #expect(F.run(&tracker, Array(track[..<cut])).isEmpty)
        #expect(tracker == before)
        #expect(!tracker.evaluates(track[0], settings: F.settings))
    }

    @Test("the same report twice raises nothing the second time")
    func repeated() {
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        for p in Self.track {
            _ = tracker.ingest(p, sites: F.sites, permits: [F.permit], settings: F.settings)
            let before = tracker
            #expect(tracker.ingest(p, sites: F.sites, permits: [F.permit], settings: F.settings).isEmpty)
            #expect(tracker == before)
        }
    }

    @Test("a report more than 10 minutes after its receipt is not evaluated; without a receipt time it is")
    func future() {
        let received = F.local(10)
        var p = VehiclePosition(vehicleID: F.truckID, time: received.addingTimeInterval(601), point: F.origin, alarmBits: 1 << 8)
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        #expect(tracker.ingest(p, sites: F.sites, permits: [], settings: F.settings, receivedAt: received).isEmpty)
        #expect(tracker == VehicleTracker(vehicleID: F.truckID, kind: .muckTruck))
        p.time = received.addingTimeInterval(600)
        #expect(F.kinds(tracker.ingest(p, sites: F.sites, permits: [], settings: F.settings, receivedAt: received)) == [.tampered])
        let trusting = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        p.time = received.addingTimeInterval(86_400)
        #expect(trusting.evaluates(p, settings: F.settings))
    }

    @Test("another vehicle's report, or one with no valid time, is not evaluated")
    func foreign() {
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        let other = VehiclePosition(vehicleID: "truck-2", time: F.local(10), point: F.origin, alarmBits: 1 << 8)
        #expect(tracker.ingest(other, sites: F.sites, permits: [], settings: F.settings).isEmpty)
        let timeless = VehiclePosition(vehicleID: F.truckID, time: Date(timeIntervalSince1970: .nan), point: F.origin, alarmBits: 1 << 8)
        #expect(tracker.ingest(timeless, sites: F.sites, permits: [], settings: F.settings).isEmpty)
        #expect(tracker == VehicleTracker(vehicleID: F.truckID, kind: .muckTruck))
    }
}
