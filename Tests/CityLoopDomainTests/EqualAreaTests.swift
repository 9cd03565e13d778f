import CityLoopDomain
import Foundation
import Testing

@Suite("Equal-area measurement and polygon intersection")
struct EqualAreaTests {
    /// A square of `metres` a side with its south-west corner at `origin`.
    func square(_ origin: GeoPoint, _ metres: Double) -> [GeoPoint] {
        [origin, origin.offset(eastMetres: metres, northMetres: 0), origin.offset(eastMetres: metres, northMetres: metres),
         origin.offset(eastMetres: 0, northMetres: metres)]
    }

    @Test("a ring gives the same area whichever vertex it starts at, and either way round")
    func rotatedRings() {
        // An irregular county-sized ring (about 40 km across) with many vertices.
        let centre = GeoPoint(lat: 34.75, lon: 113.65)
        let ring = (0..<360).map { i -> GeoPoint in
            let angle = Double(i) * .pi / 180
            let r = 20_000 + 3_000 * sin(5 * angle) + 700 * cos(13 * angle)
            return centre.offset(eastMetres: r * cos(angle), northMetres: r * sin(angle))
        }
        let reference = EqualArea.ringArea(ring)
        #expect(reference > 1.2e9 && reference < 1.4e9)
        for start in stride(from: 0, to: ring.count, by: 7) {
            let rotated = Array(ring[start...] + ring[..<start])
            #expect(abs(EqualArea.ringArea(rotated) - reference) <= reference * 1e-9, "start \(start)")
            #expect(abs(EqualArea.ringArea(rotated.reversed()) - reference) <= reference * 1e-9)
        }
    }

    @Test("a 100 m grid at Zhengzhou is 10,000 m², and a 1° cell matches the ellipsoid's area")
    func knownAreas() {
        let grid = EqualArea.ringArea(square(GeoPoint(lat: 34.75, lon: 113.65), 100))
        #expect(abs(grid - 10_000) < 50, "\(grid)")
        // 34–35° N, 113–114° E on WGS84: 10,187,811,966.6 m² (pyproj Geod over the densified parallels).
        let cell = EqualArea.ringArea([
            GeoPoint(lat: 34, lon: 113), GeoPoint(lat: 34, lon: 114), GeoPoint(lat: 35, lon: 114), GeoPoint(lat: 35, lon: 113),
        ])
        #expect(abs(cell - 10_187_811_966.6) < 10_187_811_966.6 * 1e-6, "\(cell)")
    }

    @Test("two grids share their overlap's area; neighbours share nothing")
    func intersections() {
        let o = GeoPoint(lat: 34.75, lon: 113.65)
        let a = Polygon(outer: square(o, 100))
        let neighbour = Polygon(outer: square(o.offset(eastMetres: 100, northMetres: 0), 100))
        let shifted = Polygon(outer: square(o.offset(eastMetres: 70, northMetres: 0), 100))
        let halfAlongEdge = Polygon(outer: square(o.offset(eastMetres: 50, northMetres: 0), 100))
        #expect(a.intersectionArea(neighbour) < 1e-6)
        #expect(abs(a.intersectionArea(shifted) - 3_000) < 30, "\(a.intersectionArea(shifted))")
        #expect(abs(a.intersectionArea(halfAlongEdge) - 5_000) < 50)
        #expect(abs(a.intersectionArea(a) - a.areaSquareMetres) < a.areaSquareMetres * 0.001)
        // A hole takes its part away; an exclave adds its own.
        let inner = Polygon(outer: square(o.offset(eastMetres: 25, northMetres: 25), 50))
        let ringed = Polygon(outer: square(o.offset(eastMetres: -50, northMetres: -50), 200), holes: [square(o.offset(eastMetres: 25, northMetres: 25), 50)])
        #expect(a.intersectionArea(ringed) > 7_400 && a.intersectionArea(ringed) < 7_600)
        #expect(inner.intersectionArea(ringed) < 1e-6)
        let twoParts = Polygon(parts: [Polygon(outer: square(o.offset(eastMetres: -300, northMetres: 0), 100)), shifted])
        #expect(abs(a.intersectionArea(twoParts) - 3_000) < 30)
        #expect(abs(twoParts.areaSquareMetres - 20_000) < 100)
    }

    @Test("a multi-part polygon contains points of every part and none between them")
    func multiPart() {
        let o = GeoPoint(lat: 34.75, lon: 113.65)
        let p = Polygon(parts: [Polygon(outer: square(o, 100)), Polygon(outer: square(o.offset(eastMetres: 500, northMetres: 0), 100))])
        #expect(p.parts.count == 2 && p.otherParts.count == 1)
        #expect(p.contains(o.offset(eastMetres: 50, northMetres: 50)))
        #expect(p.contains(o.offset(eastMetres: 550, northMetres: 50)))
        #expect(!p.contains(o.offset(eastMetres: 300, northMetres: 50)))
        #expect(p.boundingBox.maxLon > o.offset(eastMetres: 590, northMetres: 0).lon)
        let index = GridIndex(polygons: [p, Polygon(outer: square(o.offset(eastMetres: 250, northMetres: 0), 100))])
        #expect(index.locate(o.offset(eastMetres: 550, northMetres: 50)) == 0)
        #expect(index.locate(o.offset(eastMetres: 300, northMetres: 50)) == 1)
        #expect(index.locate(o.offset(eastMetres: 450, northMetres: 50)) == nil)
        // Stored rows from before multi-part areas (no otherParts key) still read.
        let old = #"{"outer":[{"lat":34.75,"lon":113.65},{"lat":34.76,"lon":113.65},{"lat":34.76,"lon":113.66}],"holes":[]}"#
        let decoded = try? JSONDecoder().decode(Polygon.self, from: Data(old.utf8))
        #expect(decoded?.outer.count == 3 && decoded?.otherParts.isEmpty == true)
        let roundTrip = try? JSONDecoder().decode(Polygon.self, from: JSONEncoder().encode(p))
        #expect(roundTrip == p)
    }
}
