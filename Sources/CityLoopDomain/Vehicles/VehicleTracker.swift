import Foundation

/// The rules' memory of one vehicle (车辆监管状态): a value the caller keeps per vehicle (and may store as JSON
/// so that a restart neither repeats nor forgets anything), fed the vehicle's reports one at a time.
///
/// Reports are evaluated only in time order: one not after the last evaluated report (a late or repeated
/// report, a terminal flushing its buffer), or lying more than `futureToleranceSeconds` after the `receivedAt`
/// the caller passes, raises nothing and leaves the tracker unchanged; the caller still stores it. A report
/// without a usable fix moves no geofence, speed or route rule; its load and alarm bits still count.
public struct VehicleTracker: Hashable, Codable, Sendable {
    /// A site the vehicle is inside, or whose fence it is crossing (the crossing not yet held for the dwell).
    struct Presence: Hashable, Codable, Sendable {
        var siteID: SiteID
        /// Inside after the dwell (debounced).
        var inside: Bool
        /// The first fix of the current run of fixes on the other side of the fence; nil when there is none.
        var crossingSince: Date?
        /// Whether this stay has raised `forbiddenZone`.
        var forbiddenReported: Bool
    }

    /// A run of fixes over a limit: speeding or off the corridor.
    struct Run: Hashable, Codable, Sendable {
        var since: Date
        var reported: Bool
    }

    /// The vehicle.
    public let vehicleID: VehicleID
    /// What the vehicle is; decides which rules apply.
    public let kind: VehicleKind
    /// The time of the last evaluated report; later reports must be after it.
    public internal(set) var lastEvaluatedAt: Date?
    /// The last usable fix.
    public internal(set) var lastFix: GeoPoint?
    /// When the last usable fix was taken.
    public internal(set) var lastFixAt: Date?
    /// The last known load (never `unknown` once a load was reported).
    public internal(set) var load: VehicleLoad = .unknown
    /// The trip under way, nil when the truck is empty (or its kind runs no trips).
    public internal(set) var trip: VehicleTrip?
    /// The last finished trip.
    public internal(set) var lastTrip: VehicleTrip?
    var presences: [Presence] = []
    var lastConstructionExit: SiteVisit?
    var speedingRun: Run?
    var excursion: Run?
    var unpermittedReported = false
    var alarmBits: UInt32 = 0
    var offlineReported = false

    /// When the vehicle left a site.
    struct SiteVisit: Hashable, Codable, Sendable {
        var siteID: SiteID
        var leftAt: Date
    }

    /// A tracker that has seen nothing.
    public init(vehicleID: VehicleID, kind: VehicleKind) {
        self.vehicleID = vehicleID
        self.kind = kind
    }

    /// The sites the vehicle is inside after the dwell (debounced), by ID.
    public var sitesInside: [SiteID] { presences.filter(\.inside).map(\.siteID) }

    /// Whether `ingest` would evaluate `p`: it is this vehicle's, its time is valid and after the last evaluated
    /// report, and (when `receivedAt` is given) no more than `futureToleranceSeconds` after it.
    public func evaluates(_ p: VehiclePosition, receivedAt: Date? = nil, settings: VehicleRuleSettings) -> Bool {
        guard p.vehicleID == vehicleID, p.time.timeIntervalSince1970.isFinite else { return false }
        if let last = lastEvaluatedAt, p.time <= last { return false }
        if let receivedAt, p.time.timeIntervalSince(receivedAt) > settings.futureToleranceSeconds { return false }
        return true
    }

    /// Evaluates one report against the sites, the vehicle's permits (others' are ignored) and the settings, and
    /// returns what it raised, in a fixed order: left, entered, forbidden zone, dumping, unpermitted trip, speeding,
    /// off route, tampered. Pass `receivedAt` (when the platform received the report) so that a terminal with a
    /// clock far ahead cannot block its later reports; without it no report counts as too far ahead.
    public mutating func ingest(
        _ p: VehiclePosition, sites: SiteIndex, permits: [TransportPermit], settings: VehicleRuleSettings,
        receivedAt: Date? = nil
    ) -> [VehicleEvent] {
        guard evaluates(p, receivedAt: receivedAt, settings: settings) else { return [] }
        let permits = permits.filter { $0.vehicleID == vehicleID }
        lastEvaluatedAt = p.time
        offlineReported = false
        var events: [VehicleEvent] = []
        var rawInside: [SiteID] = []
        let fix = p.hasUsableFix ? p.point : nil
        // Whether the durations under way may run on through this fix, or must start again from it.
        let continuous = fix != nil && lastFixAt.map { p.time.timeIntervalSince($0) <= settings.continuityGapSeconds } == true
        if let fix {
            sites.forEachIndex(containing: fix) { rawInside.append(sites.sites[$0].id) }
            rawInside.sort()
            events += updatePresences(rawInside: rawInside, p, continuous: continuous, sites: sites, settings: settings)
            events += checkForbiddenZones(p, rawInside: rawInside, sites: sites, settings: settings)
            lastFix = fix
            lastFixAt = p.time
        }
        events += updateLoad(p, rawInside: rawInside, sites: sites, permits: permits, settings: settings)
        if fix != nil {
            events += checkUnpermitted(p, rawInside: rawInside, sites: sites, permits: permits, settings: settings)
            events += checkSpeed(p, continuous: continuous, settings: settings)
            events += checkRoute(p, rawInside: rawInside, permits: permits, continuous: continuous, settings: settings)
        }
        events += checkAlarms(p, settings: settings)
        return events
    }

    /// Whether `self` differs from `other` in more than where and when the vehicle was last seen: the last evaluated
    /// time, the last fix and the running trip's last loaded time and place change with every report, all else (sites
    /// inside, runs, the trip's start and sites, flags, alarm bits) only when the rules move on. A store may keep a
    /// tracker written when it changes materially and every so often otherwise: after a restart its rules resume with
    /// the last fix a little older, and raise nothing twice.
    public func differsMaterially(from other: VehicleTracker) -> Bool {
        func plain(_ t: VehicleTracker) -> VehicleTracker {
            var t = t
            t.lastEvaluatedAt = nil
            t.lastFix = nil
            t.lastFixAt = nil
            if var trip = t.trip {
                trip.lastLoadedAt = trip.startedAt
                trip.lastLoadedPoint = nil
                t.trip = trip
            }
            return t
        }
        return plain(self) != plain(other)
    }

    /// An event of this vehicle at report `p`, placed at its fix or else the last known one.
    func event(_ kind: VehicleEvent.Kind, _ p: VehiclePosition) -> VehicleEvent {
        VehicleEvent(kind: kind, vehicleID: vehicleID, time: p.time, point: p.hasUsableFix ? p.point : lastFix)
    }

    /// The sites of `kinds` the vehicle is in: inside after the dwell, or (for a report with a fix) the fix lies inside.
    func sites(of kinds: Set<Site.Kind>, rawInside: [SiteID], in index: SiteIndex) -> [Site] {
        let ids = Set(sitesInside).union(rawInside)
        return ids.sorted().compactMap { index.site(id: $0) }.filter { kinds.contains($0.kind) }
    }
}
