@testable import CityLoopDomain
import Foundation
import Testing

/// Sweeping coverage (清扫保洁覆盖率) of assigned road segments.
@Suite("Route coverage")
struct RouteCoverageTests {
    typealias F = VehicleFixtures
    static let road = RoadSegment(id: "rd-1", points: [F.at(east: 0, north: 500), F.at(east: 1000, north: 500)])

    /// A sweeper driving from `from` to `to` metres along the road at 10 km/h, a fix every `interval` seconds.
    static func sweep(from: Double, to: Double, interval: TimeInterval = 10) -> [VehiclePosition] {
        var t = TrackBuilder("sweeper-1", start: F.local(5), at: F.at(east: from, north: 500), interval: interval)
        t.report(speedKmh: 10)
        t.drive(to: F.at(east: to, north: 500), speedKmh: 10)
        return t.positions
    }

    @Test("a 1 km straight road driven half way is covered about half")
    func halfWay() throws {
        let c = try RouteCoverage(segments: [Self.road], track: Self.sweep(from: 0, to: 500))
        #expect(abs(c.lengthMetres - 1000) < 1)
        // Half the road, plus the radius beyond the last fix.
        #expect(abs(c.share - 0.5) < 0.03)
        #expect(c.segments.map(\.id) == ["rd-1"])
        #expect(abs(c.segments[0].share - c.share) < 1e-12)
    }

    @Test("fixes every 30 s (83 m apart) cover the road between them; unjoined they cover only their surroundings")
    func sparseFixes() throws {
        let track = Self.sweep(from: 0, to: 1000, interval: 30)
        #expect(try RouteCoverage(segments: [Self.road], track: track).share > 0.99)
        let unjoined = try RouteCoverage(segments: [Self.road], track: track, joinWithinSeconds: nil).share
        #expect(unjoined > 0.25 && unjoined < 0.45)
    }

    @Test("a track along a parallel street 40 m away covers nothing; one 10 m off the centre line covers it all")
    func offset() throws {
        var far = TrackBuilder("sweeper-1", start: F.local(5), at: F.at(east: 0, north: 540))
        far.drive(to: F.at(east: 1000, north: 540), speedKmh: 10)
        #expect(try RouteCoverage(segments: [Self.road], track: far.positions).share == 0)
        var near = TrackBuilder("sweeper-1", start: F.local(5), at: F.at(east: -20, north: 510))
        near.drive(to: F.at(east: 1020, north: 510), speedKmh: 10)
        #expect(try RouteCoverage(segments: [Self.road], track: near.positions).share > 0.99)
    }

    @Test("per-segment shares and the total weighted by length")
    func segments() throws {
        let side = RoadSegment(id: "rd-2", points: [F.at(east: 1000, north: 500), F.at(east: 1000, north: 800), F.at(east: 1300, north: 800)])
        var t = TrackBuilder("sweeper-1", start: F.local(5), at: F.at(east: 1000, north: 500))
        t.report(speedKmh: 10)
        t.drive(to: F.at(east: 1000, north: 800), speedKmh: 10)
        t.drive(to: F.at(east: 1300, north: 800), speedKmh: 10)
        let c = try RouteCoverage(segments: [Self.road, side], track: t.positions)
        #expect(c.segments[0].share < 0.02)
        #expect(c.segments[1].share > 0.99)
        #expect(abs(c.lengthMetres - 1600) < 2)
        #expect(abs(c.share - (c.segments[0].drivenMetres + c.segments[1].drivenMetres) / c.lengthMetres) < 1e-12)
    }

    @Test("reports without a fix and GPS jumps cover nothing; order of the fixes does not matter")
    func noise() throws {
        var t = TrackBuilder("sweeper-1", start: F.local(5), at: F.at(east: 0, north: 500))
        t.report(positioned: false)
        t.report(at: F.at(east: 0, north: 500))
        t.report(at: F.at(east: 1000, north: 500))  // 1 km in 10 s: a jump, not a drive
        let c = try RouteCoverage(segments: [Self.road], track: t.positions.reversed())
        #expect(c.share > 0.02 && c.share < 0.05)
    }

    @Test("no roads cover nothing; bad parameters and one-point roads are refused")
    func refused() throws {
        #expect(try RouteCoverage(segments: [], track: Self.sweep(from: 0, to: 500)).share == 0)
        #expect(throws: DomainError.self) { try RouteCoverage(segments: [Self.road], track: [], radiusMetres: 0) }
        #expect(throws: DomainError.self) { try RouteCoverage(segments: [Self.road], track: [], sampleMetres: .nan) }
        #expect(throws: DomainError.self) { try RouteCoverage(segments: [Self.road], track: [], joinWithinSeconds: -1) }
        #expect(throws: DomainError.self) { try RouteCoverage(segments: [RoadSegment(id: "x", points: [F.origin])], track: []) }
    }

    @Test("a coverage report is stored as JSON and read back")
    func coding() throws {
        let c = try RouteCoverage(segments: [Self.road], track: Self.sweep(from: 0, to: 500))
        #expect(try JSONDecoder().decode(RouteCoverage.self, from: JSONEncoder().encode(c)) == c)
    }
}
