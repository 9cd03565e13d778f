import CityLoopDomain
import Foundation
import GRDB

extension SQLiteStore {
    /// Finished trips meeting the period, oldest first.
    public func vehicleTrips(vehicleID: VehicleID, from: Date, to: Date, limit: Int) async throws -> [VehicleTrip] {
        try await pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT data FROM vehicle_trips WHERE vehicle_id = ? AND started_at < ? AND ended_at >= ? ORDER BY started_at LIMIT ?",
                arguments: [vehicleID.rawValue, Self.deviceMillis(to), Self.deviceMillis(from), max(0, limit)])
        }.map { try decode(VehicleTrip.self, $0) }
    }

    /// Stores a ticket and its event in one transaction, unless the ticket is stored already.
    public func saveWeighbridgeTicket(_ ticket: StoredWeighbridgeTicket, event: VehicleEvent?) async throws -> Bool {
        let text = try json(ticket)
        let eventText = try event.map { try json($0) }
        let t = ticket.ticket
        return try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO weighbridge_tickets (site_id, number, vehicle_id, weighed_at, net_kg, finding, data) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT DO NOTHING",
                arguments: [
                    t.siteID.rawValue, t.number, ticket.vehicleID?.rawValue, Self.deviceMillis(t.weighedAt), t.netKg, ticket.finding?.rawValue, text,
                ])
            guard db.changesCount == 1 else { return false }
            if let event, let eventText { try Self.insertVehicleEvent(event, text: eventText, in: db) }
            return true
        }
    }

    /// The ticket with this site and number.
    public func weighbridgeTicket(siteID: SiteID, number: String) async throws -> StoredWeighbridgeTicket? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT data FROM weighbridge_tickets WHERE site_id = ? AND number = ?", arguments: [siteID.rawValue, number])
        }.map { try decode(StoredWeighbridgeTicket.self, $0) }
    }

    /// Tickets in the period, newest first.
    public func weighbridgeTickets(vehicleID: VehicleID?, siteID: SiteID?, from: Date, to: Date, limit: Int) async throws -> [StoredWeighbridgeTicket] {
        try await pool.read { db in
            var sql = "SELECT data FROM weighbridge_tickets WHERE weighed_at >= ? AND weighed_at < ?"
            var args: [any DatabaseValueConvertible] = [Self.deviceMillis(from), Self.deviceMillis(to)]
            if let vehicleID {
                sql += " AND vehicle_id = ?"
                args.append(vehicleID.rawValue)
            }
            if let siteID {
                sql += " AND site_id = ?"
                args.append(siteID.rawValue)
            }
            return try String.fetchAll(
                db, sql: sql + " ORDER BY weighed_at DESC, site_id DESC, number DESC LIMIT ?", arguments: StatementArguments(args + [max(0, limit)]))
        }.map { try decode(StoredWeighbridgeTicket.self, $0) }
    }

    /// Tickets in the period summed by vehicle and site.
    public func weighbridgeTotals(from: Date, to: Date) async throws -> [WeighbridgeTotal] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT vehicle_id, site_id, count(*), total(net_kg), sum(CASE WHEN finding = 'arrivedEmpty' THEN 1 ELSE 0 END)
                    FROM weighbridge_tickets WHERE weighed_at >= ? AND weighed_at < ?
                    GROUP BY vehicle_id, site_id ORDER BY vehicle_id, site_id
                    """,
                arguments: [Self.deviceMillis(from), Self.deviceMillis(to)]
            ).map { row in
                WeighbridgeTotal(
                    vehicleID: (row[0] as String?).map { VehicleID($0) }, siteID: SiteID(row[1] as String), tickets: row[2], netKg: row[3],
                    emptyTickets: row[4])
            }
        }
    }
}
