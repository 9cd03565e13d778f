import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird

/// A vehicle with where it was last and what it did lately: for the fleet map and the vehicle page.
struct VehicleReply: Encodable {
    var vehicle: Vehicle
    var lastPosition: VehiclePosition?
    var events: [StoredVehicleEvent]
    var permits: [TransportPermit]
}

/// What a positions post did.
struct PositionsReply: Encodable {
    var accepted: Int
    var stored: Int
    var rejected: [PositionInput.Problem]
    var events: [VehicleEvent]
}

extension APIRoutes {
    func addVehicleRoutes(_ api: APIBuilder) {
        let store = platform.store
        let ingest = platform.vehicleIngest
        let staff: [Role] = [.operator, .shiftLead, .dispatcher, .leader, .admin, .inspector]

        api.add(.get, "/api/v1/vehicles", "The fleet registry (车辆台账) in ID order, a page at a time", tag: "vehicles", query: ["after", "limit"]) { req, ctx in
            _ = try ctx.requireRole(staff)
            let limit = try Self.limit(req, default: 500, max: 5000)
            return try APIJSON.response(try await store.vehicles(after: req.query("after").map { VehicleID($0) }, limit: limit))
        }
        api.add(.put, "/api/v1/vehicles", "Register or replace vehicles (muck trucks, sweepers, washers, garbage trucks) with their terminals",
                tag: "vehicles", access: "admin", body: "Vehicles") { req, ctx in
            let actor = try ctx.requireRole(.admin)
            var vehicles = try await APIJSON.decode([Vehicle].self, from: req, context: ctx)
            for i in vehicles.indices {
                do { try vehicles[i].validate() } catch let e as DomainError { throw DomainError.invalid("[\(i)].\(e.field ?? "vehicle")", e.message, code: e.code) }
                vehicles[i].terminalPhone = vehicles[i].terminalPhone.map(Vehicle.terminalNumber)
                if let c = vehicles[i].companyID, platform.context.departments[c] == nil {
                    throw DomainError.invalid("[\(i)].companyID", "department '\(c.rawValue.prefix(64))' does not exist", code: "department.not_found")
                }
                if let d = vehicles[i].driverID, try await store.driver(id: d) == nil {
                    throw DomainError.invalid("[\(i)].driverID", "driver '\(d.rawValue.prefix(64))' is not registered", code: "driver.not_found")
                }
            }
            guard Set(vehicles.map(\.id)).count == vehicles.count else { throw DomainError.invalid("id", "a vehicle is listed twice") }
            try await store.saveVehicles(vehicles)
            await ingest.referenceChanged()
            ctx.logger.info("vehicles saved", metadata: ["by": "\(actor.userID)", "count": "\(vehicles.count)"])
            return try APIJSON.response(["saved": vehicles.count])
        }
        api.add(.get, "/api/v1/vehicles/positions/latest", "Where every vehicle was last (the fleet map)", tag: "vehicles") { _, ctx in
            _ = try ctx.requireRole(staff)
            return try APIJSON.response(try await store.latestPositions())
        }
        api.add(.post, "/api/v1/vehicles/positions", "Positions from a fleet platform (up to 5000): stored, run through the rules; bad entries listed",
                tag: "vehicles", access: "partner, admin", query: ["crs"], body: "PositionsInput") { req, ctx in
            _ = try ctx.requireRole(.partner, .admin, .system)
            try APIJSON.requireJSON(req)
            let input = try await APIJSON.decode(PositionInput.self, from: req, context: ctx, limit: 8 * 1024 * 1024)
            let (positions, problems) = try input.positions(crs: try CoordinateInput.crs(req))
            let result = try await ingest.ingest(positions)
            let refused = result.refused.map { PositionInput.Problem(index: -1, vehicle: $0.vehicleID, field: "vehicle", message: $0.reason) }
            return try APIJSON.response(PositionsReply(accepted: result.accepted, stored: result.stored, rejected: problems + refused, events: result.events))
        }
        api.add(.get, "/api/v1/vehicles/:id", "A vehicle with its last position, latest events and permits", tag: "vehicles") { _, ctx in
            _ = try ctx.requireRole(staff)
            let id = VehicleID(try ctx.param("id"))
            guard let vehicle = try await store.vehicle(id: id) else { throw DomainError.notFound("vehicle", id.rawValue) }
            let last = try await store.latestPositions().first { $0.vehicleID == id }
            return try APIJSON.response(
                VehicleReply(
                    vehicle: vehicle, lastPosition: last, events: try await store.vehicleEvents(vehicleID: id, before: nil, limit: 50),
                    permits: try await store.permits(vehicleID: id)))
        }
        api.add(.get, "/api/v1/vehicles/:id/track", "A vehicle's positions in [from, to), oldest first (track replay 轨迹回放)", tag: "vehicles",
                query: ["from", "to", "limit"]) { req, ctx in
            _ = try ctx.requireRole(staff)
            let id = VehicleID(try ctx.param("id"))
            guard try await store.vehicle(id: id) != nil else { throw DomainError.notFound("vehicle", id.rawValue) }
            let (from, to) = try Self.period(req, days: 1, now: platform.clock.now())
            return try APIJSON.response(try await store.positions(vehicleID: id, from: from, to: to, limit: try Self.limit(req, default: 10_000, max: 100_000)))
        }
        api.add(.get, "/api/v1/vehicle-events", "Vehicle events newest first (of one vehicle when given): dumping suspected, off route, speeding…",
                tag: "vehicles", query: ["vehicle", "before", "limit"]) { req, ctx in
            _ = try ctx.requireRole(staff)
            let before = try req.queryInt("before").map(Int64.init)
            return try APIJSON.response(
                try await store.vehicleEvents(vehicleID: req.query("vehicle").map { VehicleID($0) }, before: before, limit: try Self.limit(req, default: 100, max: 1000)))
        }
        api.add(.get, "/api/v1/vehicle-sites", "Construction sites, disposal sites (消纳场), forbidden zones, weighbridges and depots", tag: "vehicles") { _, ctx in
            _ = try ctx.requireRole(staff)
            return try APIJSON.response(try await store.sites())
        }
        api.add(.put, "/api/v1/vehicle-sites", "Save sites (WGS84 polygons with opening or forbidden hours), replacing those with the same ID",
                tag: "vehicles", access: "admin", body: "Sites") { req, ctx in
            _ = try ctx.requireRole(.admin)
            let sites = try await APIJSON.decode([Site].self, from: req, context: ctx, limit: 32 * 1024 * 1024)
            for (i, s) in sites.enumerated() {
                // The ID and the name are checked here, not in `Site.validate()`, which the rules' index also runs on sites
                // stored before these rules.
                do {
                    try s.validate()
                    try FreeTextID.check(s.id.rawValue, what: "a site's ID", code: "site.id")
                } catch let e as DomainError { throw DomainError.invalid("[\(i)].\(e.field ?? "site")", e.message, code: e.code) }
                guard !s.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, s.name.count <= 100 else {
                    throw DomainError.invalid("[\(i)].name", "a site's name is 1–100 characters", code: "site.name")
                }
            }
            _ = try SiteIndex(sites: sites)
            let permits = try await store.permits(vehicleID: nil)
            let now = platform.clock.now()
            for (i, s) in sites.enumerated() {
                if let (permit, kind) = TransportPermit.naming(s.id, in: permits, at: now).first(where: { $0.kind != s.kind }) {
                    throw DomainError.invalid(
                        "[\(i)].kind", "site '\(s.id.rawValue)' is an end of transport permit '\(permit.id.rawValue)', which needs a \(kind.rawValue)",
                        code: "site.in_use")
                }
            }
            try await store.saveSites(sites)
            await ingest.referenceChanged()
            return try APIJSON.response(["saved": sites.count])
        }
        api.add(.delete, "/api/v1/vehicle-sites/:id", "Remove a site (409 while a permit not yet expired names it)", tag: "vehicles", access: "admin") { _, ctx in
            _ = try ctx.requireRole(.admin)
            let id = SiteID(try ctx.param("id"))
            let naming = TransportPermit.naming(id, in: try await store.permits(vehicleID: nil), at: platform.clock.now())
            guard naming.isEmpty else {
                let ids = Set(naming.map(\.permit.id.rawValue)).sorted()
                throw DomainError(
                    .conflict, code: "site.in_use",
                    "site '\(id.rawValue)' is an end of transport permits \(ids.prefix(10).joined(separator: ", "))\(ids.count > 10 ? "…" : ""): remove or change them first",
                    field: "id")
            }
            guard try await store.deleteSite(id: id) else { throw DomainError.notFound("site", id.rawValue) }
            await ingest.referenceChanged()
            return try APIJSON.response(["deleted": id.rawValue])
        }
        api.add(.get, "/api/v1/transport-permits", "Transport permits (准运证): vehicle, site → disposal site, route corridor, dates and hours",
                tag: "vehicles", query: ["vehicle"]) { req, ctx in
            _ = try ctx.requireRole(staff)
            return try APIJSON.response(try await store.permits(vehicleID: req.query("vehicle").map { VehicleID($0) }))
        }
        api.add(.put, "/api/v1/transport-permits", "Save transport permits, replacing those with the same ID", tag: "vehicles", access: "admin",
                body: "Permits") { req, ctx in
            _ = try ctx.requireRole(.admin)
            let permits = try await APIJSON.decode([TransportPermit].self, from: req, context: ctx, limit: 8 * 1024 * 1024)
            let sites = Dictionary(try await store.sites().map { ($0.id, $0.kind) }, uniquingKeysWith: { a, _ in a })
            for (i, p) in permits.enumerated() {
                do { try p.validate() } catch let e as DomainError { throw DomainError.invalid("[\(i)].\(e.field ?? "permit")", e.message, code: e.code) }
                guard try await store.vehicle(id: p.vehicleID) != nil else {
                    throw DomainError.invalid("[\(i)].vehicleID", "no vehicle '\(p.vehicleID.rawValue.prefix(64))'", code: "vehicle.not_found")
                }
                // The rules take a trip's origin to be a construction site (`VehicleTracker.origin`), and muck may be unloaded only at a disposal site.
                let ends = [("originSiteID", p.originSiteID, TransportPermit.originKind), ("destinationSiteID", p.destinationSiteID, TransportPermit.destinationKind)]
                for (field, id, kind) in ends where sites[id] != kind {
                    let name = id.rawValue.prefix(64)
                    let what = sites[id].map { "site '\(name)' is a \($0.rawValue), not a \(kind.rawValue)" } ?? "there is no site '\(name)'"
                    throw DomainError.invalid("[\(i)].\(field)", what, code: "permit.site")
                }
            }
            guard Set(permits.map(\.id)).count == permits.count else { throw DomainError.invalid("id", "a permit is listed twice") }
            try await store.savePermits(permits)
            await ingest.referenceChanged()
            return try APIJSON.response(["saved": permits.count])
        }
        api.add(.delete, "/api/v1/transport-permits/:id", "Remove a transport permit (revoked, or issued in error)", tag: "vehicles", access: "admin") { _, ctx in
            let actor = try ctx.requireRole(.admin)
            let id = PermitID(try ctx.param("id"))
            guard try await store.deletePermit(id: id) else { throw DomainError.notFound("permit", id.rawValue) }
            await ingest.referenceChanged()
            ctx.logger.info("permit deleted", metadata: ["by": "\(actor.userID)", "permit": "\(id.rawValue)"])
            return try APIJSON.response(["deleted": id.rawValue])
        }
        api.add(.get, "/api/v1/vehicle-rules", "The vehicle rules' settings in force: dwell, corridor width, speed limits, the UTC offset of daily hours and permit dates",
                tag: "vehicles") { _, ctx in
            _ = try ctx.requireRole(staff)
            return try APIJSON.response(await ingest.settings)
        }
    }

    /// The `limit` query parameter, within 1…`max`.
    static func limit(_ req: Request, default value: Int, max: Int) throws -> Int {
        let n = try req.queryInt("limit") ?? value
        guard (1...max).contains(n) else { throw DomainError.invalid("limit", "limit must be 1–\(max)") }
        return n
    }
}
