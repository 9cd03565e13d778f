import CityLoopDomain
import Foundation
import Testing

/// Road segments, route assignments and measured shifts: every store saves and replaces segments and assignments,
/// keeps a shift's coverage once with its event, and lists measured shifts by start.
@Suite("Sanitation store conformance")
struct SanitationStoreConformanceTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    static func road(_ id: String, north: Double) -> RoadSegment {
        RoadSegment(id: RoadSegmentID(id), points: [GeoPoint(lat: 34.75 + north, lon: 113.65), GeoPoint(lat: 34.75 + north, lon: 113.66)], name: "路\(id)")
    }

    static func coverage(_ assignment: String, vehicle: String, hours: Double, share: Double) throws -> ShiftCoverage {
        let road = Self.road("rd-1", north: 0)
        var c = try RouteCoverage(segments: [road], track: [])
        c.segments[0].drivenMetres = c.segments[0].lengthMetres * share
        return ShiftCoverage(
            assignmentID: assignment, vehicleID: VehicleID(vehicle), shiftStart: t0.addingTimeInterval(hours * 3600),
            shiftEnd: t0.addingTimeInterval(hours * 3600 + 10_800), requiredShare: 0.9, coverage: c, positions: 100, measuredAt: t0.addingTimeInterval(86_400))
    }

    @Test("segments and assignments are saved, replaced and listed in ID order", arguments: StoreKind.allCases)
    func registry(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.saveRoadSegments([Self.road("rd-2", north: 0.01), Self.road("rd-1", north: 0)])
            var moved = Self.road("rd-2", north: 0.02)
            moved.name = nil
            try await store.saveRoadSegments([moved])
            #expect(try await store.roadSegments() == [Self.road("rd-1", north: 0), moved])
            let a = RouteAssignment(id: "A-2", vehicleID: "sweeper-1", segmentIDs: ["rd-1", "rd-2"], shift: try DailyWindow("05:00-08:00"), validFrom: Self.t0)
            var b = a
            b.id = "A-1"
            b.vehicleID = "sweeper-2"
            b.requiredShare = 0.8
            try await store.saveRouteAssignments([a, b])
            #expect(try await store.routeAssignments(vehicleID: nil) == [b, a])
            #expect(try await store.routeAssignments(vehicleID: "sweeper-1") == [a])
            b.vehicleID = "sweeper-1"
            try await store.saveRouteAssignments([b])
            #expect(try await store.routeAssignments(vehicleID: "sweeper-1") == [b, a])
        }
    }

    @Test("a shift's coverage is kept once with its event and listed by start", arguments: StoreKind.allCases)
    func coverages(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let short = try Self.coverage("A-1", vehicle: "sweeper-1", hours: 0, share: 0.5)
            let event = VehicleEvent(kind: .coverageShort, vehicleID: "sweeper-1", time: short.shiftEnd, point: nil, since: short.shiftStart, measured: 50, limit: 90)
            let first = try await store.saveShiftCoverage(short, event: event)
            #expect(first)
            let again = try await store.saveShiftCoverage(try Self.coverage("A-1", vehicle: "sweeper-1", hours: 0, share: 1), event: event)
            #expect(!again)
            let next = try await store.saveShiftCoverage(try Self.coverage("A-1", vehicle: "sweeper-1", hours: 24, share: 1), event: nil)
            let other = try await store.saveShiftCoverage(try Self.coverage("A-2", vehicle: "sweeper-2", hours: 24, share: 0.95), event: nil)
            #expect(next && other)
            #expect(try await store.vehicleEvents(vehicleID: "sweeper-1", before: nil, limit: 9).map(\.event) == [event])
            let all = try await store.shiftCoverages(vehicleID: nil, from: Self.t0, to: Self.t0.addingTimeInterval(2 * 86_400), limit: 10)
            #expect(all.map { "\($0.assignmentID)@\(Int($0.shiftStart.timeIntervalSince(Self.t0) / 3600))" } == ["A-1@24", "A-2@24", "A-1@0"])
            #expect(all.last == short)
            #expect(try await store.shiftCoverages(vehicleID: "sweeper-2", from: Self.t0, to: Self.t0.addingTimeInterval(2 * 86_400), limit: 10).count == 1)
            #expect(try await store.shiftCoverages(vehicleID: nil, from: Self.t0.addingTimeInterval(1), to: Self.t0.addingTimeInterval(2 * 86_400), limit: 1).count == 1)
        }
    }
}
