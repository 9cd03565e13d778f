import Foundation

extension Polygon {
    /// The area in square metres that this polygon and `other` share (their intersection), every part and hole
    /// counted. Shared edges and touching vertices add nothing, so neighbouring grids answer 0 (up to rounding:
    /// compare with a tolerance such as `GridValidator.Options.overlapToleranceSquareMetres`).
    ///
    /// By Green's theorem the intersection's area is the boundary integral ∮ x dy over its outline, and that
    /// outline is the part of each polygon's boundary lying inside the other; pieces of edge the two share count
    /// once when both run the same way and not at all when they run opposite ways (a touching neighbour).
    /// Computed in a plane projected around the pair's common bounding box, so it does not depend on vertex order.
    public func intersectionArea(_ other: Polygon) -> Double {
        let boxA = boundingBox, boxB = other.boundingBox
        guard boxA.intersects(boxB) else { return 0 }
        var box = boxA
        box.include(boxB)
        let ref = GeoPoint(lat: (box.minLat + box.maxLat) / 2, lon: (box.minLon + box.maxLon) / 2)
        var total = 0.0
        for a in parts {
            let pa = PlanarPolygon(a, ref)
            for b in other.parts where a.boundingBox.intersects(b.boundingBox) {
                let pb = PlanarPolygon(b, ref)
                total += pa.boundaryIntegral(inside: pb, countShared: true) + pb.boundaryIntegral(inside: pa, countShared: false)
            }
        }
        return max(0, total)
    }
}

/// One part of a polygon in metres around a reference point, outer ring counter-clockwise and holes clockwise.
struct PlanarPolygon {
    typealias P = (x: Double, y: Double)
    var rings: [[P]]
    /// Distance under which a point counts as on an edge (metres).
    static let onEdge = 1e-6

    init(_ polygon: Polygon, _ ref: GeoPoint) {
        func planar(_ ring: [GeoPoint], counterClockwise: Bool) -> [P] {
            let r = ring.map { Polygon.project($0, ref) }
            return (Self.signedArea(r) > 0) == counterClockwise ? r : r.reversed()
        }
        rings = [planar(polygon.outer, counterClockwise: true)] + polygon.holes.map { planar($0, counterClockwise: false) }
    }

    static func signedArea(_ r: [P]) -> Double {
        guard r.count >= 3 else { return 0 }
        var s = 0.0
        var j = r.count - 1
        for i in 0..<r.count {
            s += r[j].x * r[i].y - r[i].x * r[j].y
            j = i
        }
        return s / 2
    }

    var edges: [(P, P)] {
        rings.flatMap { r in r.indices.map { (r[$0], r[($0 + 1) % r.count]) } }
    }

    /// Even-odd containment over every ring.
    func contains(_ p: P) -> Bool {
        var inside = false
        for r in rings {
            var j = r.count - 1
            for i in 0..<r.count {
                let a = r[i], b = r[j]
                if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
                j = i
            }
        }
        return inside
    }

    /// The edge of this polygon that `p` lies on, as its direction, if any.
    func edgeDirection(at p: P) -> P? {
        for (a, b) in edges {
            let dx = b.x - a.x, dy = b.y - a.y
            let len2 = dx * dx + dy * dy
            guard len2 > 0 else { continue }
            let t = ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2
            guard t >= -1e-12, t <= 1 + 1e-12 else { continue }
            let cx = a.x + t * dx - p.x, cy = a.y + t * dy - p.y
            if cx * cx + cy * cy <= Self.onEdge * Self.onEdge { return (dx, dy) }
        }
        return nil
    }

    /// ∮ x dy / 2-style shoelace sum over the pieces of this polygon's boundary inside `other` (see
    /// `Polygon.intersectionArea`); shared pieces running the same way count when `countShared`.
    func boundaryIntegral(inside other: PlanarPolygon, countShared: Bool) -> Double {
        let otherEdges = other.edges
        var sum = 0.0
        for (p, q) in edges {
            var cuts: [Double] = [0, 1]
            let rx = q.x - p.x, ry = q.y - p.y
            for (c, d) in otherEdges {
                let sx = d.x - c.x, sy = d.y - c.y
                let denom = rx * sy - ry * sx
                if abs(denom) > 1e-18 {
                    let t = ((c.x - p.x) * sy - (c.y - p.y) * sx) / denom
                    let u = ((c.x - p.x) * ry - (c.y - p.y) * rx) / denom
                    if t > 0, t < 1, u >= -1e-12, u <= 1 + 1e-12 { cuts.append(t) }
                } else {
                    // Parallel: where the other edge's ends fall on this one, the shared piece starts or ends.
                    let len2 = rx * rx + ry * ry
                    guard len2 > 0 else { continue }
                    for e in [c, d] {
                        let t = ((e.x - p.x) * rx + (e.y - p.y) * ry) / len2
                        if t > 0, t < 1 { cuts.append(t) }
                    }
                }
            }
            cuts.sort()
            for k in 0..<(cuts.count - 1) where cuts[k + 1] - cuts[k] > 1e-12 {
                let u = (x: p.x + rx * cuts[k], y: p.y + ry * cuts[k])
                let v = (x: p.x + rx * cuts[k + 1], y: p.y + ry * cuts[k + 1])
                let mid = (x: (u.x + v.x) / 2, y: (u.y + v.y) / 2)
                let include: Bool
                if let dir = other.edgeDirection(at: mid) {
                    include = countShared && dir.x * rx + dir.y * ry > 0
                } else {
                    include = other.contains(mid)
                }
                if include { sum += (u.x * v.y - v.x * u.y) / 2 }
            }
        }
        return sum
    }
}
