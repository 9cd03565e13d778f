import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird

/// A trip of a vehicle with the weighbridge tickets matched to it.
struct TripReply: Encodable {
    var vehicleID: VehicleID
    var trip: VehicleTrip
    /// Still loaded: the trip has not ended.
    var underway: Bool
    var tickets: [StoredWeighbridgeTicket]
    /// The tickets' net weight in kg.
    var netKg: Double
}

/// Tickets summed by vehicle, company or site.
struct WeighbridgeTotalReply: Encodable {
    var vehicleID: VehicleID?
    var companyID: DepartmentID?
    var siteID: SiteID?
    var tickets: Int
    var netKg: Double
    var emptyTickets: Int
}

/// How the weighbridge totals are grouped.
enum WeighbridgeGrouping: String, CaseIterable {
    case vehicle, company, site
}

extension APIRoutes {
    func addWeighbridgeRoutes(_ api: APIBuilder) {
        let store = platform.store
        let staff: [Role] = [.operator, .shiftLead, .dispatcher, .leader, .admin, .inspector]
        let window = WeighbridgeRules().windowSeconds

        api.add(.post, "/api/v1/weighbridge-tickets",
                "Weighbridge tickets (过磅单), a JSON array or a CSV file of up to 100,000: matched to their vehicles (ID or plate) and trips; "
                + "an empty arrival is a vehicle event; a ticket sent again changes nothing", tag: "vehicles", access: "partner, admin",
                body: "WeighbridgeTickets") { req, ctx in
            _ = try ctx.requireRole(.partner, .admin, .system)
            let buffer = try await APIJSON.collect(req, limit: 32 * 1024 * 1024)
            let type = req.headers[.contentType]?.lowercased() ?? "application/json"
            let tickets: [WeighbridgeTicket]
            if type.hasPrefix("text/csv") {
                tickets = try WeighbridgeFile.csv(String(decoding: buffer.readableBytesView, as: UTF8.self))
            } else {
                try APIJSON.requireJSON(req)
                tickets = try APIJSON.decode([WeighbridgeTicket].self, buffer: buffer)
                guard tickets.count <= WeighbridgeFile.maxLines else { throw DomainError.invalid("body", "at most \(WeighbridgeFile.maxLines) tickets a request") }
            }
            let outcomes = try await WeighbridgeIntake(store: store, clock: platform.clock).submit(tickets)
            ctx.logger.info("weighbridge tickets", metadata: ["count": "\(tickets.count)", "new": "\(outcomes.filter(\.stored).count)"])
            return try APIJSON.response(outcomes)
        }
        api.add(.get, "/api/v1/weighbridge-tickets", "Weighbridge tickets weighed in [from, to) (default the last 30 days), newest first, with their trip and finding",
                tag: "vehicles", query: ["vehicle", "site", "from", "to", "limit"]) { req, ctx in
            _ = try ctx.requireRole(staff)
            let (from, to) = try Self.period(req, days: 30, now: platform.clock.now())
            return try APIJSON.response(
                try await store.weighbridgeTickets(
                    vehicleID: req.query("vehicle").map { VehicleID($0) }, siteID: req.query("site").map { SiteID($0) }, from: from, to: to,
                    limit: try Self.limit(req, default: 500, max: 5000)))
        }
        api.add(.get, "/api/v1/weighbridge-totals", "Net weight weighed in [from, to) (default the last 30 days) by vehicle, company or site, with empty arrivals",
                tag: "vehicles", query: ["from", "to", "by"]) { req, ctx in
            _ = try ctx.requireRole(staff)
            let (from, to) = try Self.period(req, days: 30, now: platform.clock.now())
            let by = try req.queryEnum("by", WeighbridgeGrouping.self) ?? .vehicle
            let totals = try await store.weighbridgeTotals(from: from, to: to)
            let companies = by == .company ? try await VehicleEventLog.companies(store) : [:]
            var grouped: [String: WeighbridgeTotalReply] = [:]
            for t in totals {
                var row = WeighbridgeTotalReply(tickets: 0, netKg: 0, emptyTickets: 0)
                switch by {
                case .vehicle: row.vehicleID = t.vehicleID
                case .company: row.companyID = t.vehicleID.flatMap { companies[$0] }
                case .site: row.siteID = t.siteID
                }
                let key = [row.vehicleID?.rawValue, row.companyID?.rawValue, row.siteID?.rawValue].map { $0 ?? "" }.joined(separator: "\u{0}")
                var sum = grouped[key] ?? row
                sum.tickets += t.tickets
                sum.netKg += t.netKg
                sum.emptyTickets += t.emptyTickets
                grouped[key] = sum
            }
            return try APIJSON.response(grouped.values.sorted { $0.netKg != $1.netKg ? $0.netKg > $1.netKg : $0.tickets > $1.tickets })
        }
        api.add(.get, "/api/v1/vehicles/:id/trips", "A vehicle's loaded trips (运输趟次) meeting [from, to) (default the last 7 days), oldest first, "
                + "the one under way included, with their weighbridge tickets", tag: "vehicles", query: ["from", "to", "limit"]) { req, ctx in
            _ = try ctx.requireRole(staff)
            let id = VehicleID(try ctx.param("id"))
            guard try await store.vehicle(id: id) != nil else { throw DomainError.notFound("vehicle", id.rawValue) }
            let (from, to) = try Self.period(req, days: 7, now: platform.clock.now())
            let limit = try Self.limit(req, default: 500, max: 5000)
            var trips = try await store.vehicleTrips(vehicleID: id, from: from, to: to, limit: limit)
            if trips.count < limit, let open = try await store.trackers(vehicleIDs: [id])[id]?.trip, open.startedAt < to, open.lastLoadedAt >= from {
                trips.append(open)
            }
            let tickets = try await store.weighbridgeTickets(
                vehicleID: id, siteID: nil, from: from.addingTimeInterval(-window), to: to.addingTimeInterval(window), limit: 5000)
            let byTrip = Dictionary(grouping: tickets.filter { $0.tripStartedAt != nil }, by: { $0.tripStartedAt! })
            return try APIJSON.response(
                trips.map { trip in
                    let matched = (byTrip[trip.startedAt] ?? []).sorted { $0.ticket.weighedAt < $1.ticket.weighedAt }
                    return TripReply(
                        vehicleID: id, trip: trip, underway: !trip.isFinished, tickets: matched, netKg: matched.reduce(0) { $0 + max(0, $1.netKg) })
                })
        }
    }

    /// The `from` and `to` query parameters: `to` defaults to now, `from` to `days` before `to`; `from` must be before `to`.
    static func period(_ req: Request, days: Double, now: Date) throws -> (Date, Date) {
        let to = try req.queryDate("to") ?? now
        let from = try req.queryDate("from") ?? to.addingTimeInterval(-days * 86_400)
        guard from < to else { throw DomainError.invalid("from", "from must be before to") }
        return (from, to)
    }
}
