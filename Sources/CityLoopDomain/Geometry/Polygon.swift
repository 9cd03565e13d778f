import Foundation

/// An area's outline: one outer ring with optional holes, and for a multi-part area (a GeoJSON MultiPolygon:
/// exclaves, 飞地) further parts of the same kind. Rings are open vertex lists (the closing vertex is not repeated).
public struct Polygon: Hashable, Codable, Sendable {
    /// The (first part's) outer ring's vertices.
    public var outer: [GeoPoint]
    /// The first part's hole rings.
    public var holes: [[GeoPoint]]
    /// The further parts of a multi-part area, each a single-part polygon; empty for a simple polygon.
    public var otherParts: [Polygon]

    /// Creates a polygon; a closing vertex equal to the first is dropped.
    public init(outer: [GeoPoint], holes: [[GeoPoint]] = []) {
        self.outer = Self.open(outer)
        self.holes = holes.map(Self.open)
        self.otherParts = []
    }

    /// Creates a multi-part polygon from its parts (the first part first); parts' own further parts are flattened.
    public init(parts: [Polygon]) {
        let flat = parts.flatMap(\.parts)
        self.init(outer: flat.first?.outer ?? [], holes: flat.first?.holes ?? [])
        otherParts = Array(flat.dropFirst())
    }

    /// Every part as a single-part polygon (one for a simple polygon).
    public var parts: [Polygon] {
        guard !otherParts.isEmpty else { return [self] }
        return [Polygon(outer: outer, holes: holes)] + otherParts
    }

    private enum CodingKeys: String, CodingKey { case outer, holes, otherParts }

    /// Reads a polygon; rows stored before multi-part areas existed have no `otherParts`. A ring sent closed (its
    /// first vertex repeated at the end, as GeoJSON writes it) is opened, as `init(outer:holes:)` does, so one outline
    /// is stored in one form whatever the client sent, and `[a, b, a]` does not pass for three corners.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        outer = Self.open(try c.decode([GeoPoint].self, forKey: .outer))
        holes = (try c.decodeIfPresent([[GeoPoint]].self, forKey: .holes) ?? []).map(Self.open)
        otherParts = try c.decodeIfPresent([Polygon].self, forKey: .otherParts) ?? []
    }

    /// Writes a polygon; `otherParts` only when there are any, so simple polygons are stored as before.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(outer, forKey: .outer)
        try c.encode(holes, forKey: .holes)
        if !otherParts.isEmpty { try c.encode(otherParts, forKey: .otherParts) }
    }

    private static func open(_ ring: [GeoPoint]) -> [GeoPoint] {
        if ring.count > 1, ring.first == ring.last { return Array(ring.dropLast()) }
        return ring
    }

    /// The bounding box of the outer rings of every part.
    public var boundingBox: BoundingBox {
        var box = BoundingBox(points: outer) ?? BoundingBox(minLat: 0, minLon: 0, maxLat: 0, maxLon: 0)
        for part in otherParts { box.include(part.boundingBox) }
        return box
    }

    /// Whether `p` is inside (even-odd rule; points exactly on an edge count for at most one of two
    /// neighbouring polygons, so a tiling answers each point once).
    public func contains(_ p: GeoPoint) -> Bool {
        if Self.ringContains(outer, p), !holes.contains(where: { Self.ringContains($0, p) }) { return true }
        return otherParts.contains { $0.contains(p) }
    }

    /// Crossing-number test on one ring, half-open in latitude so shared edges are not double counted.
    @inlinable
    public static func ringContains(_ ring: [GeoPoint], _ p: GeoPoint) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in 0..<ring.count {
            let a = ring[i], b = ring[j]
            if (a.lat > p.lat) != (b.lat > p.lat) {
                // Endpoints in a fixed order, so neighbours sharing this edge (traversed the other way) compute
                // the same crossing to the last bit and a point on the edge falls in exactly one of them.
                let (lo, hi) = a.lat < b.lat ? (a, b) : (b, a)
                let x = (hi.lon - lo.lon) * (p.lat - lo.lat) / (hi.lat - lo.lat) + lo.lon
                if p.lon < x { inside.toggle() }
            }
            j = i
        }
        return inside
    }

    /// Area in square metres on the WGS84 ellipsoid (see `EqualArea`): the same whichever vertex a ring starts at.
    public var areaSquareMetres: Double {
        var total = EqualArea.ringArea(outer)
        for h in holes { total -= EqualArea.ringArea(h) }
        return total + otherParts.reduce(0) { $0 + $1.areaSquareMetres }
    }

    /// A point guaranteed inside the polygon's outer ring for convex and most simple shapes:
    /// the vertex centroid, falling back to a scan when that lies outside.
    public var interiorPoint: GeoPoint {
        let c = GeoPoint(
            lat: outer.map(\.lat).reduce(0, +) / Double(max(outer.count, 1)),
            lon: outer.map(\.lon).reduce(0, +) / Double(max(outer.count, 1)))
        if contains(c) { return c }
        let b = boundingBox
        for i in 1..<20 {
            for j in 1..<20 {
                let p = GeoPoint(
                    lat: b.minLat + (b.maxLat - b.minLat) * Double(i) / 20,
                    lon: b.minLon + (b.maxLon - b.minLon) * Double(j) / 20)
                if contains(p) { return p }
            }
        }
        return c
    }

    /// Projects a point to metres east/north of `ref`.
    public static func project(_ p: GeoPoint, _ ref: GeoPoint) -> (x: Double, y: Double) {
        let k = GeoPoint.earthRadius * .pi / 180
        return ((p.lon - ref.lon) * k * cos(ref.lat * .pi / 180), (p.lat - ref.lat) * k)
    }

    /// Every ring of every part as a list, outer rings and holes alike.
    public var rings: [[GeoPoint]] { [outer] + holes + otherParts.flatMap(\.rings) }

    /// The rings' edges as vertex pairs, every part's.
    public var edges: [(GeoPoint, GeoPoint)] {
        var out: [(GeoPoint, GeoPoint)] = []
        for ring in rings where ring.count >= 2 {
            for i in 0..<ring.count { out.append((ring[i], ring[(i + 1) % ring.count])) }
        }
        return out
    }
}
