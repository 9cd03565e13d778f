import Foundation

extension VehicleKind {
    /// Whether the kind carries waste to a disposal site, so that trips and dumping are watched: muck trucks and
    /// garbage trucks. A sprinkler emptying its tank is doing its job.
    public var runsTrips: Bool { self == .muckTruck || self == .garbageTruck }
}

extension VehicleTracker {
    /// Follows the load: a trip starts at the first loaded report after an empty (or unknown) load and ends at the
    /// first empty one. A change seen (the empty report within `continuityGapSeconds` of the last loaded one) with
    /// neither report in a disposal site raises `dumpingSuspected`; a site counts as "in" when the vehicle is inside
    /// it after the dwell or the report's fix lies in it. `unknown` loads change nothing.
    mutating func updateLoad(
        _ p: VehiclePosition, rawInside: [SiteID], sites: SiteIndex, permits: [TransportPermit], settings: VehicleRuleSettings
    ) -> [VehicleEvent] {
        guard kind.runsTrips else { return [] }
        // A trip that started with no valid permit takes the first one that becomes valid (daily hours opening).
        if var current = trip, current.permitID == nil {
            current.permitID = matchPermit(current, at: p.time, permits: permits, settings: settings)
            trip = current
        }
        guard p.load != .unknown else { return [] }
        load = p.load
        let fix = p.hasUsableFix ? p.point : lastFix
        if p.load.isLoaded {
            var current = trip ?? VehicleTrip(
                startedAt: p.time, startPoint: fix, originSiteID: origin(p, rawInside: rawInside, sites: sites, settings: settings))
            if trip == nil {
                current.permitID = matchPermit(current, at: p.time, permits: permits, settings: settings)
                unpermittedReported = false
            }
            current.lastLoadedAt = p.time
            current.lastLoadedPoint = fix
            current.lastLoadedDisposalSiteID = self.sites(of: [.disposalSite], rawInside: rawInside, in: sites).first?.id
            trip = current
            return []
        }
        guard var finished = trip else { return [] }
        trip = nil
        unpermittedReported = false
        finished.endedAt = p.time
        finished.endPoint = fix
        let seen = p.time.timeIntervalSince(finished.lastLoadedAt) <= settings.continuityGapSeconds
        finished.unloadSeen = seen
        // The truck unloaded somewhere between its last loaded and first empty report: in a disposal site if
        // either of them was in one (a sensor that flips at the gate, or a fix taken just before the tipping).
        finished.disposalSiteID =
            self.sites(of: [.disposalSite], rawInside: rawInside, in: sites).first?.id ?? finished.lastLoadedDisposalSiteID
        var events: [VehicleEvent] = []
        if finished.disposalSiteID == nil, seen {
            finished.dumpingSuspected = true
            var e = event(.dumpingSuspected, p)
            e.permitID = finished.permitID
            e.since = finished.startedAt
            e.lastLoadedAt = finished.lastLoadedAt
            events.append(e)
        }
        lastTrip = finished
        return events
    }

    /// The construction site a trip starting at `p` comes from: one the truck is in, else the last it left within
    /// `originLookbackSeconds`.
    func origin(_ p: VehiclePosition, rawInside: [SiteID], sites: SiteIndex, settings: VehicleRuleSettings) -> SiteID? {
        if let here = self.sites(of: [.constructionSite], rawInside: rawInside, in: sites).first { return here.id }
        guard let exit = lastConstructionExit, p.time.timeIntervalSince(exit.leftAt) <= settings.originLookbackSeconds else { return nil }
        return exit.siteID
    }

    /// A permit valid at `time` for the trip: one from the trip's origin first, then the first by ID.
    func matchPermit(_ trip: VehicleTrip, at time: Date, permits: [TransportPermit], settings: VehicleRuleSettings) -> PermitID? {
        let valid = permits.filter { $0.isValid(at: time, utcOffsetSeconds: settings.utcOffsetSeconds) }.sorted { $0.id < $1.id }
        return (valid.first { $0.originSiteID == trip.originSiteID } ?? valid.first)?.id
    }

    /// For a muck truck on a trip, moving faster than `movingSpeedKmh` outside every construction and disposal
    /// site with no permit valid at this date and hour: `unpermittedTrip`, once until it unloads or enters a site.
    mutating func checkUnpermitted(
        _ p: VehiclePosition, rawInside: [SiteID], sites: SiteIndex, permits: [TransportPermit], settings: VehicleRuleSettings
    ) -> [VehicleEvent] {
        guard kind == .muckTruck, let current = trip, !unpermittedReported, p.speedKmh > settings.movingSpeedKmh,
            self.sites(of: [.constructionSite, .disposalSite], rawInside: rawInside, in: sites).isEmpty,
            !permits.contains(where: { $0.isValid(at: p.time, utcOffsetSeconds: settings.utcOffsetSeconds) })
        else { return [] }
        unpermittedReported = true
        var e = event(.unpermittedTrip, p)
        e.siteID = current.originSiteID
        e.since = current.startedAt
        e.measured = p.speedKmh
        return [e]
    }
}
