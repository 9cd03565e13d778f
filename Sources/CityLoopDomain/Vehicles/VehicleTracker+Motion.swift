import Foundation

extension VehicleTracker {
    /// `speeding` once per run of fixes above the kind's limit that lasts longer than `speedingSeconds`. A gap over
    /// `continuityGapSeconds` restarts the timing of a run not yet reported; a reported run ends only at a fix at or
    /// below the limit, so a silence in the middle of one episode does not report it twice.
    mutating func checkSpeed(_ p: VehiclePosition, continuous: Bool, settings: VehicleRuleSettings) -> [VehicleEvent] {
        guard let limit = settings.speedLimitKmh(for: kind), p.speedKmh > limit else {
            speedingRun = nil
            return []
        }
        var run = Self.extend(speedingRun, continuous: continuous, at: p.time)
        defer { speedingRun = run }
        guard !run.reported, p.time.timeIntervalSince(run.since) > settings.speedingSeconds else { return [] }
        run.reported = true
        var e = event(.speeding, p)
        e.since = run.since
        e.measured = p.speedKmh
        e.limit = limit
        e.permitID = trip?.permitID
        return [e]
    }

    /// On a trip under a permit: `offRoute` once per run of fixes farther from the corridor than allowed that
    /// lasts longer than `deviationSeconds` (gaps as for speeding). Fixes inside the permit's origin or destination
    /// site are on route: a site's yard may reach beyond the corridor's width.
    mutating func checkRoute(
        _ p: VehiclePosition, rawInside: [SiteID], permits: [TransportPermit], continuous: Bool, settings: VehicleRuleSettings
    ) -> [VehicleEvent] {
        guard let permitID = trip?.permitID, let permit = permits.first(where: { $0.id == permitID }) else {
            excursion = nil
            return []
        }
        let atEnds = Set(sitesInside).union(rawInside)
        let allowed = permit.corridorMetres ?? settings.deviationMetres
        let distance = permit.distanceFromCorridor(p.point)
        guard !atEnds.contains(permit.originSiteID), !atEnds.contains(permit.destinationSiteID), distance > allowed else {
            excursion = nil
            return []
        }
        var run = Self.extend(excursion, continuous: continuous, at: p.time)
        defer { excursion = run }
        guard !run.reported, p.time.timeIntervalSince(run.since) > settings.deviationSeconds else { return [] }
        run.reported = true
        var e = event(.offRoute, p)
        e.permitID = permit.id
        e.since = run.since
        e.measured = distance
        e.limit = allowed
        return [e]
    }

    /// The run a fix over the limit belongs to: the one under way unless a gap broke an unreported one.
    static func extend(_ run: Run?, continuous: Bool, at time: Date) -> Run {
        if let run, continuous || run.reported { return run }
        return Run(since: time, reported: false)
    }
}
