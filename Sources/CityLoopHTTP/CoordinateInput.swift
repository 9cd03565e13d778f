import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird

/// Coordinates as clients send them: `lat`, `lon` and `crs` (`wgs84` default, `cgcs2000`, `gcj02`, `bd09`,
/// `EPSG:4326`, `EPSG:4490`), checked and converted once to WGS84 here; everything inside works in WGS84.
enum CoordinateInput {
    /// The `crs` query parameter (WGS84 when absent); 422 naming `crs` when unknown.
    static func crs(_ req: Request) throws -> CoordinateSystem {
        try CoordinateSystem.parse(req.query("crs"))
    }

    /// The `crs` query parameter when given: for files that may name their own system (a GeoJSON `crs` member).
    static func explicitCRS(_ req: Request) throws -> CoordinateSystem? {
        req.query("crs") == nil ? nil : try crs(req)
    }

    /// The query's `lat`/`lon` in WGS84; nil when both are absent and `required` is false. 422 naming the field
    /// when one is missing, not a number, or not degrees in range.
    static func point(_ req: Request, required: Bool) throws -> GeoPoint? {
        let lat = try req.queryDouble("lat"), lon = try req.queryDouble("lon")
        guard let lat, let lon else {
            if lat == nil, lon == nil, !required { return nil }
            let missing = lat == nil ? "lat" : "lon"
            throw DomainError.invalid(missing, required ? "\(missing) is required" : "give both lat and lon, or neither")
        }
        return try crs(req).wgs84Point(lat: lat, lon: lon)
    }

    /// A body's `lat`/`lon` given in `crs`, in WGS84.
    static func point(lat: Double, lon: Double, crs: String?) throws -> GeoPoint {
        try CoordinateSystem.parse(crs).wgs84Point(lat: lat, lon: lon)
    }

    /// The report with its position in WGS84 and `crs` cleared.
    static func wgs84(_ input: ReportInput) throws -> ReportInput {
        var out = input
        let p = try point(lat: input.lat, lon: input.lon, crs: input.crs)
        (out.lat, out.lon, out.crs) = (p.lat, p.lon, nil)
        return out
    }

    /// The order with its position (when it has one) in WGS84 and `crs` cleared.
    static func wgs84(_ order: HotlineOrder) throws -> HotlineOrder {
        var out = order
        let crs = try CoordinateSystem.parse(order.crs)
        if let lat = order.lat, let lon = order.lon {
            let p = try crs.wgs84Point(lat: lat, lon: lon)
            (out.lat, out.lon) = (p.lat, p.lon)
        }
        out.crs = nil
        return out
    }

    /// A box given in `crs` as the WGS84 box of its converted corners (the shift is near-uniform over a city).
    static func wgs84(_ box: BoundingBox, _ req: Request) throws -> BoundingBox {
        let crs = try crs(req)
        guard crs == .gcj02 || crs == .bd09 else { return box }
        let sw = crs.toWGS84(GeoPoint(lat: box.minLat, lon: box.minLon)), ne = crs.toWGS84(GeoPoint(lat: box.maxLat, lon: box.maxLon))
        return BoundingBox(minLat: sw.lat, minLon: sw.lon, maxLat: ne.lat, maxLon: ne.lon)
    }
}
