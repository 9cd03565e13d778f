@testable import CityLoopDomain
import Foundation
import Testing

@Suite("Vehicle positions")
struct VehiclePositionTests {
    @Test("half and full are loaded; empty and unknown are not")
    func loads() {
        #expect(VehicleLoad.allCases.filter(\.isLoaded) == [.half, .full])
    }

    @Test("a fix is usable only when positioned with valid coordinates")
    func usableFix() {
        var p = VehiclePosition(vehicleID: "truck-1", time: VehicleFixtures.local(10), point: VehicleFixtures.origin)
        #expect(p.hasUsableFix)
        p.positioned = false
        #expect(!p.hasUsableFix)
        p.positioned = true
        p.point = GeoPoint(lat: .infinity, lon: 113.65)
        #expect(!p.hasUsableFix)
    }

    @Test("a report is stored as JSON and read back")
    func coding() throws {
        let p = VehiclePosition(
            vehicleID: "truck-1", time: VehicleFixtures.local(10), point: VehicleFixtures.origin, speedKmh: 42.5, directionDegrees: 90,
            load: .half, accOn: false, alarmBits: 1 << 28, positioned: true)
        #expect(try JSONDecoder().decode(VehiclePosition.self, from: JSONEncoder().encode(p)) == p)
    }
}
