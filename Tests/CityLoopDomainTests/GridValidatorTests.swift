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
        #expect(grids[0].boundary.intersectionArea(grids[1].boundary) < 1e-6)
        #expect(grids[0].boundary.intersectionArea(shifted(grids[1], eastMetres: -40).boundary) > 1_000)
    }

    @Test("a removed grid leaves a district.gap in its district")
    func gap() throws {
        var fewer = grids
        let removed = fewer.remove(at: 10)
        let problems = GridValidator.validate(areas: areas, grids: fewer)
        #expect(codes(problems) == ["district.gap", "district.uncovered"])
        let gap = try #require(problems.first { $0.code == "district.gap" })
        #expect(gap.subject == removed.districtCode)
        #expect(gap.message.contains("uncovered"))
        // The uncovered region itself: where the grid was, about its size.
        let hole = try #require(problems.first { $0.code == "district.uncovered" })
        let at = try #require(hole.location)
        #expect(hole.isError && removed.boundary.contains(at))
        let size = try #require(hole.areaSquareMetres)
        #expect(abs(size - removed.boundary.areaSquareMetres) < removed.boundary.areaSquareMetres * 0.1, "\(size)")
    }

    @Test("a grid shifted 30 m overlaps its neighbour by about 3,000 m² and leaves a hole beside it")
    func shiftedGrid() throws {
        var moved = grids
        moved[1] = shifted(moved[1], eastMetres: -30)
        let problems = GridValidator.validate(areas: areas, grids: moved)
        let overlap = try #require(problems.first { $0.code == "grid.overlap" })
        #expect(Set([overlap.subject, overlap.other]) == Set([grids[0].code, grids[1].code]))
        let area = try #require(overlap.areaSquareMetres)
        // The demo's grids are irregular quadrilaterals about 100 m a side: 30 m of one is about 3,000 m².
        #expect(area > 2_500 && area < 3_600, "\(area)")
        #expect(overlap.message.contains("m²") && overlap.location != nil)
        let hole = try #require(problems.first { $0.code == "district.uncovered" })
        #expect(abs((hole.areaSquareMetres ?? 0) - area) < area * 0.25, "\(hole)")
    }

    @Test("30 grids removed leave about 0.3 km² of gap, listed where it is")
    func thirtyGridsRemoved() {
        let district = grids[0].districtCode
        let removed = Set(grids.filter { $0.districtCode == district }.prefix(30).map(\.code))
        let fewer = grids.filter { !removed.contains($0.code) }
        let problems = GridValidator.validate(areas: areas, grids: fewer)
        let total = problems.filter { $0.code == "district.uncovered" }.compactMap(\.areaSquareMetres).reduce(0, +)
        #expect(abs(total - 300_000) < 20_000, "\(total)")
        #expect(problems.contains { $0.code == "district.gap" && abs(($0.areaSquareMetres ?? 0) - 300_000) < 5_000 })
    }

    @Test("touching within the tolerance is not an overlap; a sliver under 1 m² is a warning")
    func overlapTolerance() throws {
        var touching = grids
        // 4 cm into the neighbour: 100 m × 0.04 m = 4 m² would be an overlap; 0.004 m is 0.4 m², under the tolerance.
        touching[1] = shifted(touching[1], eastMetres: -0.004)
        #expect(!GridValidator.validate(areas: areas, grids: touching).contains { $0.code == "grid.overlap" || $0.code == "grid.sliver" })
        var sliver = grids
        sliver[1] = shifted(sliver[1], eastMetres: -0.008)
        let problems = GridValidator.validate(areas: areas, grids: sliver)
        let warning = try #require(problems.first { $0.code == "grid.sliver" })
        #expect(warning.severity == .warning && (warning.areaSquareMetres ?? 0) > 0.5 && (warning.areaSquareMetres ?? 9) < 1)
        #expect(!problems.contains { $0.code == "grid.overlap" })
        // A stricter tolerance makes the touching pair a problem.
        let strict = GridValidator.validate(areas: areas, grids: touching, options: .init(overlapToleranceSquareMetres: 0.01))
        #expect(strict.contains { $0.code == "grid.sliver" })
    }

    @Test("a street moved 5 km into its neighbour and a district moved 3 km are found")
    func movedAreas() throws {
        func moved(_ a: Area, eastMetres: Double) -> Area {
            var m = a
            m.boundary = Polygon(outer: a.boundary.outer.map { $0.offset(eastMetres: eastMetres, northMetres: 0) })
            return m
        }
        let street = try #require(areas.first { $0.level == .street })
        let streetMoved = areas.map { $0.code == street.code ? moved($0, eastMetres: 5_000) : $0 }
        let streetProblems = GridValidator.validate(areas: streetMoved, grids: grids)
        #expect(streetProblems.contains { $0.code == "area.outside_parent" && $0.subject == street.code && $0.isError }, "\(streetProblems.prefix(5))")
        #expect(streetProblems.contains { $0.code == "grid.outside_community" } || streetProblems.contains { $0.subject.hasPrefix(street.code) })

        let district = try #require(areas.first { $0.level == .district })
        let districtMoved = areas.map { $0.code == district.code ? moved($0, eastMetres: 3_000) : $0 }
        let districtProblems = GridValidator.validate(areas: districtMoved, grids: grids)
        #expect(districtProblems.contains { $0.code == "area.outside_parent" && $0.other == district.code })
        #expect(districtProblems.contains { $0.code == "district.uncovered" && $0.subject == district.code } ||
                districtProblems.contains { $0.code == "district.foreign_grids" && $0.subject == district.code })
    }

    @Test("areas can come before their grids: districts without grids are a warning only")
    func areasBeforeGrids() {
        #expect(GridValidator.validate(areas: areas, grids: []).filter(\.isError).isEmpty)
        let district = grids[0].districtCode
        let problems = GridValidator.validate(areas: areas, grids: grids.filter { $0.districtCode != district })
        #expect(problems.filter(\.isError).isEmpty, "\(problems.filter(\.isError).prefix(3))")
        #expect(problems.contains { $0.code == "district.no_grids" && $0.subject == district && $0.severity == .warning })
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
