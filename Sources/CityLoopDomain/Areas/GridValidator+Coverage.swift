import Foundation

extension GridValidator {
    /// Overlapping grids, by the area they share: above the tolerance an overlap is a sliver (warning) up to
    /// `sliverSquareMetres`, an error beyond; at or under it the grids only touch.
    static func overlaps(_ grids: [UnitGrid], index: GridIndex, options: Options) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        for (i, g) in grids.enumerated() where !g.boundary.parts.contains(where: { $0.outer.count < 3 }) {
            let box = g.boundary.boundingBox
            for j in index.candidates(intersecting: box) where j > i {
                let other = grids[j]
                guard !other.boundary.parts.contains(where: { $0.outer.count < 3 }), positiveOverlap(box, other.boundary.boundingBox) else { continue }
                let shared = g.boundary.intersectionArea(other.boundary)
                guard shared > options.overlapToleranceSquareMetres else { continue }
                let sliver = shared < options.sliverSquareMetres
                problems.append(
                    .init(
                        code: sliver ? "grid.sliver" : "grid.overlap", subject: g.code,
                        message: "grid \(g.code) overlaps grid \(other.code) by \(formatArea(shared))",
                        severity: sliver ? .warning : .error, areaSquareMetres: shared, location: middle(box, other.boundary.boundingBox),
                        other: other.code))
            }
        }
        return problems
    }

    /// Gaps in each district that has grids: the total shortfall of the grids' area, and the uncovered regions
    /// themselves, found on a lattice over the district (`coverageSpacing`) and listed with their middle and size;
    /// grids of another district found inside it. A district without grids yet is a warning only.
    static func coverage(
        areas: [Area], grids: [UnitGrid], index: GridIndex, gridArea: [String: Double], options: Options
    ) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        for d in areas where d.level == .district {
            let expected = d.boundary.areaSquareMetres
            guard let covered = gridArea[d.code] else {
                if !grids.isEmpty {
                    problems.append(
                        .init(code: "district.no_grids", subject: d.code, message: "district \(d.code) has no grids yet; coverage not checked", severity: .warning))
                }
                continue
            }
            if expected > 0, covered < expected * (1 - options.gapTolerance) {
                problems.append(
                    .init(
                        code: "district.gap", subject: d.code,
                        message: "grids cover \(Int(covered)) m² of \(Int(expected)) m²: \(Int((expected - covered).rounded())) m² uncovered",
                        areaSquareMetres: expected - covered))
            }
            let spacing = coverageSpacing(areaSquareMetres: expected)
            var uncovered: [LatticeSample] = []
            var foreign: [String: Int] = [:]
            for s in d.boundary.latticeSamples(spacingMetres: spacing) {
                let found = index.locate(s.point)
                // A sample within half a metre of the district's own boundary is where rounding of the exported
                // coordinates decides (grids cut along the boundary): neither a gap nor a foreign grid.
                if found.map({ grids[$0].districtCode != d.code }) ?? true, nearBoundary(d.boundary, s.point, metres: 0.5) { continue }
                guard let i = found else {
                    uncovered.append(s)
                    continue
                }
                if grids[i].districtCode != d.code {
                    // Where the district's own grid also covers the spot, two grids overlap: `overlaps` measures that.
                    let spot = BoundingBox(minLat: s.point.lat, minLon: s.point.lon, maxLat: s.point.lat, maxLon: s.point.lon)
                    let own = index.candidates(intersecting: spot).contains { grids[$0].districtCode == d.code && grids[$0].boundary.contains(s.point) }
                    if !own { foreign[grids[i].districtCode, default: 0] += 1 }
                }
            }
            let cell = spacing * spacing
            for region in uncovered.regions() {
                let size = Double(region.count) * cell
                guard size > options.overlapToleranceSquareMetres else { continue }
                let at = GeoPoint(
                    lat: region.map(\.point.lat).reduce(0, +) / Double(region.count), lon: region.map(\.point.lon).reduce(0, +) / Double(region.count))
                problems.append(
                    .init(
                        code: "district.uncovered", subject: d.code,
                        message: "about \(formatArea(size)) of district \(d.code) near (\(round6(at.lat)), \(round6(at.lon))) has no grid (sampled every \(Int(spacing)) m)",
                        // One sample alone may stand for a sliver far smaller than the lattice's square: a warning.
                        severity: size < options.sliverSquareMetres || region.count == 1 ? .warning : .error, areaSquareMetres: size, location: at))
            }
            for (other, count) in foreign.sorted(by: { $0.key < $1.key }) {
                problems.append(
                    .init(
                        code: "district.foreign_grids", subject: d.code,
                        message: "about \(formatArea(Double(count) * cell)) of district \(d.code) is covered by grids of district \(other)",
                        areaSquareMetres: Double(count) * cell, other: other))
            }
        }
        return problems
    }

    /// Streets inside their district, communities inside their street, districts inside the city, and siblings
    /// not overlapping, each estimated on a lattice of about `hierarchySamples` points over the area.
    static func hierarchy(_ areas: [Area], options: Options) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        let byCode = Dictionary(areas.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let children = Dictionary(grouping: areas.filter { $0.parentCode != nil }, by: { $0.parentCode! })
        for a in areas where a.level != .city {
            let area = a.boundary.areaSquareMetres
            guard area > 0 else { continue }
            let spacing = max((area / hierarchySamples).squareRoot(), 1)
            let samples = a.boundary.latticeSamples(spacingMetres: spacing)
            guard !samples.isEmpty else { continue }
            let cell = area / Double(samples.count)
            if let parentCode = a.parentCode, let parent = byCode[parentCode] {
                let outside = samples.filter { !parent.boundary.contains($0.point) }
                let size = Double(outside.count) * cell
                if Double(outside.count) > Double(samples.count) * 0.01, size > options.sliverSquareMetres {
                    problems.append(
                        .init(
                            code: "area.outside_parent", subject: a.code,
                            message: "about \(formatArea(size)) (\(outside.count * 100 / samples.count) %) of \(a.level.rawValue) \(a.code) lies outside \(parent.level.rawValue) \(parent.code)",
                            areaSquareMetres: size, location: outside[outside.count / 2].point, other: parent.code))
                }
            }
            let box = a.boundary.boundingBox
            for sibling in children[a.parentCode ?? ""] ?? [] where sibling.code > a.code && positiveOverlap(box, sibling.boundary.boundingBox) {
                let inside = samples.filter { sibling.boundary.contains($0.point) }
                let size = Double(inside.count) * cell
                if inside.count >= 2, size > options.sliverSquareMetres {
                    problems.append(
                        .init(
                            code: "area.overlap", subject: a.code, message: "\(a.level.rawValue) \(a.code) overlaps \(sibling.code) by about \(formatArea(size))",
                            areaSquareMetres: size, location: inside[inside.count / 2].point, other: sibling.code))
                }
            }
        }
        return problems
    }

    /// Whether `p` lies within `metres` of any edge of `polygon`.
    static func nearBoundary(_ polygon: Polygon, _ p: GeoPoint, metres: Double) -> Bool {
        for (a, b) in polygon.edges {
            let pa = Polygon.project(a, p), pb = Polygon.project(b, p)
            let dx = pb.x - pa.x, dy = pb.y - pa.y
            let len2 = dx * dx + dy * dy
            let t = len2 > 0 ? max(0, min(1, -(pa.x * dx + pa.y * dy) / len2)) : 0
            let cx = pa.x + t * dx, cy = pa.y + t * dy
            if cx * cx + cy * cy <= metres * metres { return true }
        }
        return false
    }

    /// Lattice spacing for a district's coverage scan: 5 m, coarser for large districts (about 4 million samples).
    static func coverageSpacing(areaSquareMetres: Double) -> Double { max(5, (areaSquareMetres / 4_000_000).squareRoot()) }

    /// Samples per area for the hierarchy checks.
    static let hierarchySamples = 2_000.0

    static func positiveOverlap(_ a: BoundingBox, _ b: BoundingBox) -> Bool {
        min(a.maxLat, b.maxLat) > max(a.minLat, b.minLat) && min(a.maxLon, b.maxLon) > max(a.minLon, b.minLon)
    }

    static func middle(_ a: BoundingBox, _ b: BoundingBox) -> GeoPoint {
        GeoPoint(lat: (max(a.minLat, b.minLat) + min(a.maxLat, b.maxLat)) / 2, lon: (max(a.minLon, b.minLon) + min(a.maxLon, b.maxLon)) / 2)
    }

    static func formatArea(_ m2: Double) -> String {
        m2 >= 1_000_000 ? String(format: "%.2f km²", m2 / 1_000_000) : m2 >= 10 ? "\(Int(m2.rounded())) m²" : String(format: "%.3f m²", m2)
    }

    static func round6(_ v: Double) -> Double { (v * 1_000_000).rounded() / 1_000_000 }
}
