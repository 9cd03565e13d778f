import Foundation

/// What the city makes of a weighbridge ticket (过磅核验).
public enum WeighbridgeFinding: String, Hashable, Codable, Sendable, CaseIterable {
    /// The plate or ID is not in the fleet registry (非备案车辆).
    case unknownVehicle
    /// The truck crossed the weighbridge (nearly) empty (到场空车): whatever it carried was left elsewhere.
    case arrivedEmpty
    /// A truck with a load sensor was weighed loaded, but no trip of it was tracked then (无轨迹磅单): its terminal was
    /// silent or off.
    case noTrip
    /// The trip matched unloaded at another disposal site than the ticket's (卸点不符).
    case otherSite
}

/// The ticket's trip and finding.
public struct WeighbridgeMatch: Hashable, Codable, Sendable {
    /// The matched trip's start (a trip is known by its vehicle and start); nil when none matched.
    public var tripStartedAt: Date?
    /// What is wrong, if anything.
    public var finding: WeighbridgeFinding?

    /// Creates a match.
    public init(tripStartedAt: Date?, finding: WeighbridgeFinding?) {
        self.tripStartedAt = tripStartedAt
        self.finding = finding
    }
}

/// How tickets are matched to trips (磅单与趟次匹配).
///
/// A ticket matches a trip of its vehicle whose loaded span (start to the first empty report; to now for a trip still
/// under way) comes within `windowSeconds` of the weighing; among several, one that unloaded at the ticket's station
/// first, then the one whose span lies nearest. A net weight at or below `emptyThresholdKg` is `arrivedEmpty` (the
/// matched trip, if any, is named); a loaded ticket of a sensor-equipped trip vehicle with no trip is `noTrip`; a
/// matched trip that unloaded at another disposal site is `otherSite`.
public struct WeighbridgeRules: Hashable, Codable, Sendable {
    /// How far the weighing may lie outside a trip's loaded span, in seconds.
    public var windowSeconds: TimeInterval
    /// The net weight in kg at or below which a truck counts as empty, whatever its capacity.
    public var emptyKg: Double
    /// The share of the vehicle's capacity at or below which it counts as empty, when that is more than `emptyKg`.
    public var emptyShareOfCapacity: Double

    /// Rules with the given (or default) values.
    public init(windowSeconds: TimeInterval = 1800, emptyKg: Double = 500, emptyShareOfCapacity: Double = 0.1) {
        self.windowSeconds = windowSeconds
        self.emptyKg = emptyKg
        self.emptyShareOfCapacity = emptyShareOfCapacity
    }

    /// The net weight in kg at or below which `vehicle` counts as empty.
    public func emptyThresholdKg(for vehicle: Vehicle?) -> Double {
        max(emptyKg, (vehicle?.capacityTonnes ?? 0) * 1000 * emptyShareOfCapacity)
    }

    /// Matches `ticket` of `vehicle` (nil: not in the registry) to one of `trips` (its trips around the time, the one
    /// under way included). `stationSiteIDs` are the sites the ticket's station stands for: its own site and the
    /// disposal sites around a weighbridge site.
    public func match(_ ticket: WeighbridgeTicket, vehicle: Vehicle?, trips: [VehicleTrip], stationSiteIDs: Set<SiteID>, now: Date) -> WeighbridgeMatch {
        guard let vehicle else { return WeighbridgeMatch(tripStartedAt: nil, finding: .unknownVehicle) }
        let at = ticket.weighedAt
        func gap(_ t: VehicleTrip) -> TimeInterval {
            let end = t.endedAt ?? max(now, t.lastLoadedAt)
            return at < t.startedAt ? t.startedAt.timeIntervalSince(at) : at > end ? at.timeIntervalSince(end) : 0
        }
        func unloadedHere(_ t: VehicleTrip) -> Bool {
            (t.disposalSiteID ?? t.lastLoadedDisposalSiteID).map(stationSiteIDs.contains) ?? false
        }
        let best = trips.filter { gap($0) <= windowSeconds }.min { a, b in
            let (ha, hb) = (unloadedHere(a), unloadedHere(b))
            if ha != hb { return ha }
            return (gap(a), a.startedAt) < (gap(b), b.startedAt)
        }
        if ticket.netKg <= emptyThresholdKg(for: vehicle) { return WeighbridgeMatch(tripStartedAt: best?.startedAt, finding: .arrivedEmpty) }
        guard let best else {
            let tracked = vehicle.hasLoadSensor && vehicle.kind.runsTrips
            return WeighbridgeMatch(tripStartedAt: nil, finding: tracked ? .noTrip : nil)
        }
        if let unloaded = best.disposalSiteID, !stationSiteIDs.contains(unloaded) {
            return WeighbridgeMatch(tripStartedAt: best.startedAt, finding: .otherSite)
        }
        return WeighbridgeMatch(tripStartedAt: best.startedAt, finding: nil)
    }

    /// The event a ticket with this match raises, if any: `weighedEmpty` for an empty arrival, at the station's site,
    /// with the net weight measured against the threshold and the trip's start and permit when one matched.
    public func event(
        _ ticket: WeighbridgeTicket, vehicle: Vehicle?, match: WeighbridgeMatch, trip: VehicleTrip?, point: GeoPoint?
    ) -> VehicleEvent? {
        guard match.finding == .arrivedEmpty, let vehicle else { return nil }
        return VehicleEvent(
            kind: .weighedEmpty, vehicleID: vehicle.id, time: ticket.weighedAt, point: point, siteID: ticket.siteID, permitID: trip?.permitID,
            since: trip?.startedAt, measured: max(0, ticket.netKg), limit: emptyThresholdKg(for: vehicle), companyID: vehicle.companyID,
            driverID: vehicle.driverID)
    }
}
