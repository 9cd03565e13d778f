import CityLoopDomain
import Foundation

/// What became of one ticket.
public struct WeighbridgeOutcome: Hashable, Codable, Sendable {
    /// The ticket's site.
    public var siteID: SiteID
    /// The ticket's number.
    public var number: String
    /// False when a ticket with this site and number was stored before (then the stored one is described).
    public var stored: Bool
    /// The registered vehicle matched by ID or plate.
    public var vehicleID: VehicleID?
    /// The start of the matched trip.
    public var tripStartedAt: Date?
    /// What is wrong, if anything.
    public var finding: WeighbridgeFinding?
    /// The net weight in kg.
    public var netKg: Double
}

/// Weighbridge tickets into the city (过磅数据接入): each ticket is matched to its vehicle (by ID, else by plate) and to
/// the trip it ended (`WeighbridgeRules`), stored once by its site and number, and an empty arrival is a vehicle
/// event (counted in the haulage company's credit).
public struct WeighbridgeIntake: Sendable {
    let store: any CityStore
    let clock: any CityClock
    /// The matching rules.
    public let rules: WeighbridgeRules

    /// Creates an intake.
    public init(store: any CityStore, clock: any CityClock, rules: WeighbridgeRules = WeighbridgeRules()) {
        self.store = store
        self.clock = clock
        self.rules = rules
    }

    /// Checks every ticket first (an invalid one refuses all, naming `[i].field`), then stores them in order.
    public func submit(_ tickets: [WeighbridgeTicket]) async throws -> [WeighbridgeOutcome] {
        let now = clock.now()
        let sites = try SiteIndex(sites: try await store.sites())
        var seen: Set<String> = []
        for (i, t) in tickets.enumerated() {
            do { try t.validate(now: now) } catch let e as DomainError { throw DomainError.invalid("[\(i)].\(e.field ?? "ticket")", e.message) }
            guard let site = sites.site(id: t.siteID), site.kind == .disposalSite || site.kind == .weighbridge else {
                throw DomainError.invalid("[\(i)].siteID", "no disposal site or weighbridge '\(t.siteID.rawValue)'")
            }
            guard seen.insert("\(t.siteID.rawValue)\u{0}\(t.number)").inserted else {
                throw DomainError.invalid("[\(i)].number", "ticket '\(t.number)' of site '\(t.siteID.rawValue)' is listed twice")
            }
        }
        let plates = tickets.contains { $0.vehicleID == nil } ? try await plateIndex() : [:]
        var out: [WeighbridgeOutcome] = []
        for t in tickets {
            if let stored = try await store.weighbridgeTicket(siteID: t.siteID, number: t.number) {
                out.append(outcome(stored, stored: false))
                continue
            }
            let vehicle: Vehicle? =
                if let id = t.vehicleID { try await store.vehicle(id: id) } else { t.plate.flatMap { plates[WeighbridgeTicket.normalizedPlate($0)] } }
            var trips: [VehicleTrip] = []
            if let vehicle {
                let window = rules.windowSeconds
                trips = try await store.vehicleTrips(
                    vehicleID: vehicle.id, from: t.weighedAt.addingTimeInterval(-window), to: t.weighedAt.addingTimeInterval(window), limit: 100)
                if let open = try await store.trackers(vehicleIDs: [vehicle.id])[vehicle.id]?.trip { trips.append(open) }
            }
            let match = rules.match(t, vehicle: vehicle, trips: trips, stationSiteIDs: Self.station(t.siteID, in: sites), now: now)
            let trip = trips.first { $0.startedAt == match.tripStartedAt }
            let point = sites.site(id: t.siteID)?.boundary.boundingBox.center
            let event = rules.event(t, vehicle: vehicle, match: match, trip: trip, point: point)
            let record = StoredWeighbridgeTicket(ticket: t, vehicleID: vehicle?.id, tripStartedAt: match.tripStartedAt, finding: match.finding, receivedAt: now)
            if try await store.saveWeighbridgeTicket(record, event: event) {
                out.append(outcome(record, stored: true))
            } else if let stored = try await store.weighbridgeTicket(siteID: t.siteID, number: t.number) {
                // Another node stored the same ticket between the read and the write.
                out.append(outcome(stored, stored: false))
            }
        }
        return out
    }

    /// The sites a ticket's station stands for: its own, and for a weighbridge the disposal sites its outline's
    /// centre lies in (a weighbridge at a disposal site's gate weighs what that site receives).
    static func station(_ id: SiteID, in sites: SiteIndex) -> Set<SiteID> {
        guard let site = sites.site(id: id) else { return [id] }
        guard site.kind == .weighbridge else { return [id] }
        return Set([id] + sites.sites(containing: site.boundary.boundingBox.center).filter { $0.kind == .disposalSite }.map(\.id))
    }

    /// Registered vehicles by normalized plate (a plate listed twice is ambiguous and matches neither).
    private func plateIndex() async throws -> [String: Vehicle] {
        var index: [String: Vehicle] = [:]
        var twice: Set<String> = []
        var after: VehicleID?
        while true {
            let page = try await store.vehicles(after: after, limit: 1000)
            for v in page {
                let plate = WeighbridgeTicket.normalizedPlate(v.plate)
                if index.updateValue(v, forKey: plate) != nil { twice.insert(plate) }
            }
            guard page.count == 1000, let last = page.last else { break }
            after = last.id
        }
        for plate in twice { index[plate] = nil }
        return index
    }

    private func outcome(_ t: StoredWeighbridgeTicket, stored: Bool) -> WeighbridgeOutcome {
        WeighbridgeOutcome(
            siteID: t.ticket.siteID, number: t.ticket.number, stored: stored, vehicleID: t.vehicleID, tripStartedAt: t.tripStartedAt,
            finding: t.finding, netKg: t.netKg)
    }
}
