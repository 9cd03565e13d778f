import CityLoopDomain
import CityLoopServices
import Foundation
import Synchronization

/// The city's base map as one compact JSON document — districts and streets with their boundaries, every unit
/// grid's outline, coordinates rounded to about a metre — built once per reference context.
final class MapLayersCache: Sendable {
    private let cached = Mutex<(version: Int, bytes: [UInt8])?>(nil)

    struct Layers: Encodable {
        struct Area: Encodable { var code: String; var name: String; var parentCode: String?; var rings: [[[Double]]] }
        /// A grid's outline; `parts` (each an outer ring and its holes) only for a grid of several parts or with holes.
        struct Grid: Encodable { var code: String; var ring: [[Double]]; var parts: [[[[Double]]]]? }
        var bounds: [[Double]]
        var districts: [Area]
        var streets: [Area]
        var grids: [Grid]
    }

    /// The document for the platform's current context.
    func document(for platform: Platform) throws -> [UInt8] {
        let version = platform.contextVersion
        if let hit = cached.withLock({ $0 }), hit.version == version { return hit.bytes }
        let bytes = try Array(JSONEncoder().encode(Self.layers(platform.context.map)))
        cached.withLock { $0 = (version, bytes) }
        return bytes
    }

    static func layers(_ map: CityMap) -> Layers {
        func ring(_ points: [GeoPoint]) -> [[Double]] { points.map { [round5($0.lat), round5($0.lon)] } }
        func area(_ a: Area) -> Layers.Area {
            Layers.Area(code: a.code, name: a.name, parentCode: a.parentCode, rings: a.boundary.rings.map(ring))
        }
        let areas = map.areas.values.sorted { $0.code < $1.code }
        var box = BoundingBox(minLat: 90, minLon: 180, maxLat: -90, maxLon: -180)
        for g in map.grids {
            let b = g.boundary.boundingBox
            box = BoundingBox(
                minLat: min(box.minLat, b.minLat), minLon: min(box.minLon, b.minLon), maxLat: max(box.maxLat, b.maxLat), maxLon: max(box.maxLon, b.maxLon))
        }
        if map.grids.isEmpty { box = BoundingBox(minLat: 34.7, minLon: 113.6, maxLat: 34.8, maxLon: 113.7) }
        return Layers(
            bounds: [[box.minLat, box.minLon], [box.maxLat, box.maxLon]],
            districts: areas.filter { $0.level == .district }.map(area),
            streets: areas.filter { $0.level == .street }.map(area),
            grids: map.grids.map { g in
                let b = g.boundary
                let complex = !b.otherParts.isEmpty || !b.holes.isEmpty
                return Layers.Grid(code: g.code, ring: ring(b.outer), parts: complex ? b.parts.map { [ring($0.outer)] + $0.holes.map(ring) } : nil)
            })
    }

    static func round5(_ v: Double) -> Double { (v * 100_000).rounded() / 100_000 }
}
