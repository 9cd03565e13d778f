import Foundation

/// A transport permit (准运证, 核准单): lets one vehicle carry muck from a construction site to a disposal site
/// along a corridor, between two instants and within daily hours.
public struct TransportPermit: Hashable, Codable, Sendable {
    /// The permit's number.
    public var id: PermitID
    /// The vehicle it is issued to.
    public var vehicleID: VehicleID
    /// The construction site (工地) the muck comes from.
    public var originSiteID: SiteID
    /// The disposal site (消纳场) it goes to.
    public var destinationSiteID: SiteID
    /// The approved route (核准路线) as a polyline, at least two points.
    public var corridor: [GeoPoint]
    /// How far in metres a truck may stray from the corridor; nil takes `VehicleRuleSettings.deviationMetres`.
    public var corridorMetres: Double?
    /// The first instant the permit is valid.
    public var validFrom: Date
    /// The last instant the permit is valid (inclusive): for a permit valid through 31 May, 31 May 23:59:59 local.
    public var validTo: Date
    /// The daily hours (准运时段) in local time when the permit may be used; nil or empty means all day.
    public var dailyHours: [DailyWindow]?

    /// Creates a permit.
    public init(
        id: PermitID, vehicleID: VehicleID, originSiteID: SiteID, destinationSiteID: SiteID, corridor: [GeoPoint],
        corridorMetres: Double? = nil, validFrom: Date, validTo: Date, dailyHours: [DailyWindow]? = nil
    ) {
        self.id = id
        self.vehicleID = vehicleID
        self.originSiteID = originSiteID
        self.destinationSiteID = destinationSiteID
        self.corridor = corridor
        self.corridorMetres = corridorMetres
        self.validFrom = validFrom
        self.validTo = validTo
        self.dailyHours = dailyHours
    }

    /// The kind of site a permit starts at: the rules take a trip's origin to be a construction site.
    public static let originKind = Site.Kind.constructionSite
    /// The kind of site a permit ends at: muck may be unloaded only at a disposal site.
    public static let destinationKind = Site.Kind.disposalSite

    /// The permits among `permits` not yet expired at `date` that name `site` as an end, each with the kind it needs
    /// that site to be: a site they name may be neither removed nor made another kind while they run.
    public static func naming(_ site: SiteID, in permits: [TransportPermit], at date: Date) -> [(permit: TransportPermit, kind: Site.Kind)] {
        permits.filter { $0.validTo >= date }.flatMap { p in
            [(p.originSiteID, originKind), (p.destinationSiteID, destinationKind)].filter { $0.0 == site }.map { (p, $0.1) }
        }
    }

    /// Whether the permit may be used at `date`: within its dates and its daily hours.
    public func isValid(at date: Date, utcOffsetSeconds: Int) -> Bool {
        date >= validFrom && date <= validTo && DailyWindow.covers(dailyHours, date, utcOffsetSeconds: utcOffsetSeconds)
    }

    /// The distance in metres from `p` to the corridor.
    public func distanceFromCorridor(_ p: GeoPoint) -> Double {
        PolylineGeometry.distanceMetres(from: p, to: corridor)
    }

    /// The most points a corridor has (as a road segment, `RoadSegment.maxPoints`): every position of the permit's
    /// truck is measured against each of its legs.
    public static let maxCorridorPoints = 2000

    /// Throws an invalid-input error naming the field: a number that breaks `FreeTextID`'s rule, a corridor that is not
    /// 2–2000 valid points, a non-positive corridor width or a validity that ends before it starts.
    public func validate() throws {
        try FreeTextID.check(id.rawValue, what: "a permit number", code: "permit.id")
        guard (2...Self.maxCorridorPoints).contains(corridor.count), corridor.allSatisfy(\.isValid) else {
            throw DomainError.invalid(
                "corridor", "permit '\(id)': the corridor is 2–\(Self.maxCorridorPoints) valid points", code: "permit.corridor")
        }
        if let m = corridorMetres, !(m.isFinite && m > 0) {
            throw DomainError.invalid("corridorMetres", "permit '\(id)': the corridor width must be positive", code: "permit.corridor")
        }
        guard validFrom <= validTo else {
            throw DomainError.invalid("validTo", "permit '\(id)': validTo is before validFrom", code: "permit.validity")
        }
    }
}
