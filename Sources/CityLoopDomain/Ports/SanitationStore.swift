import Foundation

/// Road segments, sanitation route assignments and each shift's measured coverage (环卫作业). One conformance suite
/// runs on every store.
public protocol SanitationStore: Sendable {
    /// Saves road segments, replacing those with the same ID.
    func saveRoadSegments(_ segments: [RoadSegment]) async throws
    /// Every road segment, in ID order.
    func roadSegments() async throws -> [RoadSegment]
    /// Saves route assignments, replacing those with the same ID.
    func saveRouteAssignments(_ assignments: [RouteAssignment]) async throws
    /// Every route assignment (of one vehicle when given), in ID order.
    func routeAssignments(vehicleID: VehicleID?) async throws -> [RouteAssignment]
    /// Stores a shift's coverage and the event it raised in one transaction; false (and nothing written) when that
    /// shift of that assignment is measured already (another node did it).
    func saveShiftCoverage(_ coverage: ShiftCoverage, event: VehicleEvent?) async throws -> Bool
    /// Measured shifts that started in [`from`, `to`) (of one vehicle when given), newest first, at most `limit`.
    func shiftCoverages(vehicleID: VehicleID?, from: Date, to: Date, limit: Int) async throws -> [ShiftCoverage]
}
