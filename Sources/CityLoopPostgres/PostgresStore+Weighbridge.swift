import CityLoopDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Finished trips meeting the period, oldest first.
    public func vehicleTrips(vehicleID: VehicleID, from: Date, to: Date, limit: Int) async throws -> [VehicleTrip] {
        try await rows(
            """
            SELECT data FROM vehicle_trips WHERE vehicle_id = \(vehicleID.rawValue) AND started_at < \(Self.ms(to)) AND ended_at >= \(Self.ms(from))
            ORDER BY started_at LIMIT \(Int64(max(0, limit)))
            """
        ).map { try decode(VehicleTrip.self, try $0.decode(String.self)) }
    }

    /// Stores a ticket and its event in one transaction, unless the ticket is stored already.
    public func saveWeighbridgeTicket(_ ticket: StoredWeighbridgeTicket, event: VehicleEvent?) async throws -> Bool {
        let text = try json(ticket)
        let eventText = try event.map { try json($0) }
        let t = ticket.ticket
        return try await transaction { c in
            let inserted = try await self.rows(
                """
                INSERT INTO weighbridge_tickets (site_id, number, vehicle_id, weighed_at, net_kg, finding, data)
                VALUES (\(t.siteID.rawValue), \(t.number), \(ticket.vehicleID?.rawValue), \(Self.ms(t.weighedAt)), \(t.netKg), \(ticket.finding?.rawValue), \(text))
                ON CONFLICT DO NOTHING RETURNING 1
                """, on: c)
            guard inserted.count == 1 else { return false }
            if let event, let eventText { try await self.insertVehicleEvent(event, text: eventText, on: c) }
            return true
        }
    }

    /// The ticket with this site and number.
    public func weighbridgeTicket(siteID: SiteID, number: String) async throws -> StoredWeighbridgeTicket? {
        try await rows("SELECT data FROM weighbridge_tickets WHERE site_id = \(siteID.rawValue) AND number = \(number)")
            .first.map { try decode(StoredWeighbridgeTicket.self, try $0.decode(String.self)) }
    }

    /// Tickets in the period, newest first.
    public func weighbridgeTickets(vehicleID: VehicleID?, siteID: SiteID?, from: Date, to: Date, limit: Int) async throws -> [StoredWeighbridgeTicket] {
        try await rows(
            """
            SELECT data FROM weighbridge_tickets
            WHERE weighed_at >= \(Self.ms(from)) AND weighed_at < \(Self.ms(to))
                AND (\(vehicleID?.rawValue)::text IS NULL OR vehicle_id = \(vehicleID?.rawValue))
                AND (\(siteID?.rawValue)::text IS NULL OR site_id = \(siteID?.rawValue))
            ORDER BY weighed_at DESC, site_id DESC, number DESC LIMIT \(Int64(max(0, limit)))
            """
        ).map { try decode(StoredWeighbridgeTicket.self, try $0.decode(String.self)) }
    }

    /// Tickets in the period summed by vehicle and site.
    public func weighbridgeTotals(from: Date, to: Date) async throws -> [WeighbridgeTotal] {
        try await rows(
            """
            SELECT vehicle_id, site_id, count(*)::int8, coalesce(sum(net_kg), 0)::float8, count(*) FILTER (WHERE finding = 'arrivedEmpty')::int8
            FROM weighbridge_tickets WHERE weighed_at >= \(Self.ms(from)) AND weighed_at < \(Self.ms(to))
            GROUP BY vehicle_id, site_id ORDER BY vehicle_id NULLS FIRST, site_id
            """
        ).map { row in
            let (vehicle, site, n, net, empty) = try row.decode((String?, String, Int64, Double, Int64).self)
            return WeighbridgeTotal(vehicleID: vehicle.map { VehicleID($0) }, siteID: SiteID(site), tickets: Int(n), netKg: net, emptyTickets: Int(empty))
        }
    }
}
