import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird

extension APIRoutes {
    func addSanitationRoutes(_ api: APIBuilder) {
        let store = platform.store
        let staff: [Role] = [.operator, .shiftLead, .dispatcher, .leader, .admin, .inspector]

        api.add(.get, "/api/v1/road-segments", "Road segments assigned to sanitation crews (保洁路段), in ID order", tag: "vehicles") { _, ctx in
            _ = try ctx.requireRole(staff)
            return try APIJSON.response(try await store.roadSegments())
        }
        api.add(.put, "/api/v1/road-segments", "Save road segments (WGS84 polylines), replacing those with the same ID", tag: "vehicles", access: "admin",
                body: "RoadSegments") { req, ctx in
            _ = try ctx.requireRole(.admin)
            let segments = try await APIJSON.decode([RoadSegment].self, from: req, context: ctx, limit: 32 * 1024 * 1024)
            for (i, s) in segments.enumerated() {
                do { try s.validate() } catch let e as DomainError { throw DomainError.invalid("[\(i)].\(e.field ?? "segment")", e.message) }
            }
            guard Set(segments.map(\.id)).count == segments.count else { throw DomainError.invalid("id", "a segment is listed twice") }
            try await store.saveRoadSegments(segments)
            return try APIJSON.response(["saved": segments.count])
        }
        api.add(.get, "/api/v1/route-assignments", "Sanitation route assignments (作业排班): vehicle, roads, daily shift, required share",
                tag: "vehicles", query: ["vehicle"]) { req, ctx in
            _ = try ctx.requireRole(staff)
            return try APIJSON.response(try await store.routeAssignments(vehicleID: req.query("vehicle").map { VehicleID($0) }))
        }
        api.add(.put, "/api/v1/route-assignments", "Save route assignments, replacing those with the same ID; the vehicle and every road must exist",
                tag: "vehicles", access: "admin", body: "RouteAssignments") { req, ctx in
            _ = try ctx.requireRole(.admin)
            let assignments = try await APIJSON.decode([RouteAssignment].self, from: req, context: ctx, limit: 8 * 1024 * 1024)
            let known = Set(try await store.roadSegments().map(\.id))
            for (i, a) in assignments.enumerated() {
                do { try a.validate() } catch let e as DomainError { throw DomainError.invalid("[\(i)].\(e.field ?? "assignment")", e.message) }
                guard try await store.vehicle(id: a.vehicleID) != nil else { throw DomainError.invalid("[\(i)].vehicleID", "no vehicle '\(a.vehicleID.rawValue)'") }
                if let missing = a.segmentIDs.first(where: { !known.contains($0) }) {
                    throw DomainError.invalid("[\(i)].segmentIDs", "no road segment '\(missing.rawValue)'")
                }
            }
            guard Set(assignments.map(\.id)).count == assignments.count else { throw DomainError.invalid("id", "an assignment is listed twice") }
            try await store.saveRouteAssignments(assignments)
            return try APIJSON.response(["saved": assignments.count])
        }
        api.add(.get, "/api/v1/route-coverage", "Measured sanitation shifts that started in [from, to) (default the last 7 days), newest first: "
                + "the share of each road driven against the required share", tag: "vehicles", query: ["vehicle", "from", "to", "limit"]) { req, ctx in
            _ = try ctx.requireRole(staff)
            let (from, to) = try Self.period(req, days: 7, now: platform.clock.now())
            return try APIJSON.response(
                try await store.shiftCoverages(
                    vehicleID: req.query("vehicle").map { VehicleID($0) }, from: from, to: to, limit: try Self.limit(req, default: 500, max: 5000)))
        }
        api.add(.get, "/api/v1/vehicles/:id/coverage", "How much of its assigned roads a vehicle drove in [from, to) (default the last 8 hours), "
                + "per assignment: the current shift's progress, measured now", tag: "vehicles", query: ["from", "to"]) { req, ctx in
            _ = try ctx.requireRole(staff)
            let id = VehicleID(try ctx.param("id"))
            guard try await store.vehicle(id: id) != nil else { throw DomainError.notFound("vehicle", id.rawValue) }
            let (from, to) = try Self.period(req, days: 1.0 / 3, now: platform.clock.now())
            guard to.timeIntervalSince(from) <= 2 * 86_400 else { throw DomainError.invalid("from", "a period is at most 2 days") }
            return try APIJSON.response(try await RouteCoverageSweep(store: store, clock: platform.clock).progress(vehicleID: id, from: from, to: to))
        }
    }
}
