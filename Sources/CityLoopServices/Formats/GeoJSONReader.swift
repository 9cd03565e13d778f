import CityLoopDomain
import Foundation

/// A property value of a GeoJSON feature: the simple JSON values. Nested objects and arrays are kept as their
/// JSON text.
public enum GeoJSONValue: Equatable, Sendable {
    /// A string.
    case string(String)
    /// A number, parsed exactly (correctly rounded).
    case number(Double)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null
    /// A nested object or array, as its JSON text.
    case json(String)

    /// The value as `JSONSerialization` would have given it (String, NSNumber, NSNull), for dictionary callers.
    var foundationValue: Any {
        switch self {
        case .string(let s): s
        case .number(let d): NSNumber(value: d)
        case .bool(let b): NSNumber(value: b)
        case .null: NSNull()
        case .json(let text): text
        }
    }
}

/// A geometry's coordinates: a position (`[lon, lat]`, in WGS84 once read) or a list of coordinates.
public indirect enum GeoJSONCoordinates: Equatable, Sendable {
    /// One position: longitude, latitude (and any further numbers, such as height).
    case position([Double])
    /// A list: a ring or line of positions, a polygon of rings, a multipolygon of polygons.
    case list([GeoJSONCoordinates])

    /// The coordinates as nested Swift arrays (`[Double]` for a point, `[[[Double]]]` for a polygon,
    /// `[[[[Double]]]]` for a multipolygon); nil when the nesting is uneven.
    public var nestedArrays: Any? {
        switch depth {
        case 0: if case .position(let p) = self { return p }
        case 1: return positions
        case 2: return lists.map { $0.positions }
        case 3: return lists.map { $0.lists.map { $0.positions } }
        case 4: return lists.map { $0.lists.map { $0.lists.map { $0.positions } } }
        default: break
        }
        return nil
    }

    /// 0 for a position, one more per level of lists; -1 when the levels are uneven.
    var depth: Int {
        switch self {
        case .position: return 0
        case .list(let items):
            guard let first = items.first else { return 1 }
            let d = first.depth
            return d >= 0 && items.allSatisfy({ $0.depth == d }) ? d + 1 : -1
        }
    }

    private var lists: [GeoJSONCoordinates] { if case .list(let l) = self { l } else { [] } }
    private var positions: [[Double]] { lists.map { if case .position(let p) = $0 { p } else { [] } } }
}

/// One feature of a FeatureCollection, as the reader yields it.
public struct GeoJSONFeature: Sendable {
    /// The feature's position in the collection, from 0.
    public var index: Int
    /// The `properties` member (empty when absent or null).
    public var properties: [String: GeoJSONValue] = [:]
    /// The geometry's `type` (`Polygon`, `MultiPolygon`, `Point` …); nil for a null geometry.
    public var geometryType: String?
    /// The geometry's coordinates, converted to WGS84; nil when absent.
    public var coordinates: GeoJSONCoordinates?

    /// The feature as `JSONSerialization` would have read it (`properties`, `geometry.type`,
    /// `geometry.coordinates` as nested `[Double]` arrays).
    public var dictionary: [String: Any] {
        var f: [String: Any] = ["type": "Feature", "properties": properties.mapValues(\.foundationValue)]
        if let geometryType {
            var g: [String: Any] = ["type": geometryType]
            if let c = coordinates?.nestedArrays { g["coordinates"] = c }
            f["geometry"] = g
        }
        return f
    }
}

/// A streaming GeoJSON (RFC 7946) FeatureCollection reader. It walks the bytes once and hands over one feature at
/// a time, so a city's 30 MB grid file never becomes a tree of Foundation objects; numbers are parsed with Swift's
/// correctly rounded `Double(_:)`, so 17-digit coordinates come back bit for bit.
///
/// Coordinates are converted once to WGS84: from `crs` when given, otherwise from the file's `crs` member
/// (CRS84, EPSG:4326 and EPSG:4490 are taken as they are; projected systems are refused); positions that are not
/// degrees in range are refused naming the feature.
public struct GeoJSONReader: Sendable {
    /// The caller's coordinate system; when nil the file's `crs` member decides (WGS84 when absent).
    public var crs: CoordinateSystem?
    /// The deepest nesting of arrays and objects accepted.
    public var maxDepth = 64

    /// Creates a reader.
    public init(crs: CoordinateSystem? = nil) { self.crs = crs }

    /// Calls `body` with each feature in order; throws an `invalid` error naming the byte offset, line and column
    /// of malformed JSON, or the feature whose content is wrong. Returns the number of features.
    @discardableResult
    public func forEachFeature(in data: Data, _ body: (GeoJSONFeature) throws -> Void) throws -> Int {
        try data.withUnsafeBytes { raw in
            var parser = GeoJSONByteParser(bytes: raw.bindMemory(to: UInt8.self), crs: crs, maxDepth: maxDepth)
            return try parser.readCollection(body)
        }
    }

    /// Every feature of the collection.
    public func features(in data: Data) throws -> [GeoJSONFeature] {
        var all: [GeoJSONFeature] = []
        try forEachFeature(in: data) { all.append($0) }
        return all
    }
}
