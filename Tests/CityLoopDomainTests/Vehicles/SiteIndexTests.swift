@testable import CityLoopDomain
import Foundation
import Testing

@Suite("Site index")
struct SiteIndexTests {
    typealias F = VehicleFixtures

    /// 5,000 star-shaped sites of 20 vertices, 50 m to 400 m across and 1 in 100 of 2 km to 5 km (forbidden
    /// zones), over a 50 km city; 1 in 50 with a hole and 1 in 50 in two parts. Seeded, so the same on every run.
    static let city: (index: SiteIndex, box: BoundingBox) = {
        var rng = SplitMix64(state: 808)
        var sites: [Site] = []
        func star(_ centre: GeoPoint, _ radius: Double, _ rng: inout SplitMix64) -> [GeoPoint] {
            (0..<20).map { k in
                let angle = Double(k) / 20 * 2 * .pi
                let r = radius * rng.between(0.6...1.0)
                return centre.offset(eastMetres: r * cos(angle), northMetres: r * sin(angle))
            }
        }
        for i in 0..<5_000 {
            let centre = F.origin.offset(eastMetres: rng.between(-25_000...25_000), northMetres: rng.between(-25_000...25_000))
            let radius = i % 100 == 0 ? rng.between(2_000...5_000) : rng.between(50...400)
            var boundary = Polygon(outer: star(centre, radius, &rng))
            if i % 50 == 1 { boundary = Polygon(outer: boundary.outer, holes: [star(centre, radius * 0.3, &rng)]) }
            if i % 50 == 2 {
                boundary = Polygon(parts: [boundary, Polygon(outer: star(centre.offset(eastMetres: 3 * radius, northMetres: 0), radius, &rng))])
            }
            let kind = Site.Kind.allCases[i % Site.Kind.allCases.count]
            sites.append(Site(id: SiteID("s-\(i)"), name: "site \(i)", kind: kind, boundary: boundary))
        }
        let index = try! SiteIndex(sites: sites)
        return (index, index.bounds)
    }()

    /// Required acceptance test: 2,000 random points (half anywhere in and around the city, half near a site), the
    /// index answers exactly as a scan of every site. Two chunks of 1,000 so they run in parallel.
    @Test("lookups equal a brute-force scan for 2,000 random points", arguments: 0..<2)
    func matchesBruteForce(chunk: Int) {
        let (index, b) = Self.city
        var rng = SplitMix64(state: 42 &+ UInt64(chunk))
        var mismatches: [GeoPoint] = []
        var hits = 0, overlaps = 0
        for k in 0..<1_000 {
            let p: GeoPoint
            if k % 2 == 0 {
                let padLat = (b.maxLat - b.minLat) * 0.05, padLon = (b.maxLon - b.minLon) * 0.05
                p = GeoPoint(
                    lat: b.minLat - padLat + rng.uniform() * (b.maxLat - b.minLat + 2 * padLat),
                    lon: b.minLon - padLon + rng.uniform() * (b.maxLon - b.minLon + 2 * padLon))
            } else {
                let site = index.sites[Int(rng.next() % UInt64(index.sites.count))]
                let c = site.boundary.boundingBox.center
                p = c.offset(eastMetres: rng.between(-300...300), northMetres: rng.between(-300...300))
            }
            let fast = index.indices(containing: p)
            if fast != index.indicesBruteForce(containing: p) { mismatches.append(p) }
            if !fast.isEmpty { hits += 1 }
            if fast.count > 1 { overlaps += 1 }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
        // Both branches, and overlapping sites, were exercised.
        #expect(hits > 300 && hits < 950)
        #expect(overlaps > 20)
    }

    @Test("overlapping sites are all answered, in site order")
    func overlapping() throws {
        let inner = Site(id: "inner", name: "inner", kind: .weighbridge, boundary: F.square(east: 0, north: 0, half: 20))
        let index = try SiteIndex(sites: [F.nightZone, F.construction, inner, F.disposal])
        #expect(index.sites(containing: F.origin).map(\.id) == ["cs-1", "inner"])
        #expect(index.indices(containing: F.at(east: 50)) == [1])
        #expect(index.indices(containing: F.at(east: 1000)).isEmpty)
        #expect(index.site(id: "ds-1") == F.disposal)
        #expect(index.position(of: "inner") == 2)
        #expect(index.site(id: "nowhere") == nil)
    }

    @Test("holes and second parts are honoured")
    func holesAndParts() throws {
        let ring = Polygon(
            outer: F.square(east: 0, north: 0, half: 500).outer, holes: [F.square(east: 0, north: 0, half: 100).outer])
        let twoParts = Polygon(parts: [F.square(east: 2000, north: 0, half: 50), F.square(east: 3000, north: 0, half: 50)])
        let index = try SiteIndex(sites: [
            Site(id: "ring", name: "ring", kind: .forbiddenZone, boundary: ring),
            Site(id: "two", name: "two", kind: .disposalSite, boundary: twoParts),
        ])
        #expect(index.indices(containing: F.origin).isEmpty)
        #expect(index.indices(containing: F.at(east: 300)) == [0])
        #expect(index.indices(containing: F.at(east: 3000)) == [1])
        #expect(index.indices(containing: F.at(east: 2500)).isEmpty)
    }

    @Test("no sites, points outside and invalid points answer nothing")
    func empty() throws {
        #expect(SiteIndex().indices(containing: F.origin).isEmpty)
        #expect(F.sites.indices(containing: GeoPoint(lat: 0, lon: 0)).isEmpty)
        #expect(F.sites.indices(containing: GeoPoint(lat: .nan, lon: 113.65)).isEmpty)
    }

    @Test("two sites with one ID, or an invalid site, are refused")
    func refused() {
        #expect(throws: DomainError.self) { try SiteIndex(sites: [F.construction, F.construction]) }
        var bad = F.disposal
        bad.boundary = Polygon(outer: [F.origin])
        #expect(throws: DomainError.self) { try SiteIndex(sites: [bad]) }
    }

    @Test("a few huge sites coarsen the lattice instead of filling memory")
    func hugeSites() throws {
        var sites = (0..<200).map { i in
            Site(id: SiteID("big-\(i)"), name: "big", kind: .forbiddenZone, boundary: F.square(east: Double(i), north: 0, half: 20_000))
        }
        sites += (0..<200).map { i in
            Site(id: SiteID("small-\(i)"), name: "small", kind: .depot, boundary: F.square(east: Double(i * 200), north: 0, half: 50))
        }
        let index = try SiteIndex(sites: sites, cellsPerSite: 1_000)
        #expect(index.indices(containing: F.at(east: 1000)).count == 201)
        #expect(index.indices(containing: F.at(east: 1000)) == index.indicesBruteForce(containing: F.at(east: 1000)))
    }
}
