import CityLoopDemo
import CityLoopDomain
import Testing

@Suite("Demo city determinism and scale")
struct DemoCityTests {
    @Test("the same seed builds the identical city")
    func sameSeed() {
        let again = DemoGeography.build(scale: .standard, seed: 1)
        #expect(again.grids.map(\.code) == DemoMaps.standard.grids.map(\.code))
        #expect(again.grids == DemoMaps.standard.grids)
        #expect(again.areas == DemoMaps.standard.areas)
    }

    @Test("another seed keeps the codes but jitters the boundaries")
    func otherSeed() {
        let other = DemoGeography.build(scale: .standard, seed: 2)
        #expect(other.grids.map(\.code) == DemoMaps.standard.grids.map(\.code))
        #expect(other.grids.map(\.boundary) != DemoMaps.standard.grids.map(\.boundary))
        // The outer border stays straight: the city's boundary is seed-independent.
        #expect(other.areas[0].boundary == DemoMaps.standard.areas[0].boundary)
    }

    @Test("the standard city has 3,456 unique, well-formed grids averaging 10,000 m²")
    func standardCity() {
        let (areas, grids) = DemoMaps.standard
        #expect(DemoScale.standard.gridCount == 3_456)
        #expect(grids.count == 3_456)
        #expect(Set(grids.map(\.code)).count == grids.count)
        #expect(grids.allSatisfy { AreaCodeRules.gridCodeProblems($0.code).isEmpty })
        // Jittered lattice: each grid between half and 1.7 times 10,000 m², about 10,000 m² on average.
        #expect(grids.allSatisfy { (5_000...17_000).contains($0.boundary.areaSquareMetres) })
        let mean = grids.reduce(0) { $0 + $1.boundary.areaSquareMetres } / Double(grids.count)
        #expect((9_500...10_500).contains(mean), "mean \(mean) m²")
        #expect(areas.filter { $0.level == .city }.count == 1)
        #expect(areas.filter { $0.level == .district }.count == 6)
        #expect(areas.filter { $0.level == .street }.count == 24)
        #expect(areas.filter { $0.level == .community }.count == 96)
    }

    @Test("the tiny city has 384 grids")
    func tinyCity() {
        #expect(DemoScale.tiny.gridCount == 384)
        #expect(DemoMaps.tiny.grids.count == 384)
    }

    @Test("a million cases call for about 15,000 grids")
    func millionCases() {
        let scale = DemoScale.forCases(1_000_000)
        #expect((13_500...16_500).contains(scale.gridCount), "\(scale.gridCount) grids")
        #expect(scale.cases == 1_000_000)
        #expect(scale.components == 200_000)
        #expect(scale.historyDays == 365)
    }

    @Test("small case counts keep the standard map")
    func smallScale() {
        let scale = DemoScale.forCases(500)
        #expect(scale.gridCount == 3_456)
        #expect(scale.cases == 500)
        #expect(DemoScale.forCases(100_000).gridCount >= 3_456)
    }

    @Test("the demo random generator is deterministic per seed and stream")
    func random() {
        var a = DemoRandom(seed: 7, stream: 1), b = DemoRandom(seed: 7, stream: 1), c = DemoRandom(seed: 7, stream: 2)
        let xs = (0..<5).map { _ in a.next() }
        #expect(xs == (0..<5).map { _ in b.next() })
        #expect(xs != (0..<5).map { _ in c.next() })
        for _ in 0..<1_000 {
            let u = a.unit()
            #expect(u >= 0 && u < 1)
        }
    }

    @Test("demo accounts: the street inspector covers only their street")
    func demoUsers() {
        let areas = DemoMaps.tiny.areas
        let users = DemoOrganization.users(streets: areas.filter { $0.level == .street }, districts: areas.filter { $0.level == .district })
        #expect(Set(users.map(\.username)).count == users.count)
        let inspector = users.first { $0.username == "inspector-410102001" }
        #expect(inspector?.covers(gridCode: "410102001002003") == true)
        #expect(inspector?.covers(gridCode: "410102002001001") == false)
    }
}
