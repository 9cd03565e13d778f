import CityLoopDomain
import Foundation
import Testing

/// GCJ-02 and BD-09 against pairs published with the reference implementations, and round trips below 1 cm.
@Suite struct CoordinateSystemTests {
    /// Metres between two points (haversine), for tolerances a reader understands.
    func metres(_ a: GeoPoint, _ b: GeoPoint) -> Double { a.distance(to: b) }

    // Source: googollee/eviltransform, the shared test table of its Go/Python/PHP ports
    // (`TESTS`: wgsLat, wgsLng, gcjLat, gcjLng; Shanghai, Shenzhen, Beijing).
    static let evilTransformPairs: [(wgs: GeoPoint, gcj: GeoPoint)] = [
        (GeoPoint(lat: 31.1774276, lon: 121.5272106), GeoPoint(lat: 31.17530398364597, lon: 121.531541859215)),
        (GeoPoint(lat: 22.543847, lon: 113.912316), GeoPoint(lat: 22.540796131694766, lon: 113.9171764808363)),
        (GeoPoint(lat: 39.911954, lon: 116.377817), GeoPoint(lat: 39.91334545536069, lon: 116.38404722455657)),
    ]

    @Test func wgs84ToGCJ02MatchesThePublishedPairs() {
        for (wgs, gcj) in Self.evilTransformPairs {
            let got = CoordinateSystem.wgs84ToGCJ02(wgs)
            #expect(abs(got.lat - gcj.lat) < 1e-9 && abs(got.lon - gcj.lon) < 1e-9, "\(wgs) → \(got), published \(gcj)")
        }
        // Source: wandergis/coordtransform test/app.js, wgs84togcj02(116.404, 39.915).
        let beijing = CoordinateSystem.wgs84ToGCJ02(GeoPoint(lat: 39.915, lon: 116.404))
        #expect(abs(beijing.lon - 116.41024449916938) < 1e-9 && abs(beijing.lat - 39.91640428150164) < 1e-9)
    }

    @Test func gcj02ToWGS84InvertsThePublishedPairsBelowOneCentimetre() {
        for (wgs, gcj) in Self.evilTransformPairs {
            #expect(metres(CoordinateSystem.gcj02ToWGS84(gcj), wgs) < 0.01)
            #expect(metres(CoordinateSystem.gcj02.toWGS84(gcj), wgs) < 0.01)
        }
        // Source: wandergis/coordtransform test/app.js, gcj02towgs84(116.404, 39.915) by its one-step
        // approximation; the exact inverse lies within a metre of it.
        let approx = GeoPoint(lat: 39.91359571849836, lon: 116.39775550083061)
        #expect(metres(CoordinateSystem.gcj02ToWGS84(GeoPoint(lat: 39.915, lon: 116.404)), approx) < 1)
    }

    @Test func bd09MatchesThePublishedPairs() {
        // Source: wandergis/coordtransform test/app.js, gcj02tobd09(116.404, 39.915) (exact formula) and
        // bd09togcj02(116.404, 39.915) (its approximate inverse, within 0.3 m of the exact one).
        let bd = CoordinateSystem.gcj02ToBD09(GeoPoint(lat: 39.915, lon: 116.404))
        #expect(abs(bd.lon - 116.41036949371029) < 1e-9 && abs(bd.lat - 39.92133699351021) < 1e-9)
        let gcj = CoordinateSystem.bd09ToGCJ02(GeoPoint(lat: 39.915, lon: 116.404))
        #expect(metres(gcj, GeoPoint(lat: 39.90865673957631, lon: 116.39762729119315)) < 0.3)
        // BD-09 → WGS84 goes through GCJ-02: the same point both ways.
        let bdPoint = GeoPoint(lat: 34.7532, lon: 113.6374)
        #expect(CoordinateSystem.bd09.toWGS84(bdPoint) == CoordinateSystem.gcj02ToWGS84(CoordinateSystem.bd09ToGCJ02(bdPoint)))
    }

    @Test func zhengzhouIsShiftedAboutFiveHundredSeventyMetres() {
        // STANDARDS.md: at Zhengzhou GCJ-02 − WGS84 ≈ +555 m east, −127 m north.
        let wgs = GeoPoint(lat: 34.7466, lon: 113.6253)
        let gcj = CoordinateSystem.gcj02.fromWGS84(wgs)
        let d = metres(wgs, gcj)
        #expect((500...650).contains(d), "\(d) m")
        #expect(gcj.lon > wgs.lon && gcj.lat < wgs.lat)
    }

    @Test func roundTripsStayBelowOneCentimetreAcrossChina() {
        var rng = SystemRandomNumberGenerator()
        var worst = 0.0
        for _ in 0..<20_000 {
            let p = GeoPoint(lat: .random(in: 18...53, using: &rng), lon: .random(in: 74...134, using: &rng))
            for crs in CoordinateSystem.allCases {
                worst = max(worst, metres(crs.toWGS84(crs.fromWGS84(p)), p))
                worst = max(worst, metres(crs.fromWGS84(crs.toWGS84(p)), p))
            }
        }
        #expect(worst < 0.01, "worst round trip \(worst) m")
    }

    @Test func outsideChinaGCJ02IsWGS84() {
        for p in [GeoPoint(lat: 48.8584, lon: 2.2945), GeoPoint(lat: -33.8568, lon: 151.2153), GeoPoint(lat: 40.6892, lon: -74.0445)] {
            #expect(CoordinateSystem.gcj02.toWGS84(p) == p)
            #expect(CoordinateSystem.wgs84ToGCJ02(p) == p)
        }
        #expect(CoordinateSystem.cgcs2000.toWGS84(GeoPoint(lat: 34.7, lon: 113.6)) == GeoPoint(lat: 34.7, lon: 113.6))
    }

    @Test func namesAreReadCaseInsensitivelyWithAliases() throws {
        #expect(CoordinateSystem(name: "GCJ-02") == .gcj02)
        #expect(CoordinateSystem(name: "bd09") == .bd09)
        #expect(CoordinateSystem(name: "EPSG:4326") == .wgs84)
        #expect(CoordinateSystem(name: "epsg:4490") == .cgcs2000)
        #expect(CoordinateSystem(name: "urn:ogc:def:crs:OGC:1.3:CRS84") == .wgs84)
        #expect(CoordinateSystem(name: "urn:ogc:def:crs:EPSG::4490") == .cgcs2000)
        #expect(CoordinateSystem(name: "EPSG:4547") == nil)
        #expect(try CoordinateSystem.parse(nil) == .wgs84)
        #expect(throws: DomainError.self) { try CoordinateSystem.parse("mercator") }
        let projected = #expect(throws: DomainError.self) { try CoordinateSystem.geoJSONMember("urn:ogc:def:crs:EPSG::4547") }
        #expect(projected?.message.contains("ogr2ogr") == true)
    }

    @Test func outOfRangeAndProjectedValuesNameTheirField() throws {
        let lat = #expect(throws: DomainError.self) { try CoordinateSystem.gcj02.wgs84Point(lat: 200, lon: 113.6) }
        #expect(lat?.field == "lat")
        let metres = #expect(throws: DomainError.self) { try CoordinateSystem.wgs84.wgs84Point(lat: 34.7, lon: 38_512_345.2) }
        #expect(metres?.field == "lon")
        #expect(metres?.message.contains("projected metres") == true)
        let nan = #expect(throws: DomainError.self) { try CoordinateSystem.wgs84.wgs84Point(lat: .nan, lon: 113) }
        #expect(nan?.field == "lat")
        let p = try CoordinateSystem.gcj02.wgs84Point(lat: 34.7466, lon: 113.6253)
        #expect(p != GeoPoint(lat: 34.7466, lon: 113.6253))
    }
}
