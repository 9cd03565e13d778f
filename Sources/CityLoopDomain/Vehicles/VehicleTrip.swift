import Foundation

/// One loaded run of a truck (运输趟次): starts when the truck is first seen loaded (at or after a construction
/// site), ends when it is first seen empty. The tracker exposes the current and the last finished trip so that a
/// store can keep them.
public struct VehicleTrip: Hashable, Codable, Sendable {
    /// The first fix seen loaded.
    public var startedAt: Date
    /// Where it was seen loaded first; nil when that report had no fix and none came before.
    public var startPoint: GeoPoint?
    /// The construction site it was loaded at: the one it was in, or the last one it left within
    /// `VehicleRuleSettings.originLookbackSeconds`; nil when neither.
    public var originSiteID: SiteID?
    /// The permit the trip runs under: one valid when matched, from the origin if one is, else the first by ID.
    public var permitID: PermitID?
    /// The last report seen loaded.
    public var lastLoadedAt: Date
    /// Where it was last seen loaded.
    public var lastLoadedPoint: GeoPoint?
    /// The disposal site it was in when last seen loaded, if any.
    public var lastLoadedDisposalSiteID: SiteID?
    /// The first report seen empty; nil while the trip runs.
    public var endedAt: Date?
    /// Where it was seen empty first.
    public var endPoint: GeoPoint?
    /// The disposal site it unloaded in: the one it was in when first seen empty, else when last seen loaded; nil
    /// when neither.
    public var disposalSiteID: SiteID?
    /// Whether the change from loaded to empty was seen: the empty report came within
    /// `VehicleRuleSettings.continuityGapSeconds` of the last loaded one. When it was not (the terminal was silent,
    /// or its buffered reports arrive late), where the truck unloaded is unknown and no dumping is suspected.
    public var unloadSeen: Bool?
    /// Whether the trip raised `dumpingSuspected`.
    public var dumpingSuspected: Bool

    /// Creates a trip as started.
    public init(startedAt: Date, startPoint: GeoPoint?, originSiteID: SiteID? = nil, permitID: PermitID? = nil) {
        self.startedAt = startedAt
        self.startPoint = startPoint
        self.originSiteID = originSiteID
        self.permitID = permitID
        lastLoadedAt = startedAt
        lastLoadedPoint = startPoint
        dumpingSuspected = false
    }

    /// Whether the trip has ended.
    public var isFinished: Bool { endedAt != nil }
}
