import Foundation

/// A WGS84 position in degrees.
public struct GeoPoint: Hashable, Codable, Sendable {
    /// Latitude in degrees, north positive.
    public var lat: Double
    /// Longitude in degrees, east positive.
    public var lon: Double

    /// Creates a point.
    public init(lat: Double, lon: Double) {
        self.lat = lat
        self.lon = lon
    }

    /// Mean Earth radius in metres.
    public static let earthRadius = 6_371_008.8

    /// Great-circle distance in metres (haversine).
    public func distance(to other: GeoPoint) -> Double {
        let p1 = lat * .pi / 180, p2 = other.lat * .pi / 180
        let dp = p2 - p1, dl = (other.lon - lon) * .pi / 180
        let a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2)
        return 2 * Self.earthRadius * asin(min(1, sqrt(a)))
    }

    /// Whether both coordinates are finite and in the WGS84 range.
    public var isValid: Bool {
        lat.isFinite && lon.isFinite && (-90...90).contains(lat) && (-180...180).contains(lon)
    }

    /// The point moved by metres east and north (local flat approximation, fine for city distances).
    public func offset(eastMetres: Double, northMetres: Double) -> GeoPoint {
        let dLat = northMetres / Self.earthRadius * 180 / .pi
        let dLon = eastMetres / (Self.earthRadius * cos(lat * .pi / 180)) * 180 / .pi
        return GeoPoint(lat: lat + dLat, lon: lon + dLon)
    }
}

/// An axis-aligned box in degrees.
public struct BoundingBox: Hashable, Codable, Sendable {
    /// Southern edge.
    public var minLat: Double
    /// Western edge.
    public var minLon: Double
    /// Northern edge.
    public var maxLat: Double
    /// Eastern edge.
    public var maxLon: Double

    /// Creates a box.
    public init(minLat: Double, minLon: Double, maxLat: Double, maxLon: Double) {
        self.minLat = minLat
        self.minLon = minLon
        self.maxLat = maxLat
        self.maxLon = maxLon
    }

    /// The smallest box around the points; nil when there are none.
    public init?(points: some Sequence<GeoPoint>) {
        var it = points.makeIterator()
        guard let first = it.next() else { return nil }
        var b = BoundingBox(minLat: first.lat, minLon: first.lon, maxLat: first.lat, maxLon: first.lon)
        while let p = it.next() { b.include(p) }
        self = b
    }

    /// Grows the box to contain `p`.
    public mutating func include(_ p: GeoPoint) {
        minLat = Swift.min(minLat, p.lat)
        maxLat = Swift.max(maxLat, p.lat)
        minLon = Swift.min(minLon, p.lon)
        maxLon = Swift.max(maxLon, p.lon)
    }

    /// Grows the box to contain `other`.
    public mutating func include(_ other: BoundingBox) {
        minLat = Swift.min(minLat, other.minLat)
        maxLat = Swift.max(maxLat, other.maxLat)
        minLon = Swift.min(minLon, other.minLon)
        maxLon = Swift.max(maxLon, other.maxLon)
    }

    /// Whether `p` lies inside or on the box.
    @inlinable
    public func contains(_ p: GeoPoint) -> Bool {
        p.lat >= minLat && p.lat <= maxLat && p.lon >= minLon && p.lon <= maxLon
    }

    /// Whether the two boxes share any area (touching edges do not count).
    public func intersects(_ o: BoundingBox) -> Bool {
        minLat < o.maxLat && o.minLat < maxLat && minLon < o.maxLon && o.minLon < maxLon
    }

    /// The box around every point within `metres` of this box.
    public func expanded(byMetres metres: Double) -> BoundingBox {
        let dLat = metres / GeoPoint.earthRadius * 180 / .pi
        let midLat = (minLat + maxLat) / 2
        let dLon = metres / (GeoPoint.earthRadius * cos(midLat * .pi / 180)) * 180 / .pi
        return BoundingBox(minLat: minLat - dLat, minLon: minLon - dLon, maxLat: maxLat + dLat, maxLon: maxLon + dLon)
    }

    /// The centre of the box.
    public var center: GeoPoint { GeoPoint(lat: (minLat + maxLat) / 2, lon: (minLon + maxLon) / 2) }
}
