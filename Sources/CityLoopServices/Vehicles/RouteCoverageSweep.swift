import CityLoopDomain
import Foundation

/// Measures the sanitation shifts that are over (作业覆盖率核查): for each route assignment, every shift that ended at
/// least `graceSeconds` ago (terminals flushing their buffers have delivered) and within `lookbackSeconds` is measured
/// once from the vehicle's stored track; a shift short of its required share raises `coverageShort`. The leader runs
/// it; a shift measured by another node meanwhile is skipped by the store.
public struct RouteCoverageSweep: Sendable {
    let store: any CityStore
    let clock: any CityClock
    /// How long after a shift's end it is measured.
    public var graceSeconds: TimeInterval = 1800
    /// How far back ended shifts are still measured (a node down over a weekend catches up).
    public var lookbackSeconds: TimeInterval = 3 * 86_400
    /// The city's offset from UTC (the shifts are local times).
    public var utcOffsetSeconds: Int

    /// Creates a sweep.
    public init(store: any CityStore, clock: any CityClock, utcOffsetSeconds: Int = VehicleRuleSettings().utcOffsetSeconds) {
        self.store = store
        self.clock = clock
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// Measures the shifts due; returns the results stored by this call and the events they raised.
    public func run() async throws -> (measured: [ShiftCoverage], events: [VehicleEvent]) {
        let now = clock.now()
        let upTo = now.addingTimeInterval(-graceSeconds)
        let after = now.addingTimeInterval(-lookbackSeconds)
        let assignments = try await store.routeAssignments(vehicleID: nil)
        guard !assignments.isEmpty else { return ([], []) }
        let done = Set(
            try await store.shiftCoverages(vehicleID: nil, from: after.addingTimeInterval(-86_400), to: now, limit: 1_000_000)
                .map { "\($0.assignmentID)\u{0}\($0.shiftStart.timeIntervalSince1970)" })
        let segments = try await store.roadSegments()
        var measured: [ShiftCoverage] = []
        var events: [VehicleEvent] = []
        for assignment in assignments {
            for shift in assignment.shifts(endingAfter: after, upTo: upTo, utcOffsetSeconds: utcOffsetSeconds)
            where !done.contains("\(assignment.id)\u{0}\(shift.start.timeIntervalSince1970)") {
                let track = try await store.positions(vehicleID: assignment.vehicleID, from: shift.start, to: shift.end, limit: 200_000)
                let (result, event) = try ShiftCoverage.measure(assignment, shift: shift, segments: segments, track: track, measuredAt: now)
                if try await store.saveShiftCoverage(result, event: event) {
                    measured.append(result)
                    if let event { events.append(event) }
                }
            }
        }
        return (measured, events)
    }

    /// The coverage of a vehicle's assigned roads by its track in [`from`, `to`), per assignment, measured now and
    /// not stored (the current shift's progress).
    public func progress(vehicleID: VehicleID, from: Date, to: Date) async throws -> [ShiftCoverage] {
        let assignments = try await store.routeAssignments(vehicleID: vehicleID)
        guard !assignments.isEmpty else { return [] }
        let segments = try await store.roadSegments()
        let track = try await store.positions(vehicleID: vehicleID, from: from, to: to, limit: 200_000)
        return try assignments.map { a in
            try ShiftCoverage.measure(a, shift: DateInterval(start: from, end: to), segments: segments, track: track, measuredAt: clock.now()).0
        }
    }
}
