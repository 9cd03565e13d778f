import Foundation

/// Distances between points and polylines (折线) at city scale, in a local equirectangular projection around
/// the point asked about: metres east and north, exact enough within tens of kilometres.
public enum PolylineGeometry {
    /// The shortest distance in metres from `p` to the polyline `line`; the distance to its only point for a
    /// one-point line, infinity for an empty one.
    public static func distanceMetres(from p: GeoPoint, to line: [GeoPoint]) -> Double {
        guard let first = line.first else { return .infinity }
        var a = Polygon.project(first, p)
        var best = (a.x * a.x + a.y * a.y)
        for v in line.dropFirst() {
            let b = Polygon.project(v, p)
            best = min(best, squaredDistanceToOrigin(a, b))
            a = b
        }
        return best.squareRoot()
    }

    /// The polyline's length in metres (sum of great-circle distances between consecutive points).
    public static func lengthMetres(_ line: [GeoPoint]) -> Double {
        zip(line, line.dropFirst()).reduce(0) { $0 + $1.0.distance(to: $1.1) }
    }

    /// The squared distance from the origin to the segment from `a` to `b` (plane coordinates).
    static func squaredDistanceToOrigin(_ a: (x: Double, y: Double), _ b: (x: Double, y: Double)) -> Double {
        squaredDistance(px: 0, py: 0, a, b)
    }

    /// The squared distance from (px, py) to the segment from `a` to `b` (plane coordinates).
    static func squaredDistance(px: Double, py: Double, _ a: (x: Double, y: Double), _ b: (x: Double, y: Double)) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let len2 = dx * dx + dy * dy
        var t = len2 > 0 ? ((px - a.x) * dx + (py - a.y) * dy) / len2 : 0
        t = min(1, max(0, t))
        let ex = a.x + t * dx - px, ey = a.y + t * dy - py
        return ex * ex + ey * ey
    }
}
