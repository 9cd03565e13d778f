import Foundation

/// One problem found when validating areas and grids.
public struct ValidationProblem: Hashable, Codable, Sendable {
    /// How serious a problem is: errors stop an import, warnings are reported only.
    public enum Severity: String, Hashable, Codable, Sendable { case error, warning }

    /// A stable problem code, e.g. `grid.overlap`.
    public var code: String
    /// The area or grid code at fault.
    public var subject: String
    /// What is wrong.
    public var message: String
    /// Error or warning.
    public var severity: Severity
    /// The size of the problem where it has one (an overlap's or a gap's area), in square metres.
    public var areaSquareMetres: Double?
    /// Where it is (an overlap's or a gap's middle, a vertex outside its parent), for the GIS team's map.
    public var location: GeoPoint?
    /// The other area or grid involved, if any (the grid overlapped, the parent left).
    public var other: String?

    /// Creates a problem.
    public init(
        code: String, subject: String, message: String, severity: Severity = .error, areaSquareMetres: Double? = nil,
        location: GeoPoint? = nil, other: String? = nil
    ) {
        self.code = code
        self.subject = subject
        self.message = message
        self.severity = severity
        self.areaSquareMetres = areaSquareMetres
        self.location = location
        self.other = other
    }

    /// Whether the problem stops an import.
    public var isError: Bool { severity == .error }
}

/// Checks the rules of unit grids (全域覆盖、边界清晰、互不重叠): codes well formed, every area under an
/// existing parent, every grid inside its community, no two grids overlapping, no gaps inside a district.
public enum GridValidator {
    /// What counts as a problem.
    public struct Options: Sendable {
        /// Shared area up to which two grids only touch (rounding of grids built in projected metres and exported
        /// to degrees gives false overlaps of 0.00005–0.004 m²).
        public var overlapToleranceSquareMetres: Double
        /// Overlaps and gaps above the tolerance but under this size are slivers: warnings, not errors.
        public var sliverSquareMetres: Double
        /// Relative area shortfall tolerated before a district is reported as having gaps.
        public var gapTolerance: Double

        /// The defaults: 0.5 m² tolerance, slivers under 1 m², 0.1 % shortfall.
        public init(overlapToleranceSquareMetres: Double = 0.5, sliverSquareMetres: Double = 1, gapTolerance: Double = 0.001) {
            self.overlapToleranceSquareMetres = overlapToleranceSquareMetres
            self.sliverSquareMetres = sliverSquareMetres
            self.gapTolerance = gapTolerance
        }
    }

    /// Every problem found, errors and warnings; the map may be imported when none is an error.
    public static func validate(areas: [Area], grids: [UnitGrid], options: Options = .init()) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        let byCode = Dictionary(areas.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var seenAreas = Set<String>()
        for a in areas {
            if !seenAreas.insert(a.code).inserted {
                problems.append(.init(code: "area.duplicate", subject: a.code, message: "area code \(a.code) appears twice"))
            }
            for m in AreaCodeRules.problems(code: a.code, level: a.level, parentCode: a.parentCode) {
                problems.append(.init(code: "area.code", subject: a.code, message: m))
            }
            if let parentLevel = a.level.parent {
                if let pc = a.parentCode, let parent = byCode[pc] {
                    if parent.level != parentLevel {
                        problems.append(
                            .init(
                                code: "area.parent_level", subject: a.code,
                                message: "parent \(pc) is a \(parent.level.rawValue), expected a \(parentLevel.rawValue)"))
                    }
                } else if parentLevel != .city || areas.contains(where: { $0.level == .city }) {
                    problems.append(
                        .init(code: "area.parent_missing", subject: a.code, message: "parent '\(a.parentCode ?? "")' does not exist"))
                }
            }
            if a.boundary.parts.contains(where: { $0.outer.count < 3 }) {
                problems.append(.init(code: "area.boundary", subject: a.code, message: "boundary has fewer than 3 vertices"))
            }
        }

        var seenGrids = Set<String>()
        var gridArea: [String: Double] = [:]
        for g in grids {
            if !seenGrids.insert(g.code).inserted {
                problems.append(.init(code: "grid.duplicate", subject: g.code, message: "grid code \(g.code) appears twice"))
            }
            for m in AreaCodeRules.gridCodeProblems(g.code) {
                problems.append(.init(code: "grid.code", subject: g.code, message: m))
            }
            guard !g.boundary.parts.contains(where: { $0.outer.count < 3 }) else {
                problems.append(.init(code: "grid.boundary", subject: g.code, message: "boundary has fewer than 3 vertices"))
                continue
            }
            gridArea[g.districtCode, default: 0] += g.boundary.areaSquareMetres
            guard let community = byCode[g.communityCode], community.level == .community else {
                problems.append(
                    .init(code: "grid.community_missing", subject: g.code, message: "community \(g.communityCode) does not exist"))
                continue
            }
            if let v = g.boundary.rings.joined().first(where: { !insideOrOn(community.boundary, $0, toleranceMetres: 0.5) }) {
                problems.append(
                    .init(
                        code: "grid.outside_community", subject: g.code,
                        message: "vertex (\(v.lat), \(v.lon)) lies outside community \(community.code)", location: v, other: community.code))
            }
        }

        let index = GridIndex(polygons: grids.map(\.boundary))
        problems += overlaps(grids, index: index, options: options)
        problems += coverage(areas: areas, grids: grids, index: index, gridArea: gridArea, options: options)
        problems += hierarchy(areas, options: options)
        return problems
    }

    /// Whether `p` is inside `polygon` or within `toleranceMetres` of its boundary.
    public static func insideOrOn(_ polygon: Polygon, _ p: GeoPoint, toleranceMetres: Double) -> Bool {
        polygon.contains(p) || nearBoundary(polygon, p, metres: toleranceMetres)
    }
}
