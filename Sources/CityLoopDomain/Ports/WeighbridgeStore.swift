import Foundation

/// A finished trip of a vehicle as stored; a trip is known by its vehicle and its start.
public struct StoredVehicleTrip: Hashable, Codable, Sendable {
    /// The vehicle.
    public var vehicleID: VehicleID
    /// The trip.
    public var trip: VehicleTrip

    /// Creates a stored trip.
    public init(vehicleID: VehicleID, trip: VehicleTrip) {
        self.vehicleID = vehicleID
        self.trip = trip
    }
}

/// A weighbridge ticket with what the city made of it.
public struct StoredWeighbridgeTicket: Hashable, Codable, Sendable {
    /// The ticket as sent.
    public var ticket: WeighbridgeTicket
    /// The registered vehicle it was matched to by ID or plate; nil for a vehicle not in the registry.
    public var vehicleID: VehicleID?
    /// The start of the matched trip; nil when none matched.
    public var tripStartedAt: Date?
    /// What is wrong, if anything.
    public var finding: WeighbridgeFinding?
    /// When the platform received it.
    public var receivedAt: Date

    /// Creates a stored ticket.
    public init(ticket: WeighbridgeTicket, vehicleID: VehicleID?, tripStartedAt: Date?, finding: WeighbridgeFinding?, receivedAt: Date) {
        self.ticket = ticket
        self.vehicleID = vehicleID
        self.tripStartedAt = tripStartedAt
        self.finding = finding
        self.receivedAt = receivedAt
    }

    /// The net weight in kg.
    public var netKg: Double { ticket.netKg }
}

/// The tickets of one vehicle (nil: not in the registry) at one site in a period, summed.
public struct WeighbridgeTotal: Hashable, Codable, Sendable {
    /// The vehicle; nil for tickets of vehicles not in the registry.
    public var vehicleID: VehicleID?
    /// The site.
    public var siteID: SiteID
    /// How many tickets.
    public var tickets: Int
    /// Their net weight in kg.
    public var netKg: Double
    /// How many of them found the truck empty.
    public var emptyTickets: Int

    /// Creates a total.
    public init(vehicleID: VehicleID?, siteID: SiteID, tickets: Int, netKg: Double, emptyTickets: Int) {
        self.vehicleID = vehicleID
        self.siteID = siteID
        self.tickets = tickets
        self.netKg = netKg
        self.emptyTickets = emptyTickets
    }
}

/// Trips (written with the vehicle ingest's batches) and weighbridge tickets (过磅数据). One conformance suite runs on
/// every store.
public protocol WeighbridgeStore: Sendable {
    /// A vehicle's finished trips whose loaded span meets [`from`, `to`): started before `to`, ended at or after
    /// `from`; oldest first, at most `limit`.
    func vehicleTrips(vehicleID: VehicleID, from: Date, to: Date, limit: Int) async throws -> [VehicleTrip]
    /// Stores a ticket and the event it raised in one transaction; false (and nothing written) when a ticket with
    /// its site and number is stored already.
    func saveWeighbridgeTicket(_ ticket: StoredWeighbridgeTicket, event: VehicleEvent?) async throws -> Bool
    /// The ticket with this site and number.
    func weighbridgeTicket(siteID: SiteID, number: String) async throws -> StoredWeighbridgeTicket?
    /// Tickets weighed in [`from`, `to`) (of one vehicle and one site when given), newest first, at most `limit`.
    func weighbridgeTickets(vehicleID: VehicleID?, siteID: SiteID?, from: Date, to: Date, limit: Int) async throws -> [StoredWeighbridgeTicket]
    /// Tickets weighed in [`from`, `to`) summed by vehicle and site, in (vehicle, site) order with unregistered
    /// vehicles first.
    func weighbridgeTotals(from: Date, to: Date) async throws -> [WeighbridgeTotal]
}
