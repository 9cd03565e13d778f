import Foundation

extension CoordinateSystem {
    /// Reads a `crs` parameter as given by a client; absent or empty gives `fallback`, an unknown name is an
    /// `invalid` error naming `field`.
    public static func parse(_ text: String?, field: String = "crs", fallback: CoordinateSystem = .wgs84) throws -> CoordinateSystem {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return fallback }
        guard let crs = CoordinateSystem(name: text) else {
            throw DomainError.invalid(field, "unknown coordinate system '\(text)'; one of \(acceptedNames)", code: "crs.unknown")
        }
        return crs
    }

    /// Reads the coordinate system a GeoJSON `crs` member names (`urn:ogc:def:crs:OGC:1.3:CRS84`, `EPSG:4326`,
    /// `EPSG:4490`); a projected system such as `EPSG:4547` (CGCS2000 Gauss-Krüger) is refused with a message
    /// that says how to reproject.
    public static func geoJSONMember(_ name: String, field: String = "crs") throws -> CoordinateSystem {
        if let crs = CoordinateSystem(name: name), crs == .wgs84 || crs == .cgcs2000 { return crs }
        throw DomainError.invalid(
            field,
            "the file's coordinate system '\(name)' is not geographic degrees (WGS84/CGCS2000); projected metres "
                + "(e.g. Gauss-Krüger EPSG:4547, EPSG:2383) must be reprojected first: ogr2ogr -f GeoJSON -t_srs EPSG:4326 out.geojson in",
            code: "crs.projected")
    }

    /// Checks a latitude and longitude given in this system and returns the point in WGS84; a value that is not a
    /// finite number of degrees in range is an `invalid` error naming its field (projected metres included).
    public func wgs84Point(lat: Double, lon: Double, latField: String = "lat", lonField: String = "lon") throws -> GeoPoint {
        try Self.checkDegrees(lat: lat, lon: lon, latField: latField, lonField: lonField)
        return toWGS84(GeoPoint(lat: lat, lon: lon))
    }

    /// Throws an `invalid` error naming the field when `lat` or `lon` is not a finite number of degrees in range.
    public static func checkDegrees(lat: Double, lon: Double, latField: String = "lat", lonField: String = "lon") throws {
        func problem(_ name: String, _ value: Double, limit: Double) -> String? {
            guard !value.isFinite || abs(value) > limit else { return nil }
            if !value.isFinite { return "\(name) must be a finite number of degrees" }
            if abs(value) > 1000 {
                return "\(name) \(value) looks like projected metres (e.g. Gauss-Krüger); give degrees between −\(Int(limit)) and \(Int(limit))"
            }
            return "\(name) \(value) is outside −\(Int(limit))…\(Int(limit)) degrees" + (name == "latitude" && abs(lon) <= 90 ? " (lat and lon swapped?)" : "")
        }
        if let p = problem("latitude", lat, limit: 90) { throw DomainError.invalid(latField, p, code: "location.invalid") }
        if let p = problem("longitude", lon, limit: 180) { throw DomainError.invalid(lonField, p, code: "location.invalid") }
    }
}
