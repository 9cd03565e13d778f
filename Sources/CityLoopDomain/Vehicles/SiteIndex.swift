import Foundation

/// A spatial index over site outlines (场地空间索引) that may overlap, answering "which sites contain this point":
/// the platform's `GridIndex` over the sites' boundaries, asked for every polygon containing the point. Sites with
/// holes or several parts take `Polygon.contains`, so every answer equals a scan of all sites.
public struct SiteIndex: Sendable, Equatable {
    /// The sites in the order given; lookups answer positions in this array, ascending.
    public let sites: [Site]
    /// The extent of all sites.
    public var bounds: BoundingBox { grid.bounds }

    private let positions: [SiteID: Int]
    private let grid: GridIndex

    /// An index of no sites.
    public init() { self.init(checked: [], cellsPerSite: 1) }

    /// Builds the index; throws when a site fails `Site.validate()` or two sites share an ID. `cellsPerSite`
    /// trades memory for fewer candidates per lookup; the lattice is coarsened when very large sites would make the
    /// buckets hold more than about 64 entries per site.
    public init(sites: [Site], cellsPerSite: Double = 4) throws {
        var seen = Set<SiteID>()
        for s in sites {
            try s.validate()
            guard seen.insert(s.id).inserted else {
                throw DomainError(.conflict, code: "site.duplicate", "site ID '\(s.id)' appears twice", field: "id")
            }
        }
        self.init(checked: sites, cellsPerSite: cellsPerSite)
    }

    private init(checked sites: [Site], cellsPerSite: Double) {
        self.sites = sites
        positions = Dictionary(uniqueKeysWithValues: sites.enumerated().map { ($0.element.id, $0.offset) })
        grid = GridIndex(polygons: sites.map(\.boundary), cellsPerPolygon: cellsPerSite)
    }

    /// The site with this ID, nil when there is none.
    public func site(id: SiteID) -> Site? { positions[id].map { sites[$0] } }

    /// The position in `sites` of the site with this ID.
    public func position(of id: SiteID) -> Int? { positions[id] }

    /// Calls `body` with the position of every site containing `p`, ascending; allocates nothing.
    public func forEachIndex(containing p: GeoPoint, _ body: (Int) -> Void) {
        grid.forEachPolygon(containingLat: p.lat, lon: p.lon) { i in
            body(i)
            return true
        }
    }

    /// The positions in `sites` of the sites containing `p`, ascending.
    public func indices(containing p: GeoPoint) -> [Int] {
        var out: [Int] = []
        forEachIndex(containing: p) { out.append($0) }
        return out
    }

    /// The sites containing `p`, in index order.
    public func sites(containing p: GeoPoint) -> [Site] { indices(containing: p).map { sites[$0] } }

    /// The brute-force answer: every site tested in turn with `Polygon.contains`. For checking the index.
    public func indicesBruteForce(containing p: GeoPoint) -> [Int] {
        sites.indices.filter { sites[$0].boundary.contains(p) }
    }

    /// Two indexes are equal when they hold the same sites (the index is built from them alone).
    public static func == (l: SiteIndex, r: SiteIndex) -> Bool { l.sites == r.sites }
}
