@testable import CityLoopDomain
import Foundation
import Testing

/// Sanitation route assignments (作业排班): their shifts day by day in local time, checked field by field, and one
/// shift measured against the required share, raising `coverageShort` when the vehicle drove too little.
@Suite struct RouteAssignmentTests {
    typealias F = VehicleFixtures
    static let road = RoadSegment(id: "rd-1", points: [F.at(east: 0, north: 500), F.at(east: 1000, north: 500)], name: "金水路")
    static let assignment = RouteAssignment(
        id: "A-1", vehicleID: "sweeper-1", segmentIDs: ["rd-1"], shift: try! DailyWindow("05:00-08:00"), validFrom: F.midnight)

    @Test func shiftsAreTheDailyWindowInLocalTimeWithinTheValidity() throws {
        // From 1 May 00:00 to 3 May 12:00 local: the shifts of 1, 2 and 3 May.
        let shifts = Self.assignment.shifts(endingAfter: F.midnight, upTo: F.local(60), utcOffsetSeconds: 8 * 3600)
        #expect(shifts.map(\.start) == [F.local(5), F.local(29), F.local(53)])
        #expect(shifts.allSatisfy { $0.duration == 3 * 3600 })
        // A shift is counted once it has ended: at 07:59 the day's shift is not over.
        #expect(Self.assignment.shifts(endingAfter: F.midnight, upTo: F.local(7, 59), utcOffsetSeconds: 8 * 3600).isEmpty)
        #expect(Self.assignment.shifts(endingAfter: F.local(8), upTo: F.local(32), utcOffsetSeconds: 8 * 3600).map(\.start) == [F.local(29)])
        // Not before validFrom, not from validTo on.
        var bounded = Self.assignment
        bounded.validFrom = F.local(12)
        bounded.validTo = F.local(48)
        #expect(bounded.shifts(endingAfter: F.midnight.addingTimeInterval(-86_400), upTo: F.local(96), utcOffsetSeconds: 8 * 3600).map(\.start) == [F.local(29)])
        // A night shift crossing midnight belongs to the day it starts.
        var night = Self.assignment
        night.shift = try DailyWindow("22:00-02:00")
        let nights = night.shifts(endingAfter: F.midnight, upTo: F.local(27), utcOffsetSeconds: 8 * 3600)
        #expect(nights.map(\.start) == [F.local(22)] && nights[0].end == F.local(26))
    }

    @Test func anAssignmentIsCheckedFieldByField() throws {
        try Self.assignment.validate()
        var a = Self.assignment
        a.id = "bad id"
        do { try a.validate(); Issue.record("accepted") } catch let e as DomainError { #expect(e.field == "id") }
        a = Self.assignment
        a.segmentIDs = []
        do { try a.validate(); Issue.record("accepted") } catch let e as DomainError { #expect(e.field == "segmentIDs") }
        a.segmentIDs = ["rd-1", "rd-1"]
        do { try a.validate(); Issue.record("accepted") } catch let e as DomainError { #expect(e.field == "segmentIDs") }
        a = Self.assignment
        a.requiredShare = 1.5
        do { try a.validate(); Issue.record("accepted") } catch let e as DomainError { #expect(e.field == "requiredShare") }
        a = Self.assignment
        a.validTo = F.midnight
        do { try a.validate(); Issue.record("accepted") } catch let e as DomainError { #expect(e.field == "validTo") }
        var road = Self.road
        road.points = [F.at(east: 0)]
        do { try road.validate(); Issue.record("accepted") } catch let e as DomainError { #expect(e.field == "points") }
        road = Self.road
        road.name = "路\u{7}"
        do { try road.validate(); Issue.record("accepted") } catch let e as DomainError { #expect(e.field == "name") }
    }

    @Test func aShiftThatSweptTheRoadIsMetAndOneThatSweptAQuarterIsShort() throws {
        var full = TrackBuilder("sweeper-1", start: F.local(5, 10), at: F.at(east: 0, north: 500), interval: 10)
        full.report(speedKmh: 10)
        full.drive(to: F.at(east: 1000, north: 500), speedKmh: 10)
        let shift = DateInterval(start: F.local(5), end: F.local(8))
        let (met, none) = try ShiftCoverage.measure(Self.assignment, shift: shift, segments: [Self.road], track: full.positions, measuredAt: F.local(9))
        #expect(met.share > 0.99 && !met.isShort && none == nil && met.positions == full.positions.count)

        var quarter = TrackBuilder("sweeper-1", start: F.local(5, 10), at: F.at(east: 0, north: 500), interval: 10)
        quarter.drive(to: F.at(east: 250, north: 500), speedKmh: 10)
        // Positions outside the shift do not count.
        var after = TrackBuilder("sweeper-1", start: F.local(8, 30), at: F.at(east: 250, north: 500), interval: 10)
        after.drive(to: F.at(east: 1000, north: 500), speedKmh: 10)
        let (short, event) = try ShiftCoverage.measure(
            Self.assignment, shift: shift, segments: [Self.road], track: quarter.positions + after.positions, measuredAt: F.local(9))
        #expect(short.isShort && short.share < 0.3)
        let e = try #require(event)
        #expect(e.kind == .coverageShort && e.code == "vehicle.coverage_short" && e.time == F.local(8) && e.since == F.local(5))
        #expect(e.limit == 90 && (e.measured ?? 100) < 30)
        // No positions at all: nothing driven, short.
        #expect(try ShiftCoverage.measure(Self.assignment, shift: shift, segments: [Self.road], track: [], measuredAt: F.local(9)).1 != nil)
    }
}
