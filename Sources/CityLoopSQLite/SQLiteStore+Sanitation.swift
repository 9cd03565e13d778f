import CityLoopDomain
import Foundation
import GRDB

extension SQLiteStore {
    /// Saves road segments.
    public func saveRoadSegments(_ segments: [RoadSegment]) async throws {
        let rows = try segments.map { ($0.id.rawValue, try json($0)) }
        try await pool.write { db in
            let statement = try db.cachedStatement(sql: "INSERT INTO road_segments (id, data) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data")
            for (id, text) in rows { try statement.execute(arguments: [id, text]) }
        }
    }

    /// Every road segment in ID order.
    public func roadSegments() async throws -> [RoadSegment] {
        try await pool.read { db in try String.fetchAll(db, sql: "SELECT data FROM road_segments ORDER BY id") }.map { try decode(RoadSegment.self, $0) }
    }

    /// Saves route assignments.
    public func saveRouteAssignments(_ assignments: [RouteAssignment]) async throws {
        let rows = try assignments.map { ($0, try json($0)) }
        try await pool.write { db in
            let statement = try db.cachedStatement(
                sql: "INSERT INTO route_assignments (id, vehicle_id, data) VALUES (?, ?, ?) "
                    + "ON CONFLICT(id) DO UPDATE SET vehicle_id = excluded.vehicle_id, data = excluded.data")
            for (a, text) in rows { try statement.execute(arguments: [a.id, a.vehicleID.rawValue, text]) }
        }
    }

    /// Route assignments in ID order.
    public func routeAssignments(vehicleID: VehicleID?) async throws -> [RouteAssignment] {
        try await pool.read { db in
            if let vehicleID {
                return try String.fetchAll(db, sql: "SELECT data FROM route_assignments WHERE vehicle_id = ? ORDER BY id", arguments: [vehicleID.rawValue])
            }
            return try String.fetchAll(db, sql: "SELECT data FROM route_assignments ORDER BY id")
        }.map { try decode(RouteAssignment.self, $0) }
    }

    /// Stores a shift's coverage and its event in one transaction, unless the shift is measured already.
    public func saveShiftCoverage(_ coverage: ShiftCoverage, event: VehicleEvent?) async throws -> Bool {
        let text = try json(coverage)
        let eventText = try event.map { try json($0) }
        return try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO shift_coverages (assignment_id, shift_start, vehicle_id, share, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                arguments: [coverage.assignmentID, Self.deviceMillis(coverage.shiftStart), coverage.vehicleID.rawValue, coverage.share, text])
            guard db.changesCount == 1 else { return false }
            if let event, let eventText { try Self.insertVehicleEvent(event, text: eventText, in: db) }
            return true
        }
    }

    /// Measured shifts by start, newest first.
    public func shiftCoverages(vehicleID: VehicleID?, from: Date, to: Date, limit: Int) async throws -> [ShiftCoverage] {
        try await pool.read { db in
            var sql = "SELECT data FROM shift_coverages WHERE shift_start >= ? AND shift_start < ?"
            var args: [any DatabaseValueConvertible] = [Self.deviceMillis(from), Self.deviceMillis(to)]
            if let vehicleID {
                sql += " AND vehicle_id = ?"
                args.append(vehicleID.rawValue)
            }
            return try String.fetchAll(db, sql: sql + " ORDER BY shift_start DESC, assignment_id LIMIT ?", arguments: StatementArguments(args + [max(0, limit)]))
        }.map { try decode(ShiftCoverage.self, $0) }
    }
}
