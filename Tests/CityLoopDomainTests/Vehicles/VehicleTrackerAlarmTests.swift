@testable import CityLoopDomain
import Foundation
import Testing

/// Tampering alarms (破坏设备) and the offline sweep (离线).
@Suite("Vehicle tracker: alarms and silence")
struct VehicleTrackerAlarmTests {
    typealias F = VehicleFixtures
    /// JT/T 808 alarm bits: main power cut, illegal ignition, GNSS antenna cut, emergency button.
    static let powerCut: UInt32 = 1 << 8
    static let ignition: UInt32 = 1 << 27
    static let antennaCut: UInt32 = 1 << 5
    static let emergency: UInt32 = 1 << 0

    @Test("a tampering bit raises when it is newly set, not while it stays set")
    func tamperEdge() throws {
        var t = TrackBuilder(start: F.local(10), at: F.at(east: 1000, north: 1000))
        for bits in [0, Self.powerCut, Self.powerCut, Self.powerCut | Self.ignition, 0, Self.powerCut, Self.emergency] {
            t.report(alarmBits: bits)
        }
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        let events = F.run(&tracker, t.positions)
        #expect(F.kinds(events) == [.tampered, .tampered, .tampered])
        #expect(events.map(\.alarmBits) == [Self.powerCut, Self.ignition, Self.powerCut])
        #expect(events.map(\.time) == [t.positions[1].time, t.positions[3].time, t.positions[5].time])
        #expect(events.first?.code == "vehicle.tampered")
    }

    @Test("a report without a fix still raises, at the last known fix; the tampering bits are configurable")
    func tamperWithoutFix() {
        var t = TrackBuilder(start: F.local(10), at: F.at(east: 1000, north: 1000))
        t.report()
        t.report(alarmBits: Self.powerCut, positioned: false)
        t.report(alarmBits: Self.antennaCut)
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        let events = F.run(&tracker, t.positions)
        #expect(F.kinds(events) == [.tampered])
        #expect(events.first?.point == F.at(east: 1000, north: 1000))

        var s = F.settings
        s.tamperAlarmBits |= Self.antennaCut
        var strict = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        #expect(F.kinds(F.run(&strict, t.positions, settings: s)) == [.tampered, .tampered])
    }

    @Test("offline once per silence; a report ends the silence; a tracker that saw nothing is never offline")
    func offline() throws {
        var tracker = VehicleTracker(vehicleID: F.truckID, kind: .muckTruck)
        #expect(tracker.offline(now: F.local(12), settings: F.settings) == nil)
        var t = TrackBuilder(start: F.local(10), at: F.at(east: 1000, north: 1000))
        t.stay(30)
        _ = F.run(&tracker, t.positions)
        let last = F.local(10, 0, 20)
        #expect(tracker.offline(now: last.addingTimeInterval(299), settings: F.settings) == nil)
        let raised = tracker.offline(now: last.addingTimeInterval(300), settings: F.settings)
        let e = try #require(raised)
        #expect(e.kind == .offline && e.code == "vehicle.offline" && e.since == last && e.point == F.at(east: 1000, north: 1000))
        #expect(e.time == last.addingTimeInterval(300))
        #expect(tracker.offline(now: last.addingTimeInterval(900), settings: F.settings) == nil)
        t.time = last.addingTimeInterval(1000)
        t.report()
        _ = F.run(&tracker, Array(t.positions.suffix(1)))
        #expect(tracker.offline(now: last.addingTimeInterval(1200), settings: F.settings) == nil)
        #expect(tracker.offline(now: last.addingTimeInterval(1300), settings: F.settings) != nil)
    }
}
