import Foundation

/// Where a point falls: its unit grid and the areas above it.
public struct Placement: Hashable, Codable, Sendable {
    /// The unit grid code.
    public var gridCode: String
    /// The community code.
    public var communityCode: String
    /// The street code.
    public var streetCode: String
    /// The district code.
    public var districtCode: String

    /// The placement of a grid.
    public init(grid: UnitGrid) {
        gridCode = grid.code
        communityCode = grid.communityCode
        streetCode = grid.streetCode
        districtCode = grid.districtCode
    }
}

/// The city's areas and unit grids with a spatial index: resolves any point to its grid and areas.
public struct CityMap: Sendable {
    /// All areas by code.
    public let areas: [String: Area]
    /// All grids in index order.
    public let grids: [UnitGrid]
    /// The spatial index over the grids.
    public let index: GridIndex
    private let gridPosition: [String: Int]

    /// Builds the map and its index.
    public init(areas: [Area], grids: [UnitGrid]) {
        self.areas = Dictionary(areas.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        self.grids = grids
        index = GridIndex(polygons: grids.map(\.boundary))
        gridPosition = Dictionary(grids.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The grid containing `p`, or nil when `p` is outside every grid.
    public func grid(at p: GeoPoint) -> UnitGrid? {
        index.locate(p).map { grids[$0] }
    }

    /// The grid and areas containing `p`, or nil when `p` is outside the city's grids.
    public func place(_ p: GeoPoint) -> Placement? {
        guard p.isValid, let g = grid(at: p) else { return nil }
        return Placement(grid: g)
    }

    /// The grid with this code.
    public func grid(code: String) -> UnitGrid? {
        gridPosition[code].map { grids[$0] }
    }

    /// Areas at a level, optionally under a parent, sorted by code.
    public func areas(level: AreaLevel? = nil, parent: String? = nil) -> [Area] {
        areas.values
            .filter { (level == nil || $0.level == level) && (parent == nil || $0.parentCode == parent) }
            .sorted { $0.code < $1.code }
    }

    /// The names of the areas above and including the grid, from district down, for display.
    public func areaNames(for placement: Placement) -> [String] {
        [placement.districtCode, placement.streetCode, placement.communityCode].compactMap { areas[$0]?.name }
    }

    /// The city area, if defined.
    public var city: Area? { areas.values.first { $0.level == .city } }
}
