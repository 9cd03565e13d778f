@testable import CityLoopDomain
import Foundation
import Testing

@Suite("Polyline geometry")
struct PolylineGeometryTests {
    typealias F = VehicleFixtures

    @Test("distance to a polyline: perpendicular to an edge, or to the nearest end")
    func distance() {
        let line = [F.at(east: 0), F.at(east: 1000), F.at(east: 1000, north: 1000)]
        #expect(abs(PolylineGeometry.distanceMetres(from: F.at(east: 500, north: 200), to: line) - 200) < 0.2)
        #expect(abs(PolylineGeometry.distanceMetres(from: F.at(east: 1300, north: 500), to: line) - 300) < 0.2)
        #expect(abs(PolylineGeometry.distanceMetres(from: F.at(east: -300, north: -400), to: line) - 500) < 0.2)
        #expect(PolylineGeometry.distanceMetres(from: F.at(east: 1000, north: 700), to: line) < 0.01)
    }

    @Test("a one-point line is its point; an empty line is infinitely far")
    func degenerate() {
        #expect(abs(PolylineGeometry.distanceMetres(from: F.at(east: 30, north: 40), to: [F.origin]) - 50) < 0.05)
        #expect(PolylineGeometry.distanceMetres(from: F.origin, to: []) == .infinity)
    }

    @Test("length is the sum of the edges")
    func length() {
        let line = [F.at(east: 0), F.at(east: 1000), F.at(east: 1000, north: 1000)]
        #expect(abs(PolylineGeometry.lengthMetres(line) - 2000) < 1)
        #expect(PolylineGeometry.lengthMetres([F.origin]) == 0)
    }
}
