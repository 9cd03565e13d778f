import CityLoopDomain
import Foundation

/// The in-memory store's road segments, route assignments and measured shifts.
struct InMemorySanitation {
    var segments: [RoadSegmentID: RoadSegment] = [:]
    var assignments: [String: RouteAssignment] = [:]
    var coverages: [String: ShiftCoverage] = [:]
}

extension InMemoryStore {
    /// Saves road segments.
    public func saveRoadSegments(_ segments: [RoadSegment]) async throws { for s in segments { sanitation.segments[s.id] = s } }

    /// Every road segment in ID order.
    public func roadSegments() async throws -> [RoadSegment] { sanitation.segments.values.sorted { $0.id.rawValue < $1.id.rawValue } }

    /// Saves route assignments.
    public func saveRouteAssignments(_ assignments: [RouteAssignment]) async throws { for a in assignments { sanitation.assignments[a.id] = a } }

    /// Route assignments in ID order.
    public func routeAssignments(vehicleID: VehicleID?) async throws -> [RouteAssignment] {
        sanitation.assignments.values.filter { vehicleID == nil || $0.vehicleID == vehicleID }.sorted { $0.id < $1.id }
    }

    /// Stores a shift's coverage and its event at once, unless the shift is measured already.
    public func saveShiftCoverage(_ coverage: ShiftCoverage, event: VehicleEvent?) async throws -> Bool {
        let key = "\(coverage.assignmentID)\u{0}\(coverage.shiftStart.timeIntervalSince1970)"
        guard sanitation.coverages[key] == nil else { return false }
        sanitation.coverages[key] = coverage
        if let event { fleet.events.append(StoredVehicleEvent(seq: Int64(fleet.events.count + 1), event: event)) }
        return true
    }

    /// Measured shifts by start, newest first.
    public func shiftCoverages(vehicleID: VehicleID?, from: Date, to: Date, limit: Int) async throws -> [ShiftCoverage] {
        Array(
            sanitation.coverages.values.filter { $0.shiftStart >= from && $0.shiftStart < to && (vehicleID == nil || $0.vehicleID == vehicleID) }
                .sorted { $0.shiftStart != $1.shiftStart ? $0.shiftStart > $1.shiftStart : $0.assignmentID < $1.assignmentID }.prefix(max(0, limit)))
    }
}
