@testable import CityLoopDomain
import Foundation
import Testing

@Suite("Vehicle events")
struct VehicleEventTests {
    @Test("every kind has its own stable code under vehicle.")
    func codes() {
        let codes = VehicleEvent.Kind.allCases.map(\.code)
        #expect(Set(codes).count == codes.count)
        #expect(codes.allSatisfy { $0.hasPrefix("vehicle.") })
        #expect(VehicleEvent.Kind.dumpingSuspected.code == "vehicle.dumping_suspected")
    }

    @Test("an event is stored as JSON without the fields that do not apply, and read back")
    func coding() throws {
        let e = VehicleEvent(
            kind: .dumpingSuspected, vehicleID: "truck-1", time: VehicleFixtures.local(23), point: VehicleFixtures.origin,
            permitID: "P-1", lastLoadedAt: VehicleFixtures.local(22, 59, 50))
        let data = try JSONEncoder().encode(e)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""kind":"dumpingSuspected""#))
        #expect(!text.contains("siteID") && !text.contains("measured"))
        #expect(try JSONDecoder().decode(VehicleEvent.self, from: data) == e)
        #expect(e.code == "vehicle.dumping_suspected")
    }
}
