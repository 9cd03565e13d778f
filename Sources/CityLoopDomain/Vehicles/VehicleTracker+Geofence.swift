import Foundation

extension VehicleTracker {
    /// Moves the debounced site states by one fix: a site whose fence the fixes have stayed across for the dwell
    /// (consecutive fixes, no gap over `continuityGapSeconds`) flips, raising `leftSite` or `enteredSite`.
    /// `rawInside` is sorted; left events come before entered ones, each in site-ID order.
    mutating func updatePresences(
        rawInside: [SiteID], _ p: VehiclePosition, continuous: Bool, sites: SiteIndex, settings: VehicleRuleSettings
    ) -> [VehicleEvent] {
        var left: [VehicleEvent] = []
        var entered: [VehicleEvent] = []
        var next: [Presence] = []
        var i = 0, j = 0
        while i < presences.count || j < rawInside.count {
            var presence: Presence
            let isIn: Bool
            if j == rawInside.count || (i < presences.count && presences[i].siteID < rawInside[j]) {
                presence = presences[i]
                isIn = false
                i += 1
            } else if i == presences.count || rawInside[j] < presences[i].siteID {
                presence = Presence(siteID: rawInside[j], inside: false, crossingSince: nil, forbiddenReported: false)
                isIn = true
                j += 1
            } else {
                presence = presences[i]
                isIn = true
                i += 1
                j += 1
            }
            if isIn == presence.inside {
                presence.crossingSince = nil
            } else {
                let since = (continuous ? presence.crossingSince : nil) ?? p.time
                presence.crossingSince = since
                if p.time.timeIntervalSince(since) >= settings.dwellSeconds {
                    presence.inside = isIn
                    presence.crossingSince = nil
                    presence.forbiddenReported = false
                    var e = event(isIn ? .enteredSite : .leftSite, p)
                    e.siteID = presence.siteID
                    e.since = since
                    if isIn {
                        entered.append(e)
                        // "Once per trip" for unpermitted trips restarts at every site the truck enters.
                        unpermittedReported = false
                    } else {
                        left.append(e)
                        if sites.site(id: presence.siteID)?.kind == .constructionSite {
                            lastConstructionExit = SiteVisit(siteID: presence.siteID, leftAt: since)
                        }
                    }
                }
            }
            if presence.inside || presence.crossingSince != nil { next.append(presence) }
        }
        presences = next
        return left + entered
    }

    /// For a muck truck: `forbiddenZone` once per stay in a forbidden zone, at the first fix of the stay that lies
    /// inside the zone within its forbidden hours (a fix already outside while the leaving is debounced does not count).
    mutating func checkForbiddenZones(
        _ p: VehiclePosition, rawInside: [SiteID], sites: SiteIndex, settings: VehicleRuleSettings
    ) -> [VehicleEvent] {
        guard kind == .muckTruck else { return [] }
        var events: [VehicleEvent] = []
        for k in presences.indices where presences[k].inside && !presences[k].forbiddenReported {
            guard rawInside.contains(presences[k].siteID) else { continue }
            guard let site = sites.site(id: presences[k].siteID),
                site.forbidsMuckTrucks(at: p.time, utcOffsetSeconds: settings.utcOffsetSeconds)
            else { continue }
            presences[k].forbiddenReported = true
            var e = event(.forbiddenZone, p)
            e.siteID = site.id
            e.permitID = trip?.permitID
            events.append(e)
        }
        return events
    }
}
