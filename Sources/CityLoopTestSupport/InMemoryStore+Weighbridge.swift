import CityLoopDomain
import Foundation

extension InMemoryStore {
    /// Finished trips meeting the period, oldest first.
    public func vehicleTrips(vehicleID: VehicleID, from: Date, to: Date, limit: Int) async throws -> [VehicleTrip] {
        Array(
            (fleet.trips[vehicleID] ?? [:]).values.filter { $0.startedAt < to && ($0.endedAt ?? $0.lastLoadedAt) >= from }
                .sorted { $0.startedAt < $1.startedAt }.prefix(max(0, limit)))
    }

    /// Stores a ticket and its event at once, unless the ticket is stored already.
    public func saveWeighbridgeTicket(_ ticket: StoredWeighbridgeTicket, event: VehicleEvent?) async throws -> Bool {
        let key = Self.ticketKey(ticket.ticket.siteID, ticket.ticket.number)
        guard fleet.tickets[key] == nil else { return false }
        fleet.tickets[key] = ticket
        if let event { fleet.events.append(StoredVehicleEvent(seq: Int64(fleet.events.count + 1), event: event)) }
        return true
    }

    /// The ticket with this site and number.
    public func weighbridgeTicket(siteID: SiteID, number: String) async throws -> StoredWeighbridgeTicket? {
        fleet.tickets[Self.ticketKey(siteID, number)]
    }

    /// Tickets in the period, newest first.
    public func weighbridgeTickets(vehicleID: VehicleID?, siteID: SiteID?, from: Date, to: Date, limit: Int) async throws -> [StoredWeighbridgeTicket] {
        Array(
            fleet.tickets.values.filter {
                $0.ticket.weighedAt >= from && $0.ticket.weighedAt < to && (vehicleID == nil || $0.vehicleID == vehicleID)
                    && (siteID == nil || $0.ticket.siteID == siteID)
            }
            .sorted { ($0.ticket.weighedAt, $0.ticket.siteID.rawValue, $0.ticket.number) > ($1.ticket.weighedAt, $1.ticket.siteID.rawValue, $1.ticket.number) }
            .prefix(max(0, limit)))
    }

    /// Tickets in the period summed by vehicle and site.
    public func weighbridgeTotals(from: Date, to: Date) async throws -> [WeighbridgeTotal] {
        var totals: [String: WeighbridgeTotal] = [:]
        for t in fleet.tickets.values where t.ticket.weighedAt >= from && t.ticket.weighedAt < to {
            let key = "\(t.vehicleID?.rawValue ?? "")\u{0}\(t.ticket.siteID.rawValue)"
            var total = totals[key] ?? WeighbridgeTotal(vehicleID: t.vehicleID, siteID: t.ticket.siteID, tickets: 0, netKg: 0, emptyTickets: 0)
            total.tickets += 1
            total.netKg += t.netKg
            if t.finding == .arrivedEmpty { total.emptyTickets += 1 }
            totals[key] = total
        }
        return totals.values.sorted {
            ($0.vehicleID == nil ? 0 : 1, $0.vehicleID?.rawValue ?? "", $0.siteID.rawValue) < ($1.vehicleID == nil ? 0 : 1, $1.vehicleID?.rawValue ?? "", $1.siteID.rawValue)
        }
    }

    private static func ticketKey(_ site: SiteID, _ number: String) -> String { "\(site.rawValue)\u{0}\(number)" }
}
