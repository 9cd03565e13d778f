import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird

/// A driver with the vehicles assigned to them now and their latest events.
struct DriverReply: Encodable {
    var driver: Driver
    var vehicles: [VehicleID]
    var events: [StoredVehicleEvent]
}

extension APIRoutes {
    func addDriverRoutes(_ api: APIBuilder) {
        let store = platform.store
        let readers: [Role] = [.operator, .shiftLead, .dispatcher, .leader, .admin, .inspector, .handler]

        api.add(.put, "/api/v1/drivers", "Register or replace drivers (驾驶员): name, licence number, phone, company, active",
                tag: "vehicles", access: "admin", body: "Drivers") { req, ctx in
            let actor = try ctx.requireRole(.admin)
            let drivers = try await APIJSON.decode([Driver].self, from: req, context: ctx)
            guard drivers.count <= 5000 else { throw DomainError.invalid("body", "at most 5000 drivers a request") }
            for (i, d) in drivers.enumerated() {
                do { try d.validate() } catch let e as DomainError { throw DomainError.invalid("[\(i)].\(e.field ?? "driver")", e.message, code: e.code) }
                if let c = d.companyID, platform.context.departments[c] == nil {
                    throw DomainError.invalid("[\(i)].companyID", "department '\(c.rawValue.prefix(64))' does not exist", code: "department.not_found")
                }
            }
            guard Set(drivers.map(\.id)).count == drivers.count else { throw DomainError.invalid("id", "a driver is listed twice") }
            try await store.saveDrivers(drivers)
            ctx.logger.info("drivers saved", metadata: ["by": "\(actor.userID)", "count": "\(drivers.count)"])
            return try APIJSON.response(["saved": drivers.count])
        }
        api.add(.get, "/api/v1/drivers", "The drivers in ID order, of one company with ?company=; a company's handler sees its own; phones masked but to admins",
                tag: "vehicles", access: "staff, handler", query: ["company"]) { req, ctx in
            let actor = try ctx.requireRole(readers)
            var company = req.query("company").map { DepartmentID($0) }
            if actor.role == .handler {
                guard let own = actor.departmentID, company == nil || company == own else { throw DomainError.forbidden("a handler sees its own company's drivers") }
                company = own
            }
            let drivers = try await store.drivers(companyID: company)
            return try APIJSON.response(actor.role == .admin ? drivers : drivers.map(\.masked))
        }
        api.add(.get, "/api/v1/drivers/:id", "A driver with the vehicles assigned to them now and their events of the last 30 days (newest first, at most 100)",
                tag: "vehicles", access: "staff, handler") { _, ctx in
            let actor = try ctx.requireRole(readers)
            let id = DriverID(try ctx.param("id"))
            guard let driver = try await store.driver(id: id) else { throw DomainError.notFound("driver", id.rawValue) }
            if actor.role == .handler, actor.departmentID == nil || actor.departmentID != driver.companyID {
                throw DomainError.forbidden("a handler sees its own company's drivers")
            }
            var vehicles: [VehicleID] = []
            var after: VehicleID?
            while true {
                let page = try await store.vehicles(after: after, limit: 5000)
                vehicles += page.filter { $0.driverID == id }.map(\.id)
                guard page.count == 5000, let last = page.last else { break }
                after = last.id
            }
            let now = platform.clock.now()
            var events: [StoredVehicleEvent]
            if let company = driver.companyID {
                // The company's log by time: the driver's events on any of its trucks.
                events = try await VehicleEventLog.events(
                    store, companyID: company, from: now.addingTimeInterval(-30 * 86_400), to: now.addingTimeInterval(1),
                    kinds: Set(VehicleEvent.Kind.allCases))
            } else {
                events = []
                for v in vehicles { events += try await store.vehicleEvents(vehicleID: v, before: nil, limit: 100) }
                events.sort { ($0.event.time, $0.seq) > ($1.event.time, $1.seq) }
            }
            events = events.filter { $0.event.driverID == id }
            return try APIJSON.response(DriverReply(driver: actor.role == .admin ? driver : driver.masked, vehicles: vehicles, events: Array(events.prefix(100))))
        }
    }
}
