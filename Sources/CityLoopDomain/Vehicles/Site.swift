import Foundation

/// A supervised place (场地) with its outline: where muck is loaded and unloaded, where muck trucks may not go,
/// where vehicles are weighed or parked.
public struct Site: Hashable, Codable, Sendable {
    /// What a site is for.
    public enum Kind: String, Hashable, Codable, Sendable, CaseIterable {
        /// Construction site (工地): where muck trucks load.
        case constructionSite
        /// Disposal site (消纳场): the only place a muck truck may unload.
        case disposalSite
        /// Forbidden zone (禁行区): muck trucks may not be inside during its forbidden hours.
        case forbiddenZone
        /// Weighbridge (地磅).
        case weighbridge
        /// Depot or yard (停车场).
        case depot
    }

    /// The site's identifier.
    public var id: SiteID
    /// The name shown to operators.
    public var name: String
    /// What the site is for.
    public var kind: Kind
    /// The site's outline (WGS84).
    public var boundary: Polygon
    /// Daily opening hours (开放时段) in local time; nil or empty means always open. Kept for operators and reports:
    /// the rules judge where a truck unloads, not whether the gate was staffed.
    public var openingHours: [DailyWindow]?
    /// For a forbidden zone: the daily hours when muck trucks are forbidden (禁行时段), e.g. `07:00-22:00`;
    /// nil or empty means all day. Ignored for other kinds.
    public var forbiddenHours: [DailyWindow]?

    /// Creates a site.
    public init(
        id: SiteID, name: String, kind: Kind, boundary: Polygon, openingHours: [DailyWindow]? = nil,
        forbiddenHours: [DailyWindow]? = nil
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.boundary = boundary
        self.openingHours = openingHours
        self.forbiddenHours = forbiddenHours
    }

    /// Whether the site is open at `date` in a city `utcOffsetSeconds` ahead of UTC.
    public func isOpen(at date: Date, utcOffsetSeconds: Int) -> Bool {
        DailyWindow.covers(openingHours, date, utcOffsetSeconds: utcOffsetSeconds)
    }

    /// Whether this is a forbidden zone whose forbidden hours hold at `date`.
    public func forbidsMuckTrucks(at date: Date, utcOffsetSeconds: Int) -> Bool {
        kind == .forbiddenZone && DailyWindow.covers(forbiddenHours, date, utcOffsetSeconds: utcOffsetSeconds)
    }

    /// Throws an invalid-input error when the ID is empty or a part of the outline has fewer than three valid vertices.
    public func validate() throws {
        guard !id.rawValue.isEmpty else { throw DomainError.invalid("id", "a site needs an ID", code: "site.id") }
        for part in boundary.parts {
            for ring in [part.outer] + part.holes where ring.count < 3 || !ring.allSatisfy(\.isValid) {
                throw DomainError.invalid(
                    "boundary", "site '\(id)': every ring needs at least 3 valid WGS84 vertices", code: "site.boundary")
            }
        }
    }
}
