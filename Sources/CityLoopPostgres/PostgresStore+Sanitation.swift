import CityLoopDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Saves road segments.
    public func saveRoadSegments(_ segments: [RoadSegment]) async throws {
        guard !segments.isEmpty else { return }
        let texts = try segments.map { try json($0) }
        _ = try await rows(
            """
            INSERT INTO road_segments (id, data) SELECT * FROM unnest(\(segments.map(\.id.rawValue))::text[], \(texts)::text[])
            ON CONFLICT (id) DO UPDATE SET data = excluded.data
            """)
    }

    /// Every road segment in ID order.
    public func roadSegments() async throws -> [RoadSegment] {
        try await rows("SELECT data FROM road_segments ORDER BY id").map { try decode(RoadSegment.self, try $0.decode(String.self)) }
    }

    /// Saves route assignments.
    public func saveRouteAssignments(_ assignments: [RouteAssignment]) async throws {
        guard !assignments.isEmpty else { return }
        let texts = try assignments.map { try json($0) }
        _ = try await rows(
            """
            INSERT INTO route_assignments (id, vehicle_id, data)
            SELECT * FROM unnest(\(assignments.map(\.id))::text[], \(assignments.map(\.vehicleID.rawValue))::text[], \(texts)::text[])
            ON CONFLICT (id) DO UPDATE SET vehicle_id = excluded.vehicle_id, data = excluded.data
            """)
    }

    /// Route assignments in ID order.
    public func routeAssignments(vehicleID: VehicleID?) async throws -> [RouteAssignment] {
        try await rows(
            "SELECT data FROM route_assignments WHERE (\(vehicleID?.rawValue)::text IS NULL OR vehicle_id = \(vehicleID?.rawValue)) ORDER BY id"
        ).map { try decode(RouteAssignment.self, try $0.decode(String.self)) }
    }

    /// Stores a shift's coverage and its event in one transaction, unless the shift is measured already.
    public func saveShiftCoverage(_ coverage: ShiftCoverage, event: VehicleEvent?) async throws -> Bool {
        let text = try json(coverage)
        let eventText = try event.map { try json($0) }
        return try await transaction { c in
            let inserted = try await self.rows(
                """
                INSERT INTO shift_coverages (assignment_id, shift_start, vehicle_id, share, data)
                VALUES (\(coverage.assignmentID), \(Self.ms(coverage.shiftStart)), \(coverage.vehicleID.rawValue), \(coverage.share), \(text))
                ON CONFLICT DO NOTHING RETURNING 1
                """, on: c)
            guard inserted.count == 1 else { return false }
            if let event, let eventText { try await self.insertVehicleEvent(event, text: eventText, on: c) }
            return true
        }
    }

    /// Measured shifts by start, newest first.
    public func shiftCoverages(vehicleID: VehicleID?, from: Date, to: Date, limit: Int) async throws -> [ShiftCoverage] {
        try await rows(
            """
            SELECT data FROM shift_coverages
            WHERE shift_start >= \(Self.ms(from)) AND shift_start < \(Self.ms(to))
                AND (\(vehicleID?.rawValue)::text IS NULL OR vehicle_id = \(vehicleID?.rawValue))
            ORDER BY shift_start DESC, assignment_id LIMIT \(Int64(max(0, limit)))
            """
        ).map { try decode(ShiftCoverage.self, try $0.decode(String.self)) }
    }
}
