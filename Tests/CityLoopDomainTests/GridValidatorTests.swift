import CityLoopDemo
import CityLoopDomain
import Testing

@Suite("GridValidator")
struct GridValidatorTests {
    let areas = DemoMaps.tiny.areas
    let grids = DemoMaps.tiny.grids

    func codes(_ problems: [ValidationProblem]) -> Set<String> { Set(problems.map(\.code)) }

    /// The grid's boundary moved east by `metres`.
    func shifted(_ g: UnitGrid, eastMetres metres: Double) -> UnitGrid {
        UnitGrid(code: g.code, boundary: Polygon(outer: g.boundary.outer.map { $0.offset(eastMetres: metres, northMetres: 0) }))
    }

    @Test("the standard demo city validates with zero problems")
    func standardDemoIsValid() {
        let problems = GridValidator.validate(areas: DemoMaps.standard.areas, grids: DemoMaps.standard.grids)
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }

    @Test("the tiny demo city validates with zero problems")
    func tinyDemoIsValid() {
        #expect(GridValidator.validate(areas: areas, grids: grids).isEmpty)
    }

    @Test("a grid moved onto its neighbour is reported as grid.overlap")
    func overlap() throws {
        var moved = grids
        // Grid 001 of the first community; 002 lies east of it in the same community.
        #expect(moved[0].code.hasSuffix("001") && moved[1].code.hasSuffix("002"))
        moved[0] = shifted(moved[0], eastMetres: 40)
        let problems = GridValidator.validate(areas: areas, grids: moved)
        let overlaps = problems.filter { $0.code == "grid.overlap" }
        let first = try #require(overlaps.first)
        #expect(first.subject == grids[0].code)
        #expect(first.message.contains(grids[1].code))
    }

    @Test("an exact duplicate of a grid's boundary overlaps it")
    func identicalBoundaries() {
        var copy = grids
        copy.append(UnitGrid(code: String(grids[0].code.prefix(12)) + "099", boundary: grids[0].boundary))
        let problems = GridValidator.validate(areas: areas, grids: copy)
        #expect(problems.contains { $0.code == "grid.overlap" && $0.subject == grids[0].code })
    }

    @Test("neighbouring grids sharing an edge do not overlap")
    func sharedEdgesAreNotOverlaps() {
        #expect(!grids[0].boundary.overlaps(grids[1].boundary))
        #expect(grids[0].boundary.overlaps(shifted(grids[1], eastMetres: -40).boundary))
    }

    @Test("a removed grid leaves a district.gap in its district")
    func gap() throws {
        var fewer = grids
        let removed = fewer.remove(at: 10)
        let problems = GridValidator.validate(areas: areas, grids: fewer)
        #expect(codes(problems) == ["district.gap"])
        let gap = try #require(problems.first)
        #expect(gap.subject == removed.districtCode)
        #expect(gap.message.contains("uncovered"))
    }

    @Test("malformed grid codes are reported as grid.code", arguments: ["41010200100100A", "410102001001000", "4101020010010011", "41010200100101"])
    func malformedGridCode(code: String) {
        var bad = grids
        bad[0].code = code
        let problems = GridValidator.validate(areas: areas, grids: bad)
        #expect(problems.contains { $0.code == "grid.code" && $0.subject == code })
    }

    @Test("malformed area codes are reported as area.code")
    func malformedAreaCode() throws {
        var bad = areas
        let i = try #require(bad.firstIndex { $0.level == .community })
        bad[i].code = "41010200100"  // 11 digits
        var problems = GridValidator.validate(areas: bad, grids: grids)
        #expect(problems.contains { $0.code == "area.code" && $0.subject == "41010200100" })

        bad = areas
        let s = try #require(bad.firstIndex { $0.level == .street && $0.parentCode == "410102" })
        bad[s].code = "410103009"  // does not start with its parent's code
        problems = GridValidator.validate(areas: bad, grids: grids)
        #expect(problems.contains { $0.code == "area.code" && $0.subject == "410103009" && $0.message.contains("parent") })

        bad = areas
        let d = try #require(bad.firstIndex { $0.level == .district })
        bad[d].code = "410200"  // a district code ending in 00
        problems = GridValidator.validate(areas: bad, grids: grids)
        #expect(problems.contains { $0.code == "area.code" && $0.subject == "410200" })
    }

    @Test("a grid coded into a community it does not lie in is grid.outside_community")
    func outsideCommunity() throws {
        var bad = grids
        // Same street, another community: only the community rule is broken.
        let other = try #require(areas.first { $0.level == .community && $0.parentCode == grids[0].streetCode && $0.code != grids[0].communityCode })
        bad[0].code = other.code + "099"
        let problems = GridValidator.validate(areas: areas, grids: bad)
        #expect(problems.map(\.code) == ["grid.outside_community"])
        #expect(problems.first?.subject == other.code + "099")
        #expect(problems.first?.message.contains(other.code) == true)
    }

    @Test("a small boundary tolerance: a grid nudged 0.2 m outside its community is still accepted")
    func toleranceAtCommunityBorder() {
        var nudged = grids
        nudged[0] = shifted(nudged[0], eastMetres: -0.2)
        let problems = GridValidator.validate(areas: areas, grids: nudged)
        #expect(!problems.contains { $0.code == "grid.outside_community" })
    }

    @Test("a missing parent area is reported for each of its children")
    func missingParent() throws {
        let street = try #require(areas.first { $0.level == .street })
        let without = areas.filter { $0.code != street.code }
        let problems = GridValidator.validate(areas: without, grids: grids)
        #expect(codes(problems) == ["area.parent_missing"])
        let children = Set(areas.filter { $0.parentCode == street.code }.map(\.code))
        #expect(children.count == 4)
        #expect(Set(problems.map(\.subject)) == children)
    }

    @Test("a grid whose community is missing is reported")
    func missingCommunity() {
        let community = grids[0].communityCode
        let without = areas.filter { $0.code != community }
        let problems = GridValidator.validate(areas: without, grids: grids)
        #expect(codes(problems) == ["grid.community_missing"])
        #expect(Set(problems.map(\.subject)) == Set(grids.filter { $0.communityCode == community }.map(\.code)))
    }

    @Test("duplicate area and grid codes are reported")
    func duplicates() {
        let problems = GridValidator.validate(areas: areas + [areas[3]], grids: grids + [grids[5]])
        #expect(problems.contains { $0.code == "area.duplicate" && $0.subject == areas[3].code })
        #expect(problems.contains { $0.code == "grid.duplicate" && $0.subject == grids[5].code })
    }

    @Test("a degenerate grid boundary is reported as grid.boundary")
    func degenerateBoundary() {
        var bad = grids
        bad[0].boundary = Polygon(outer: Array(bad[0].boundary.outer.prefix(2)))
        let problems = GridValidator.validate(areas: areas, grids: bad)
        #expect(problems.contains { $0.code == "grid.boundary" && $0.subject == grids[0].code })
    }
}
