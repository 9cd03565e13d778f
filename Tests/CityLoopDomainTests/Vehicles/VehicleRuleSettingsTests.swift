@testable import CityLoopDomain
import Foundation
import Testing

@Suite("Vehicle rule settings")
struct VehicleRuleSettingsTests {
    @Test("defaults: 30 s dwell, 200 m for 60 s off route, 60 km/h for 10 s, UTC+8, offline after 300 s")
    func defaults() {
        let s = VehicleRuleSettings()
        #expect(s.dwellSeconds == 30)
        #expect(s.deviationMetres == 200 && s.deviationSeconds == 60)
        #expect(s.speedLimitKmh(for: .muckTruck) == 60 && s.speedLimitKmh(for: .sweeper) == nil)
        #expect(s.speedingSeconds == 10)
        #expect(s.utcOffsetSeconds == 8 * 3600)
        #expect(s.offlineAfterSeconds == 300)
        #expect(s.tamperAlarmBits == (1 << 8 | 1 << 27 | 1 << 28))
    }

    @Test("stored JSON missing fields takes the defaults for them")
    func partialJSON() throws {
        let s = try JSONDecoder().decode(VehicleRuleSettings.self, from: Data(#"{"dwellSeconds":20,"speedLimitsKmh":{"muckTruck":50,"sweeper":30}}"#.utf8))
        #expect(s.dwellSeconds == 20)
        #expect(s.speedLimitKmh(for: .muckTruck) == 50 && s.speedLimitKmh(for: .sweeper) == 30)
        #expect(s.deviationMetres == 200 && s.offlineAfterSeconds == 300)
        #expect(try JSONDecoder().decode(VehicleRuleSettings.self, from: Data("{}".utf8)) == VehicleRuleSettings())
    }

    @Test("settings are stored as JSON, speed limits as an object by kind, and read back")
    func roundTrip() throws {
        var s = VehicleRuleSettings()
        s.speedLimitsKmh[.garbageTruck] = 40
        s.tamperAlarmBits |= 1 << 5
        let data = try JSONEncoder().encode(s)
        #expect(String(decoding: data, as: UTF8.self).contains(#""muckTruck":60"#))
        #expect(try JSONDecoder().decode(VehicleRuleSettings.self, from: data) == s)
    }

    @Test("negative or non-finite values and impossible offsets are refused")
    func validation() throws {
        try VehicleRuleSettings().validate()
        var s = VehicleRuleSettings()
        s.dwellSeconds = -1
        #expect(throws: DomainError.self) { try s.validate() }
        s = VehicleRuleSettings()
        s.speedLimitsKmh[.sweeper] = .nan
        #expect(throws: DomainError.self) { try s.validate() }
        s = VehicleRuleSettings()
        s.utcOffsetSeconds = 15 * 3600
        #expect(throws: DomainError.self) { try s.validate() }
    }
}
