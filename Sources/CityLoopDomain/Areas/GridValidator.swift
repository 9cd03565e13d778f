import Foundation

/// One problem found when validating areas and grids.
public struct ValidationProblem: Hashable, Codable, Sendable {
    /// A stable problem code, e.g. `grid.overlap`.
    public var code: String
    /// The area or grid code at fault.
    public var subject: String
    /// What is wrong.
    public var message: String

    /// Creates a problem.
    public init(code: String, subject: String, message: String) {
        self.code = code
        self.subject = subject
        self.message = message
    }
}

/// Checks the rules of unit grids (全域覆盖、边界清晰、互不重叠): codes well formed, every area under an
/// existing parent, every grid inside its community, no two grids overlapping, no gaps inside a district.
public enum GridValidator {
    /// Relative area shortfall tolerated before a district is reported as having gaps.
    public static let gapTolerance = 0.001

    /// Every problem found; empty when the map is valid.
    public static func validate(areas: [Area], grids: [UnitGrid]) -> [ValidationProblem] {
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
            if a.boundary.outer.count < 3 {
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
            guard g.boundary.outer.count >= 3 else {
                problems.append(.init(code: "grid.boundary", subject: g.code, message: "boundary has fewer than 3 vertices"))
                continue
            }
            gridArea[g.districtCode, default: 0] += g.boundary.areaSquareMetres
            guard let community = byCode[g.communityCode], community.level == .community else {
                problems.append(
                    .init(code: "grid.community_missing", subject: g.code, message: "community \(g.communityCode) does not exist"))
                continue
            }
            if let v = g.boundary.outer.first(where: { !insideOrOn(community.boundary, $0, toleranceMetres: 0.5) }) {
                problems.append(
                    .init(
                        code: "grid.outside_community", subject: g.code,
                        message: "vertex (\(v.lat), \(v.lon)) lies outside community \(community.code)"))
            }
        }

        let index = GridIndex(polygons: grids.map(\.boundary))
        for (i, g) in grids.enumerated() where g.boundary.outer.count >= 3 {
            for j in index.candidates(intersecting: g.boundary.boundingBox) where j > i {
                if g.boundary.overlaps(grids[j].boundary) {
                    problems.append(
                        .init(code: "grid.overlap", subject: g.code, message: "grid \(g.code) overlaps grid \(grids[j].code)"))
                }
            }
        }

        for d in areas where d.level == .district {
            let expected = d.boundary.areaSquareMetres
            let covered = gridArea[d.code] ?? 0
            if expected > 0, covered < expected * (1 - gapTolerance) {
                let missing = Int((expected - covered).rounded())
                problems.append(
                    .init(
                        code: "district.gap", subject: d.code,
                        message: "grids cover \(Int(covered)) m² of \(Int(expected)) m²: \(missing) m² uncovered"))
            }
        }
        return problems
    }

    /// Whether `p` is inside `polygon` or within `toleranceMetres` of its boundary.
    public static func insideOrOn(_ polygon: Polygon, _ p: GeoPoint, toleranceMetres: Double) -> Bool {
        if polygon.contains(p) { return true }
        let ref = p
        for (a, b) in polygon.edges {
            let pa = Polygon.project(a, ref), pb = Polygon.project(b, ref)
            let dx = pb.x - pa.x, dy = pb.y - pa.y
            let len2 = dx * dx + dy * dy
            let t = len2 > 0 ? max(0, min(1, -(pa.x * dx + pa.y * dy) / len2)) : 0
            let cx = pa.x + t * dx, cy = pa.y + t * dy
            if (cx * cx + cy * cy).squareRoot() <= toleranceMetres { return true }
        }
        return false
    }
}
