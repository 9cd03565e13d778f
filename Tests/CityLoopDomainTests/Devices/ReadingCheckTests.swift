import CityLoopDomain
import Foundation
import Testing

/// Readings are checked against their device's profile: each fault refused with its reason, a water gauge's level
/// derived from its distance; devices and rules given by an administrator are checked field by field.
@Suite("Reading check and device profiles")
struct ReadingCheckTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let gauge = Device(
        id: "wl-1", profileID: "waterLevel", point: GeoPoint(lat: 34.75, lon: 113.65), reportingIntervalSeconds: 60,
        attributes: ["referenceLevel": 5, "alertLevel": 1], registeredAt: now)

    static func check(_ raw: RawReading, device: Device? = gauge, profile: DeviceProfile? = .waterLevel) -> Result<[Reading], ReadingRejection> {
        ReadingCheck.check(raw, device: device, profile: profile, now: now)
    }

    @Test("a water gauge's distance is kept and its level derived from the reference level")
    func derived() throws {
        let got = try Self.check(RawReading(deviceID: "wl-1", measurement: "measuredDistance", at: Self.now, number: 3.8, unit: "m")).get()
        #expect(got.map(\.measurement) == ["measuredDistance", "currentLevel"])
        #expect(abs((got[1].value.number ?? 0) - 1.2) < 1e-9)
    }

    @Test("each fault is refused with its reason", arguments: [
        (RawReading(deviceID: "nope", measurement: "measuredDistance", at: now, number: 1), ReadingRejection.Reason.unknownDevice),
        (RawReading(deviceID: "wl-1", measurement: "rain", at: now, number: 1), .unknownMeasurement),
        (RawReading(deviceID: "wl-1", measurement: "measuredDistance", at: now, number: 100, unit: "cm"), .wrongUnit),
        (RawReading(deviceID: "wl-1", measurement: "measuredDistance", at: now, number: 31), .outOfRange),
        (RawReading(deviceID: "wl-1", measurement: "measuredDistance", at: now, number: -0.1), .outOfRange),
        (RawReading(deviceID: "wl-1", measurement: "measuredDistance", at: now, number: .nan), .outOfRange),
        (RawReading(deviceID: "wl-1", measurement: "measuredDistance", at: now, number: .infinity), .outOfRange),
        (RawReading(deviceID: "wl-1", measurement: "measuredDistance", at: now.addingTimeInterval(301), number: 1), .inFuture),
        (RawReading(deviceID: "wl-1", measurement: "measuredDistance", at: now, state: "high"), .missingValue),
    ])
    func refused(raw: RawReading, reason: ReadingRejection.Reason) {
        let device = raw.deviceID == "wl-1" ? Self.gauge : nil
        guard case .failure(let r) = Self.check(raw, device: device) else {
            Issue.record("accepted \(raw)")
            return
        }
        #expect(r.reason == reason && r.deviceID == raw.deviceID && !r.message.isEmpty)
    }

    @Test("states are checked against the profile's list")
    func states() {
        let cover = Device(id: "mc-1", profileID: "manholeCover", point: GeoPoint(lat: 34.75, lon: 113.65), reportingIntervalSeconds: 300, registeredAt: Self.now)
        let ok = ReadingCheck.check(RawReading(deviceID: "mc-1", measurement: "coverState", at: Self.now, state: "open"), device: cover, profile: .manholeCover, now: Self.now)
        #expect((try? ok.get())?.first?.value == .state("open"))
        let bad = ReadingCheck.check(RawReading(deviceID: "mc-1", measurement: "coverState", at: Self.now, state: "ajar"), device: cover, profile: .manholeCover, now: Self.now)
        guard case .failure(let r) = bad else {
            Issue.record("accepted ajar")
            return
        }
        #expect(r.reason == .unknownState)
    }

    @Test("the built-in profiles use FIWARE's names, and their rules fit their measurements")
    func builtIn() {
        let names = Set(DeviceProfile.builtIn.flatMap { $0.measurements.map(\.name) })
        #expect(names.isSuperset(of: ["fillingLevel", "LAeq", "LAmax", "pm25", "pm10", "currentLevel", "powerState", "status"]))
        #expect(Set(DeviceProfile.builtIn.map(\.id)).count == DeviceProfile.builtIn.count)
        for p in DeviceProfile.builtIn {
            for r in p.rules { #expect(r.problems(in: p).isEmpty, "\(p.id) \(r.type)") }
            #expect(Set(p.rules.map(\.type)).count == p.rules.count)
        }
    }

    @Test("a device or rule with bad fields is refused naming each field")
    func problems() {
        var d = Self.gauge
        d.id = "bad id/1"
        d.reportingIntervalSeconds = 1
        d.componentID = "123"
        d.attributes["x"] = .infinity
        d.rules = [
            AlarmRule(type: "9x", labelZh: "", labelEn: "", measurement: "rain", severity: .minor, condition: .state(["on"])),
            AlarmRule(type: "up", labelZh: "上涨", labelEn: "Up\u{7}", measurement: "currentLevel", severity: .minor, condition: .above(raise: .value(1), clear: .value(2))),
        ]
        let fields = d.problems(profile: .waterLevel).map(\.field)
        #expect(fields == [
            "id", "reportingIntervalSeconds", "componentID", "attributes", "rules[0].type", "rules[0].labelZh", "rules[0].labelEn", "rules[0].measurement",
            "rules[1].labelEn", "rules[1].condition",
        ])
        #expect(Self.gauge.problems(profile: .waterLevel).isEmpty)
        #expect(Self.gauge.problems(profile: nil).map(\.field) == ["profileID"])
    }
}
