import CityLoopDomain
import Foundation

/// The in-memory store's fleet registry, sites, permits, positions, trackers and vehicle events.
struct InMemoryFleet {
    var vehicles: [VehicleID: Vehicle] = [:]
    var authCodes: [VehicleID: String] = [:]
    var sites: [SiteID: Site] = [:]
    var permits: [PermitID: TransportPermit] = [:]
    var trackers: [VehicleID: VehicleTracker] = [:]
    var trackerTokens: [VehicleID: Int64] = [:]
    var positions: [VehicleID: [Date: VehiclePosition]] = [:]
    var events: [StoredVehicleEvent] = []
    var trips: [VehicleID: [Date: VehicleTrip]] = [:]
    var tickets: [String: StoredWeighbridgeTicket] = [:]
    var drivers: [DriverID: Driver] = [:]
}

extension InMemoryStore {
    /// Registers or replaces vehicles; a terminal phone belongs to one vehicle.
    public func saveVehicles(_ vehicles: [Vehicle]) async throws {
        var next = fleet.vehicles
        for v in vehicles { next[v.id] = v }
        var phones: Set<String> = []
        for v in next.values { if let p = v.terminalPhone, !phones.insert(p).inserted { throw DomainError.terminalTaken } }
        fleet.vehicles = next
    }

    /// The vehicle with this ID.
    public func vehicle(id: VehicleID) async throws -> Vehicle? { fleet.vehicles[id] }

    /// The vehicle with this terminal phone number.
    public func vehicle(terminalPhone: String) async throws -> Vehicle? { fleet.vehicles.values.first { $0.terminalPhone == terminalPhone } }

    /// Vehicles in ID order.
    public func vehicles(after: VehicleID?, limit: Int) async throws -> [Vehicle] {
        Array(fleet.vehicles.values.filter { after == nil || $0.id.rawValue > after!.rawValue }.sorted { $0.id.rawValue < $1.id.rawValue }.prefix(max(0, limit)))
    }

    /// Sets the hash of a terminal's authentication code.
    public func setTerminalAuthCode(vehicleID: VehicleID, hash: String) async throws {
        guard fleet.vehicles[vehicleID] != nil else { throw DomainError.notFound("vehicle", vehicleID.rawValue) }
        fleet.authCodes[vehicleID] = hash
    }

    /// The hash of a terminal's authentication code.
    public func terminalAuthCode(vehicleID: VehicleID) async throws -> String? { fleet.authCodes[vehicleID] }

    /// Saves sites.
    public func saveSites(_ sites: [Site]) async throws { for s in sites { fleet.sites[s.id] = s } }

    /// Removes a site.
    public func deleteSite(id: SiteID) async throws -> Bool { fleet.sites.removeValue(forKey: id) != nil }

    /// Every site in ID order.
    public func sites() async throws -> [Site] { fleet.sites.values.sorted { $0.id.rawValue < $1.id.rawValue } }

    /// Saves permits.
    public func savePermits(_ permits: [TransportPermit]) async throws { for p in permits { fleet.permits[p.id] = p } }

    /// Permits in ID order.
    public func permits(vehicleID: VehicleID?) async throws -> [TransportPermit] {
        fleet.permits.values.filter { vehicleID == nil || $0.vehicleID == vehicleID }.sorted { $0.id.rawValue < $1.id.rawValue }
    }

    /// Removes a permit.
    public func deletePermit(id: PermitID) async throws -> Bool { fleet.permits.removeValue(forKey: id) != nil }

    /// The tokens of stored trackers.
    public func trackerTokens(vehicleIDs: [VehicleID]) async throws -> [VehicleID: Int64] {
        fleet.trackerTokens.filter { vehicleIDs.contains($0.key) }
    }

    /// Stored trackers.
    public func trackers(vehicleIDs: [VehicleID]) async throws -> [VehicleID: VehicleTracker] {
        fleet.trackers.filter { vehicleIDs.contains($0.key) }
    }

    /// Writes a batch at once (an actor step is a transaction here).
    public func writeVehicleIngest(_ batch: VehicleIngestBatch) async throws -> Int {
        var new = 0
        for p in batch.positions where fleet.positions[p.vehicleID]?[p.time] == nil {
            fleet.positions[p.vehicleID, default: [:]][p.time] = p
            new += 1
        }
        fleet.trackers.merge(batch.trackers) { $1 }
        for id in batch.trackers.keys { fleet.trackerTokens[id] = batch.trackerToken }
        for e in batch.events { fleet.events.append(StoredVehicleEvent(seq: Int64(fleet.events.count + 1), event: e)) }
        for t in batch.trips { fleet.trips[t.vehicleID, default: [:]][t.trip.startedAt] = t.trip }
        return new
    }

    /// Positions by time.
    public func positions(vehicleID: VehicleID, from: Date, to: Date, limit: Int) async throws -> [VehiclePosition] {
        Array((fleet.positions[vehicleID] ?? [:]).values.filter { $0.time >= from && $0.time < to }.sorted { $0.time < $1.time }.prefix(max(0, limit)))
    }

    /// The latest position of each vehicle.
    public func latestPositions() async throws -> [VehiclePosition] {
        fleet.positions.values.compactMap { $0.values.max { $0.time < $1.time } }.sorted { $0.vehicleID.rawValue < $1.vehicleID.rawValue }
    }

    /// Events newest first.
    public func vehicleEvents(vehicleID: VehicleID?, before: Int64?, limit: Int) async throws -> [StoredVehicleEvent] {
        Array(fleet.events.reversed().filter { (vehicleID == nil || $0.event.vehicleID == vehicleID) && (before == nil || $0.seq < before!) }.prefix(max(0, limit)))
    }

    /// Downsamples a vehicle's positions in the period to the first of each bucket.
    public func downsamplePositions(vehicleID: VehicleID, from: Date, before: Date, bucketSeconds: Int) async throws -> Int {
        let bucket = Int64(max(1, bucketSeconds)) * 1000
        var kept: Set<Int64> = []
        var removed = 0
        for (time, _) in (fleet.positions[vehicleID] ?? [:]).sorted(by: { $0.key < $1.key }) {
            // In whole milliseconds, as the SQL stores keep times.
            let ms = Int64((time.timeIntervalSince1970 * 1000).rounded())
            let b = ms >= 0 ? ms / bucket : (ms - bucket + 1) / bucket
            // The first of each bucket stays, whether or not it lies in the period.
            guard kept.insert(b).inserted else {
                if time >= from && time < before {
                    fleet.positions[vehicleID]?[time] = nil
                    removed += 1
                }
                continue
            }
        }
        return removed
    }

    /// Events by company and kind in [from, to).
    public func vehicleEventCounts(from: Date, to: Date) async throws -> [VehicleEventCount] {
        var counts: [DepartmentID: [VehicleEvent.Kind: Int]] = [:]
        for e in fleet.events.map(\.event) where e.time >= from && e.time < to {
            if let c = e.companyID { counts[c, default: [:]][e.kind, default: 0] += 1 }
        }
        return counts.flatMap { c, kinds in kinds.map { VehicleEventCount(companyID: c, kind: $0.key, count: $0.value) } }
            .sorted { ($0.companyID.rawValue, $0.kind.rawValue) < ($1.companyID.rawValue, $1.kind.rawValue) }
    }

    /// Events by time (of a company), oldest first.
    public func vehicleEvents(companyID: DepartmentID?, from: Date, to: Date, after: StoredVehicleEvent?, limit: Int) async throws -> [StoredVehicleEvent] {
        let matching = fleet.events.filter { s in
            s.event.time >= from && s.event.time < to && (companyID == nil || s.event.companyID == companyID)
                && (after.map { (s.event.time, s.seq) > ($0.event.time, $0.seq) } ?? true)
        }
        return Array(matching.sorted { ($0.event.time, $0.seq) < ($1.event.time, $1.seq) }.prefix(max(0, limit)))
    }
}
