import Foundation

/// Areas on the WGS84 ellipsoid, measured in Lambert's cylindrical equal-area projection of the ellipsoid
/// (x = a·λ, y = a·q(φ)/2, q from the authalic latitude), where a ring's area is its plane area exactly.
///
/// The old check projected each ring flat around its first vertex, so the answer depended on where the ring
/// started (a county fully covered by 114,539 grids came out 1.9 km² short, the same ring started elsewhere
/// passed). Here the projection is fixed and the shoelace sum runs relative to the ring's bounding-box centre,
/// which no vertex order changes: rotating a ring gives the same area to rounding.
public enum EqualArea {
    /// WGS84 semi-major axis in metres.
    public static let a = 6_378_137.0
    /// WGS84 flattening.
    public static let f = 1 / 298.257_223_563
    static let e2 = f * (2 - f)
    static let e = e2.squareRoot()

    /// q(φ) of the authalic latitude (Snyder, Map Projections — A Working Manual, eq. 3-12).
    public static func q(_ latitudeDegrees: Double) -> Double {
        let s = sin(latitudeDegrees * .pi / 180)
        let es = e * s
        return (1 - e2) * (s / (1 - es * es) - (1 / (2 * e)) * log((1 - es) / (1 + es)))
    }

    /// The area in square metres enclosed by an open ring (either orientation); 0 for fewer than 3 vertices.
    public static func ringArea(_ ring: [GeoPoint]) -> Double {
        guard ring.count >= 3, let box = BoundingBox(points: ring) else { return 0 }
        let lon0 = (box.minLon + box.maxLon) / 2
        let q0 = q((box.minLat + box.maxLat) / 2)
        var sum = 0.0
        let last = ring[ring.count - 1]
        var prevX = (last.lon - lon0) * .pi / 180
        var prevY = q(last.lat) - q0
        for v in ring {
            let x = (v.lon - lon0) * .pi / 180
            let y = q(v.lat) - q0
            sum += (x - prevX) * (y + prevY)
            prevX = x
            prevY = y
        }
        // Plane area in (λ, q/2) scaled by a²: |Σ (x_j − x_i)(y_i + y_j)| / 2 with y = q/2.
        return abs(sum) * a * a / 4
    }
}
