import CityLoopDomain
import CityLoopServices
import Foundation
import Testing

/// The streaming GeoJSON reader: exact numbers, positions of malformed JSON, the `crs` member, and no crash on
/// random or damaged input.
@Suite struct GeoJSONReaderTests {
    static func collection(_ features: [String], crs: String? = nil) -> Data {
        let member = crs.map { #""crs":{"type":"name","properties":{"name":"\#($0)"}},"# } ?? ""
        return Data(#"{"type":"FeatureCollection",\#(member)"features":[\#(features.joined(separator: ","))]}"#.utf8)
    }

    static func grid(_ code: String, ring: [(Double, Double)], digits: Bool = false) -> String {
        let text = ring.map { digits ? "[\(String(format: "%.17g", $0.0)),\(String(format: "%.17g", $0.1))]" : "[\($0.0),\($0.1)]" }
        return #"{"type":"Feature","properties":{"code":"\#(code)","level":"grid","parent":"c"},"geometry":{"type":"Polygon","coordinates":[[\#(text.joined(separator: ","))]]}}"#
    }

    @Test func seventeenDigitCoordinatesComeBackBitForBit() throws {
        var rng = SystemRandomNumberGenerator()
        var expected: [Double] = []
        var features: [String] = []
        // 2,500 grids × 4 positions = 10,000 random doubles (longitude and latitude each).
        for i in 0..<2500 {
            let lon = Double.random(in: 113...114, using: &rng), lat = Double.random(in: 34...35, using: &rng)
            let d = Double.random(in: 1e-4...1e-3, using: &rng)
            let ring = [(lon, lat), (lon + d, lat), (lon + d, lat + d), (lon, lat)]
            expected += ring.flatMap { [$0.0, $0.1] }
            features.append(Self.grid("g\(i)", ring: ring, digits: true))
        }
        let (_, grids) = try GeoJSON.decodeAreas(Self.collection(features))
        let got = grids.flatMap { g in (g.boundary.outer + [g.boundary.outer[0]]).flatMap { [$0.lon, $0.lat] } }
        #expect(got.count == expected.count)
        let differing = zip(got, expected).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differing == 0, "\(differing) of \(expected.count) coordinates moved")
    }

    @Test func malformedJSONNamesByteLineAndColumn() throws {
        let text = "{\"type\":\"FeatureCollection\",\n\"features\":[\n{\"type\":\"Feature\" \"properties\":{}}]}"
        let e = #expect(throws: DomainError.self) { try GeoJSONReader().forEachFeature(in: Data(text.utf8)) { _ in } }
        #expect(e?.field == "body")
        #expect(e?.message.contains("line 3, column 19") == true, "\(e?.message ?? "")")
        #expect(e?.message.contains("expected ',' or '}'") == true)
        let cut = #expect(throws: DomainError.self) { try GeoJSONReader().forEachFeature(in: Data(text.utf8.prefix(40))) { _ in } }
        #expect(cut?.message.contains("end of input") == true, "\(cut?.message ?? "")")
        let notCollection = #expect(throws: DomainError.self) { try GeoJSON.decodeAreas(Data(#"{"type":"Feature"}"#.utf8)) }
        #expect(notCollection?.message.contains("FeatureCollection") == true)
    }

    @Test func crsMemberIsHonouredAndProjectedSystemsRefused() throws {
        let ring = [(113.6253, 34.7466), (113.6263, 34.7466), (113.6263, 34.7476), (113.6253, 34.7466)]
        for name in ["urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4490"] {
            let (_, grids) = try GeoJSON.decodeAreas(Self.collection([Self.grid("g", ring: ring)], crs: name))
            #expect(grids.first?.boundary.outer.first == GeoPoint(lat: 34.7466, lon: 113.6253), "\(name)")
        }
        let projected = #expect(throws: DomainError.self) {
            try GeoJSON.decodeAreas(Self.collection([Self.grid("g", ring: ring)], crs: "urn:ogc:def:crs:EPSG::4547"))
        }
        #expect(projected?.field == "crs")
        #expect(projected?.message.contains("EPSG::4547") == true)
        // Gauss-Krüger metres without a crs member are refused naming the feature, not measured as 3.4e16 m².
        let metres = [(38_512_000.0, 3_845_000.0), (38_512_100, 3_845_000), (38_512_100, 3_845_100), (38_512_000, 3_845_000)]
        let gk = #expect(throws: DomainError.self) { try GeoJSON.decodeAreas(Self.collection([Self.grid("g", ring: ring), Self.grid("h", ring: metres)])) }
        #expect(gk?.field == "features[1].geometry.coordinates")
        #expect(gk?.message.contains("projected metres") == true)
        // A caller's GCJ-02 is converted once to WGS84.
        let (_, shifted) = try GeoJSON.decodeAreas(Self.collection([Self.grid("g", ring: ring)]), crs: .gcj02)
        let first = try #require(shifted.first?.boundary.outer.first)
        #expect(first == CoordinateSystem.gcj02ToWGS84(GeoPoint(lat: 34.7466, lon: 113.6253)))
        #expect((400...700).contains(first.distance(to: GeoPoint(lat: 34.7466, lon: 113.6253))))
    }

    @Test func propertiesAndComponentsKeepTheirValues() throws {
        let text = #"{"features":[{"type":"Feature","id":7,"properties":{"id":"41010200101001001","classCode":"01001","name":"井盖 \"北\" \u4e95\ud83d\ude00","n":1.5,"ok":true,"nested":{"a":[1,2]},"x":null},"geometry":{"type":"Point","coordinates":[113.65,34.75,12.5]}}],"type":"FeatureCollection"}"#
        let features = try GeoJSONReader().features(in: Data(text.utf8))
        #expect(features.count == 1)
        #expect(features[0].properties["name"] == .string("井盖 \"北\" 井😀"))
        #expect(features[0].properties["n"] == .number(1.5))
        #expect(features[0].properties["ok"] == .bool(true))
        #expect(features[0].properties["nested"] == .json(#"{"a":[1,2]}"#))
        #expect(features[0].properties["x"] == .null)
        let rows = try GeoJSON.decodeComponents(Data(text.utf8))
        #expect(rows.first?.lat == 34.75 && rows.first?.lon == 113.65)
        #expect(rows.first?.classCode == "01001")
    }

    /// Random bytes and damaged copies of a valid file: the reader never crashes, refuses with a `DomainError`,
    /// and never accepts what Foundation's JSON parser calls invalid.
    @Test func randomAndMutatedBytesAreRefusedCleanly() throws {
        var rng = SystemRandomNumberGenerator()
        let ring = [(113.6253, 34.7466), (113.6263, 34.7466), (113.6263, 34.7476), (113.6253, 34.7466)]
        let valid = Array(Self.collection([Self.grid("g1", ring: ring), Self.grid("g2", ring: ring)], crs: "EPSG:4326"))
        let alphabet = Array(#"{}[]":,.-+eE0123456789 \ntruefalsenull"abc\u00e9"#.utf8) + [0x00, 0xFF, 0xC3, 0x80]
        var accepted = 0, refused = 0
        for round in 0..<4000 {
            var bytes: [UInt8]
            if round < 500 {
                bytes = (0..<Int.random(in: 0...200, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            } else {
                bytes = valid
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    let i = Int.random(in: 0..<max(bytes.count, 1), using: &rng)
                    switch Int.random(in: 0..<3, using: &rng) {
                    case 0 where !bytes.isEmpty: bytes[i] = alphabet.randomElement(using: &rng)!
                    case 1 where !bytes.isEmpty: bytes.remove(at: i)
                    default: bytes.insert(alphabet.randomElement(using: &rng)!, at: min(i, bytes.count))
                    }
                }
            }
            do {
                try GeoJSONReader().forEachFeature(in: Data(bytes)) { _ in }
                accepted += 1
                #expect((try? JSONSerialization.jsonObject(with: Data(bytes))) != nil, "accepted invalid JSON: \(String(decoding: bytes, as: UTF8.self))")
            } catch is DomainError {
                refused += 1
            } catch {
                Issue.record("not a DomainError: \(error)")
            }
        }
        #expect(refused > 1000)
        let deep = Data((String(repeating: "[", count: 100_000)).utf8)
        #expect(throws: DomainError.self) { try GeoJSONReader().forEachFeature(in: deep) { _ in } }
        let deepCoordinates = Data(#"{"type":"FeatureCollection","features":[{"geometry":{"coordinates":\#(String(repeating: "[", count: 100_000))}}]}"#.utf8)
        #expect(throws: DomainError.self) { try GeoJSONReader().forEachFeature(in: deepCoordinates) { _ in } }
        _ = accepted
    }
}
