import CityLoopDomain
import Foundation

/// Measures the sanitation shifts that are over (作业覆盖率核查): for each route assignment, every shift that ended at
/// least `graceSeconds` ago (terminals flushing their buffers have delivered) since the last run, and within
/// `lookbackSeconds`, is measured once from the vehicle's stored track; a shift short of its required share raises
/// `coverageShort`. The leader runs it; a shift measured by another node meanwhile is skipped by the store.
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

    /// The setting holding the time (seconds since 1970) up to which ended shifts are measured.
    public static let settingKey = "vehicles.coverageMeasuredThrough"

    /// Measures the shifts due (ended since the last run, at most `lookbackSeconds` ago); returns the results stored by
    /// this call and the events they raised. A run with nothing due reads only the assignments.
    public func run() async throws -> (measured: [ShiftCoverage], events: [VehicleEvent]) {
        let now = clock.now()
        let upTo = now.addingTimeInterval(-graceSeconds)
        let through = try await store.setting(Self.settingKey).flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
        let after = max(now.addingTimeInterval(-lookbackSeconds), through ?? .distantPast)
        guard after < upTo else { return ([], []) }
        let due = try await store.routeAssignments(vehicleID: nil).flatMap { a in
            a.shifts(endingAfter: after, upTo: upTo, utcOffsetSeconds: utcOffsetSeconds).map { (a, $0) }
        }
        var measured: [ShiftCoverage] = []
        var events: [VehicleEvent] = []
        if !due.isEmpty {
            let segments = try await store.roadSegments()
            for (assignment, shift) in due {
                let track = try await store.positions(vehicleID: assignment.vehicleID, from: shift.start, to: shift.end, limit: 200_000)
                var (result, event) = try ShiftCoverage.measure(assignment, shift: shift, segments: segments, track: track, measuredAt: now)
                if event != nil {
                    let vehicle = try await store.vehicle(id: assignment.vehicleID)
                    event?.companyID = vehicle?.companyID
                    event?.driverID = vehicle?.driverID
                }
                // Stored once whichever node measures it: a shift measured already is skipped by the store.
                if try await store.saveShiftCoverage(result, event: event) {
                    measured.append(result)
                    if let event { events.append(event) }
                }
            }
        }
        try await store.saveSetting(Self.settingKey, String(upTo.timeIntervalSince1970))
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
