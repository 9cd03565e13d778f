import CityLoopDomain
import Foundation
import Testing

@Suite("Polygons")
struct PolygonTests {
    static func decode(_ json: String) throws -> Polygon {
        try JSONDecoder().decode(Polygon.self, from: Data(json.utf8))
    }

    @Test("a ring sent closed is read open, holes and further parts too, as the initializer keeps it")
    func closedRingsAreOpened() throws {
        // setup: a square with a square hole, and a second part, every ring with its first corner repeated at the end
        let a = #"{"lat":34.75,"lon":113.65}"#, b = #"{"lat":34.75,"lon":113.66}"#, c = #"{"lat":34.76,"lon":113.66}"#, d = #"{"lat":34.76,"lon":113.65}"#
        let h1 = #"{"lat":34.752,"lon":113.652}"#, h2 = #"{"lat":34.752,"lon":113.654}"#, h3 = #"{"lat":34.754,"lon":113.654}"#
        let part = #"{"outer":[\#(a),\#(b),\#(c),\#(a)],"holes":[]}"#
        let json = #"{"outer":[\#(a),\#(b),\#(c),\#(d),\#(a)],"holes":[[\#(h1),\#(h2),\#(h3),\#(h1)]],"otherParts":[\#(part)]}"#

        // MUT
        let p = try Self.decode(json)

        // validate: the same polygon as built from open rings, stored open
        let open = try Self.decode(#"{"outer":[\#(a),\#(b),\#(c),\#(d)],"holes":[[\#(h1),\#(h2),\#(h3)]],"otherParts":[{"outer":[\#(a),\#(b),\#(c)],"holes":[]}]}"#)
        #expect(p.outer.count == 4 && p.holes.map(\.count) == [3] && p.otherParts.map(\.outer.count) == [3], "\(p)")
        #expect(p == open)
        #expect(p == Polygon(parts: [Polygon(outer: p.outer + [p.outer[0]], holes: p.holes), p.otherParts[0]]))
        #expect(try Self.decode(String(decoding: JSONEncoder().encode(p), as: UTF8.self)) == p)
        #expect(abs(p.areaSquareMetres - open.areaSquareMetres) < 1e-6)
    }

    @Test("two corners and the first again are two corners, not a triangle")
    func aClosedTwoCornerRingIsTwoCorners() throws {
        let p = try Self.decode(#"{"outer":[{"lat":34.75,"lon":113.65},{"lat":34.76,"lon":113.66},{"lat":34.75,"lon":113.65}]}"#)
        #expect(p.outer.count == 2, "\(p.outer)")
        let site = Site(id: "CS-1", name: "工地", kind: .constructionSite, boundary: p)
        #expect(throws: DomainError.self) { try site.validate() }
    }
}
