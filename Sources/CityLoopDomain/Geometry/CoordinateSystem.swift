import Foundation

/// The geographic coordinate system (坐标系) a client's latitude and longitude are given in.
///
/// CityLoop stores and answers in WGS84. Official maps use CGCS2000 (国家2000, the same as WGS84 at metre level);
/// consumer map services shift coordinates: GCJ-02 (国测局坐标, "Mars coordinates": AMap/高德, Tencent, WeChat
/// location) and BD-09 (百度坐标, a further shift of GCJ-02). At Zhengzhou GCJ-02 lies about 570 m from WGS84.
public enum CoordinateSystem: String, CaseIterable, Codable, Sendable {
    /// WGS84 (EPSG:4326), what GPS and GeoJSON give; the default.
    case wgs84
    /// CGCS2000 (EPSG:4490), China's official datum; equal to WGS84 at metre level.
    case cgcs2000
    /// GCJ-02 (国测局坐标), the shifted coordinates of AMap, Tencent and WeChat.
    case gcj02
    /// BD-09 (百度坐标), Baidu's further shift of GCJ-02.
    case bd09

    /// Reads a name case-insensitively: `wgs84`, `cgcs2000`, `gcj02`, `bd09`, with or without hyphens, and the
    /// aliases `EPSG:4326`, `EPSG:4490`, `CRS84` (also as `urn:ogc:def:crs:…` URNs); nil for anything else.
    public init?(name: String) {
        var key = name.trimmingCharacters(in: .whitespaces).lowercased()
        for prefix in ["urn:ogc:def:crs:", "http://www.opengis.net/def/crs/"] where key.hasPrefix(prefix) {
            key = String(key.dropFirst(prefix.count))
        }
        key = key.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "")
            .replacingOccurrences(of: "::", with: ":").replacingOccurrences(of: "/0/", with: ":")
        switch key {
        case "wgs84", "epsg:4326", "epsg4326", "4326", "ogc:1.3:crs84", "ogc:crs84", "crs84": self = .wgs84
        case "cgcs2000", "epsg:4490", "epsg4490", "4490": self = .cgcs2000
        case "gcj02", "gcj", "mars": self = .gcj02
        case "bd09", "bd09ll", "baidu": self = .bd09
        default: return nil
        }
    }

    /// The names accepted in a `crs` parameter, for error messages.
    public static let acceptedNames = "wgs84, cgcs2000, gcj02, bd09 (or EPSG:4326, EPSG:4490)"

    /// The point in WGS84 (the coordinates CityLoop stores).
    public func toWGS84(_ p: GeoPoint) -> GeoPoint {
        switch self {
        case .wgs84, .cgcs2000: p
        case .gcj02: Self.gcj02ToWGS84(p)
        case .bd09: Self.gcj02ToWGS84(Self.bd09ToGCJ02(p))
        }
    }

    /// The WGS84 point expressed in this system.
    public func fromWGS84(_ p: GeoPoint) -> GeoPoint {
        switch self {
        case .wgs84, .cgcs2000: p
        case .gcj02: Self.wgs84ToGCJ02(p)
        case .bd09: Self.gcj02ToBD09(Self.wgs84ToGCJ02(p))
        }
    }
}

extension CoordinateSystem {
    // The GCJ-02 parameters as published with the formula: the Krasovsky 1940 ellipsoid.
    private static let semiMajor = 6_378_245.0
    private static let eccentricitySquared = 0.006_693_421_622_965_943_23
    private static let bdPi = Double.pi * 3000 / 180

    /// Whether GCJ-02 shifts this point: the published formula leaves points outside mainland China's bounding
    /// box (72.004–137.8347° E, 0.8293–55.8271° N) unchanged.
    public static func isShifted(_ p: GeoPoint) -> Bool {
        p.lon >= 72.004 && p.lon <= 137.8347 && p.lat >= 0.8293 && p.lat <= 55.8271
    }

    /// WGS84 → GCJ-02 by the published formula (exact by definition).
    public static func wgs84ToGCJ02(_ p: GeoPoint) -> GeoPoint {
        guard isShifted(p) else { return p }
        let x = p.lon - 105, y = p.lat - 35
        var dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * abs(x).squareRoot()
        dLat += (20 * sin(6 * x * .pi) + 20 * sin(2 * x * .pi)) * 2 / 3
        dLat += (20 * sin(y * .pi) + 40 * sin(y / 3 * .pi)) * 2 / 3
        dLat += (160 * sin(y / 12 * .pi) + 320 * sin(y * .pi / 30)) * 2 / 3
        var dLon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * abs(x).squareRoot()
        dLon += (20 * sin(6 * x * .pi) + 20 * sin(2 * x * .pi)) * 2 / 3
        dLon += (20 * sin(x * .pi) + 40 * sin(x / 3 * .pi)) * 2 / 3
        dLon += (150 * sin(x / 12 * .pi) + 300 * sin(x / 30 * .pi)) * 2 / 3
        let radLat = p.lat / 180 * .pi
        let s = sin(radLat)
        let magic = 1 - eccentricitySquared * s * s
        let sqrtMagic = magic.squareRoot()
        dLat = (dLat * 180) / ((semiMajor * (1 - eccentricitySquared)) / (magic * sqrtMagic) * .pi)
        dLon = (dLon * 180) / (semiMajor / sqrtMagic * cos(radLat) * .pi)
        return GeoPoint(lat: p.lat + dLat, lon: p.lon + dLon)
    }

    /// GCJ-02 → WGS84: the formula has no closed inverse, so the forward formula is inverted by fixed-point
    /// iteration until the residual is below 1e-10° (about 0.01 mm).
    public static func gcj02ToWGS84(_ g: GeoPoint) -> GeoPoint {
        invert(g, start: g, forward: wgs84ToGCJ02)
    }

    /// GCJ-02 → BD-09 by the published formula (exact by definition).
    public static func gcj02ToBD09(_ g: GeoPoint) -> GeoPoint {
        let x = g.lon, y = g.lat
        let z = (x * x + y * y).squareRoot() + 0.000_02 * sin(y * bdPi)
        let theta = atan2(y, x) + 0.000_003 * cos(x * bdPi)
        return GeoPoint(lat: z * sin(theta) + 0.006, lon: z * cos(theta) + 0.0065)
    }

    /// BD-09 → GCJ-02: the published approximate inverse (off by up to ~0.2 m), refined by iterating the
    /// forward formula to below 1e-10°.
    public static func bd09ToGCJ02(_ b: GeoPoint) -> GeoPoint {
        let x = b.lon - 0.0065, y = b.lat - 0.006
        let z = (x * x + y * y).squareRoot() - 0.000_02 * sin(y * bdPi)
        let theta = atan2(y, x) - 0.000_003 * cos(x * bdPi)
        return invert(b, start: GeoPoint(lat: z * sin(theta), lon: z * cos(theta)), forward: gcj02ToBD09)
    }

    private static func invert(_ target: GeoPoint, start: GeoPoint, forward: (GeoPoint) -> GeoPoint) -> GeoPoint {
        guard target.lat.isFinite, target.lon.isFinite else { return target }
        var w = start
        // The shifts vary slowly (their gradient is far below 1), so each step shrinks the error by orders of magnitude.
        for _ in 0..<30 {
            let f = forward(w)
            let dLat = target.lat - f.lat, dLon = target.lon - f.lon
            w = GeoPoint(lat: w.lat + dLat, lon: w.lon + dLon)
            if abs(dLat) < 1e-10 && abs(dLon) < 1e-10 { break }
        }
        return w
    }
}
