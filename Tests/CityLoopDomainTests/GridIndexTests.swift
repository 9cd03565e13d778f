import CityLoopDemo
import CityLoopDomain
import Testing

@Suite("GridIndex and CityMap")
struct GridIndexTests {
    let map = DemoMaps.standardMap
    var index: GridIndex { map.index }

    @Test("the demo city has 3,456 grids in its index")
    func gridCount() {
        #expect(map.grids.count == 3_456)
        #expect(index.polygons.count == 3_456)
    }

    /// Required acceptance test: 20,000 random points in and around the city, the index answers exactly as brute force.
    /// Split in four chunks of 5,000 so they run in parallel.
    @Test("index lookup equals brute force for 20,000 random points", arguments: 0..<4)
    func locateMatchesBruteForce(chunk: Int) {
        let b = index.bounds
        let padLat = (b.maxLat - b.minLat) * 0.05, padLon = (b.maxLon - b.minLon) * 0.05
        var rng = DemoRandom(seed: 42, stream: UInt64(chunk))
        var mismatches: [(GeoPoint, Int?, Int?)] = []
        var inside = 0
        for _ in 0..<5_000 {
            let p = GeoPoint(
                lat: b.minLat - padLat + rng.unit() * (b.maxLat - b.minLat + 2 * padLat),
                lon: b.minLon - padLon + rng.unit() * (b.maxLon - b.minLon + 2 * padLon))
            let fast = index.locate(p), slow = index.locateBruteForce(p)
            if fast != slow { mismatches.append((p, fast, slow)) }
            if fast != nil { inside += 1 }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
        // About 83% of the padded box is the city: both branches were exercised.
        #expect(inside > 3_500 && inside < 4_800)
    }

    @Test("points outside the city resolve to no grid")
    func outsidePoints() {
        let b = index.bounds
        let outside = [
            GeoPoint(lat: b.maxLat + 0.001, lon: b.center.lon), GeoPoint(lat: b.minLat - 0.001, lon: b.center.lon),
            GeoPoint(lat: b.center.lat, lon: b.maxLon + 0.001), GeoPoint(lat: b.center.lat, lon: b.minLon - 0.001),
            GeoPoint(lat: 0, lon: 0), GeoPoint(lat: 39.9, lon: 116.4),
        ]
        for p in outside {
            #expect(index.locate(p) == nil, "\(p)")
            #expect(map.place(p) == nil, "\(p)")
        }
        #expect(map.place(GeoPoint(lat: .nan, lon: 113.65)) == nil)
        #expect(map.place(GeoPoint(lat: 134.75, lon: 113.65)) == nil)
    }

    /// Counts the grids whose boundary contains `p`.
    func owners(_ p: GeoPoint) -> [Int] {
        index.polygons.indices.filter { index.polygons[$0].contains(p) }
    }

    @Test("lattice vertices shared by four grids resolve to exactly one grid")
    func sharedVertices() {
        var checked = 0
        // Every vertex of a sample of grids, skipping those on the city's outer border.
        let b = index.bounds
        for g in stride(from: 0, to: map.grids.count, by: 7) {
            for v in map.grids[g].boundary.outer
            where v.lat != b.minLat && v.lat != b.maxLat && v.lon != b.minLon && v.lon != b.maxLon {
                let found = owners(v)
                #expect(found.count == 1, "vertex \(v) of grid \(map.grids[g].code) lies in \(found.count) grids")
                #expect(index.locate(v) == index.locateBruteForce(v))
                checked += 1
            }
        }
        #expect(checked > 1_000)
    }

    @Test("points on shared edges resolve to exactly one grid")
    func sharedEdges() {
        let b = index.bounds
        var checked = 0
        var bad: [String] = []
        for g in stride(from: 0, to: map.grids.count, by: 5) {
            let ring = map.grids[g].boundary.outer
            for k in ring.indices {
                let a = ring[k], c = ring[(k + 1) % ring.count]
                // Horizontal-ish edges on the border have no neighbour; skip the city's outer border.
                if (a.lat == b.minLat && c.lat == b.minLat) || (a.lat == b.maxLat && c.lat == b.maxLat) { continue }
                if (a.lon == b.minLon && c.lon == b.minLon) || (a.lon == b.maxLon && c.lon == b.maxLon) { continue }
                // A point on the edge at a quarter of its length, computed exactly as the crossing test does.
                let lat = a.lat + (c.lat - a.lat) / 4
                guard lat != a.lat, lat != c.lat else { continue }
                let lon = (c.lon - a.lon) * (lat - a.lat) / (c.lat - a.lat) + a.lon
                let p = GeoPoint(lat: lat, lon: lon)
                let found = owners(p)
                if found.count != 1 { bad.append("\(p) on an edge of \(map.grids[g].code) lies in \(found.count) grids") }
                #expect(index.locate(p) == index.locateBruteForce(p))
                checked += 1
            }
        }
        #expect(checked > 1_000)
        // Neighbours compute a shared edge's crossing identically, so an edge point is in exactly one grid.
        #expect(bad.isEmpty, "\(bad.count) of \(checked) edge points: \(bad.prefix(3))")
    }

    @Test("every grid's interior point resolves to that grid")
    func interiorPoints() {
        for (i, g) in map.grids.enumerated() {
            #expect(index.locate(g.boundary.interiorPoint) == i, "grid \(g.code)")
        }
    }

    @Test("place returns the grid and its community, street and district codes")
    func place() throws {
        for g in [map.grids[0], map.grids[1_234], map.grids[map.grids.count - 1]] {
            let placement = try #require(map.place(g.boundary.interiorPoint))
            #expect(placement.gridCode == g.code)
            #expect(placement.communityCode == String(g.code.prefix(12)))
            #expect(placement.streetCode == String(g.code.prefix(9)))
            #expect(placement.districtCode == String(g.code.prefix(6)))
            #expect(map.areas[placement.communityCode]?.level == .community)
            #expect(map.areas[placement.streetCode]?.level == .street)
            #expect(map.areas[placement.districtCode]?.level == .district)
            #expect(map.areaNames(for: placement).count == 3)
            #expect(map.grid(code: g.code) == g)
        }
        #expect(map.grid(code: "410102001001999") == nil)
    }

    @Test("area listing filters by level and parent")
    func areaListing() {
        #expect(map.city?.code == "410100")
        #expect(map.areas(level: .district).map(\.code) == ["410102", "410103", "410104", "410105", "410108", "410122"])
        #expect(map.areas(level: .street, parent: "410102").map(\.code) == ["410102001", "410102002", "410102003", "410102004"])
        #expect(map.areas(parent: "410102001").count == 4)
    }

    @Test("candidates for a grid's box include the grid and its neighbours")
    func candidates() {
        let g = map.grids[500]
        let found = index.candidates(intersecting: g.boundary.boundingBox)
        #expect(found.contains(500))
        #expect(found.count >= 4 && found.count < 60)
        #expect(index.candidates(intersecting: BoundingBox(minLat: 0, minLon: 0, maxLat: 1, maxLon: 1)).isEmpty)
    }
}
