import CityLoopDomain
import Foundation
import Testing

@Suite("Camera zones")
struct CameraZoneTests {
    typealias F = CameraFixtures

    /// A concave "U": the notch between x 0.4 and 0.6 runs down from the top to y 0.6.
    static let u = CameraZone(
        id: "u", name: "U",
        points: [
            .init(x: 0.2, y: 0.2), .init(x: 0.4, y: 0.2), .init(x: 0.4, y: 0.6), .init(x: 0.6, y: 0.6),
            .init(x: 0.6, y: 0.2), .init(x: 0.8, y: 0.2), .init(x: 0.8, y: 0.9), .init(x: 0.2, y: 0.9),
        ])

    @Test("inside and outside a square")
    func square() {
        #expect(F.pavement.contains(.init(x: 0.5, y: 0.75)))
        #expect(!F.pavement.contains(.init(x: 0.5, y: 0.25)))
        #expect(!F.roadway.contains(.init(x: 0.25, y: 0.25)))
        #expect(F.roadway.contains(.init(x: 0.75, y: 0.25)))
    }

    @Test("the boundary counts as inside: edges and corners")
    func boundary() {
        #expect(F.pavement.contains(.init(x: 0.5, y: 0.5)))
        #expect(F.pavement.contains(.init(x: 0.5, y: 1)))
        #expect(F.pavement.contains(.init(x: 0, y: 0.7)))
        #expect(F.pavement.contains(.init(x: 1, y: 1)))
        #expect(F.pavement.contains(.init(x: 0, y: 0.5)))
        #expect(Self.u.contains(.init(x: 0.5, y: 0.6)))
        #expect(Self.u.contains(.init(x: 0.4, y: 0.4)))
        #expect(!F.pavement.contains(.init(x: 0.5, y: 0.4999)))
    }

    @Test("a concave polygon: the notch is outside, the arms and base inside")
    func concave() {
        #expect(!Self.u.contains(.init(x: 0.5, y: 0.4)))
        #expect(!Self.u.contains(.init(x: 0.5, y: 0.3)))
        #expect(Self.u.contains(.init(x: 0.3, y: 0.4)))
        #expect(Self.u.contains(.init(x: 0.7, y: 0.4)))
        #expect(Self.u.contains(.init(x: 0.5, y: 0.8)))
        #expect(!Self.u.contains(.init(x: 0.9, y: 0.5)))
        // A ray through two vertices at y = 0.2 must not toggle twice wrongly.
        #expect(!Self.u.contains(.init(x: 0.1, y: 0.2)))
        #expect(abs(Self.u.area - (0.6 * 0.7 - 0.2 * 0.4)) < 1e-12)
    }

    @Test("a zone's types restrict what counts in it; none means all")
    func types() {
        #expect(F.pavement.allows(.exposedGarbage))
        #expect(F.roadway.allows(.illegalParking))
        #expect(!F.roadway.allows(.streetVending))
        var z = F.roadway
        z.types = []
        #expect(z.allows(.streetVending))
    }
}
