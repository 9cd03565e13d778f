@testable import CityLoopDomain
import Foundation
import Testing

@Suite("Location")
struct JT808LocationTests {
    // 0x0200, 2013, phone 013912345678, serial 42, body 37 bytes:
    // alarm 00000002 (overspeed) | status 00000303 (ACC, positioned, full) | lat 021230E8 (34746600)
    // | lon 06C5C938 (113625400) | alt 0064 | speed 025D (605) | dir 005A | time 261206083000
    // | item 01 len 4 = 0000007E (12.6 km, escaped) | item 31 len 1 = 0C. Check code 0xE9.
    static let locationFrame: [UInt8] = [
        0x7E, 0x02, 0x00, 0x00, 0x25, 0x01, 0x39, 0x12, 0x34, 0x56, 0x78, 0x00, 0x2A,
        0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x03, 0x03, 0x02, 0x12, 0x30, 0xE8, 0x06, 0xC5, 0xC9, 0x38,
        0x00, 0x64, 0x02, 0x5D, 0x00, 0x5A, 0x26, 0x12, 0x06, 0x08, 0x30, 0x00,
        0x01, 0x04, 0x00, 0x00, 0x00, 0x7D, 0x02, 0x31, 0x01, 0x0C, 0xE9, 0x7E,
    ]

    @Test("the sample location encodes to the hand-computed frame")
    func encodeVector() throws {
        let frame = try JT808Frame(
            message: .locationReport(JT808Samples.sampleLocation()), phoneNumber: "013912345678", serialNumber: 42)
        #expect(frame.encode() == Self.locationFrame)
    }

    @Test("the hand-computed frame decodes with typed accessors")
    func decodeVector() throws {
        let contents = try JT808Samples.split(Self.locationFrame)
        let frame = try JT808Frame.decode(contents[0])
        guard case .locationReport(let location) = try frame.decodeMessage() else {
            Issue.record("not a location report")
            return
        }
        #expect(location.alarm == .overspeed)
        #expect(location.isPositioned)
        #expect(location.accOn)
        #expect(location.loadState == .full)
        #expect(abs(location.latitude - 34.7466) < 1e-9)
        #expect(abs(location.longitude - 113.6254) < 1e-9)
        #expect(location.altitude == 100)
        #expect(location.speedKmh == 60.5)
        #expect(location.direction == 90)
        #expect(location.date == Date(timeIntervalSince1970: 1_796_517_000))
        #expect(location.mileageKm == 12.6)
        #expect(location.satelliteCount == 12)
        #expect(location.signalStrength == nil)
        #expect(location.fuelLitres == nil)
        #expect(location == (try JT808Samples.sampleLocation()))
    }

    @Test("south and west apply negative signs")
    func hemispheres() throws {
        let location = try JT808Samples.richLocation()
        #expect(location.status.contains([.southLatitude, .westLongitude]))
        #expect(location.rawLatitude == 33_868_820)
        #expect(location.rawLongitude == 151_209_290)
        #expect(abs(location.latitude + 33.868_82) < 1e-9)
        #expect(abs(location.longitude + 151.209_29) < 1e-9)
        #expect(!location.accOn)
        #expect(location.loadState == .empty)
        let north = try JT808Location(
            latitude: 1, longitude: 1, time: JT808Samples.sampleTime(), status: [.southLatitude, .westLongitude])
        #expect(north.status.isEmpty)
    }

    @Test("load state uses bits 8 and 9 only", arguments: JT808LoadState.allCases)
    func loadState(state: JT808LoadState) {
        var status = JT808LocationStatus(rawValue: 0xFFFF_FCFF)
        status.loadState = state
        #expect(status.loadState == state)
        #expect(status.rawValue == 0xFFFF_FCFF | UInt32(state.rawValue) << 8)
        #expect(JT808LocationStatus(rawValue: UInt32(state.rawValue) << 8).loadState == state)
    }

    @Test("alarm bits match the standard's positions")
    func alarmBits() {
        let expected: [(JT808AlarmFlags, Int)] = [
            (.emergency, 0), (.overspeed, 1), (.fatigueDriving, 2), (.mainPowerUndervoltage, 7), (.mainPowerCut, 8),
            (.inOutArea, 20), (.inOutRoute, 21), (.routeDeviation, 23), (.illegalIgnition, 27),
            (.illegalDisplacement, 28),
        ]
        for (flag, bit) in expected {
            #expect(flag.rawValue == 1 << UInt32(bit))
        }
    }

    @Test("additional items: known IDs are typed, others and odd lengths stay raw")
    func additionalItems() throws {
        var body = try JT808Message.locationReport(JT808Samples.sampleLocation()).encodeBody(version: .v2013)
        body.removeSubrange(28...)
        body += [0x02, 0x02, 0x01, 0xF9, 0x03, 0x02, 0x02, 0x58, 0x30, 0x01, 0x1F, 0x01, 0x02, 0xAA, 0xBB, 0xEE, 0x00]
        guard case .locationReport(let location) = try JT808Message.decode(messageID: 0x0200, version: .v2013, body: body)
        else {
            Issue.record("not a location report")
            return
        }
        #expect(location.additionalItems == [
            .fuel(505), .recorderSpeed(600), .signalStrength(31), .unknown(id: 0x01, value: [0xAA, 0xBB]),
            .unknown(id: 0xEE, value: []),
        ])
        #expect(location.fuelLitres == 50.5)
        #expect(location.mileageKm == nil)
        #expect(try JT808Message.locationReport(location).encodeBody(version: .v2013) == body)
    }

    @Test("a cut-off additional item is truncated")
    func truncatedItem() throws {
        let fixed = try JT808Message.locationReport(JT808Samples.sampleLocation()).encodeBody(version: .v2013)[..<28]
        #expect(throws: JT808Error.truncated(field: "additionalItemLength")) {
            try JT808Message.decode(messageID: 0x0200, version: .v2013, body: fixed + [0x01])
        }
        #expect(throws: JT808Error.truncated(field: "additionalItem")) {
            try JT808Message.decode(messageID: 0x0200, version: .v2013, body: fixed + [0x01, 0x04, 0x00])
        }
    }

    @Test("invalid BCD digits and impossible dates in the time are rejected")
    func invalidTime() throws {
        let body = try JT808Message.locationReport(JT808Samples.sampleLocation()).encodeBody(version: .v2013)
        func withTime(_ time: [UInt8]) -> [UInt8] {
            var copy = body
            copy.replaceSubrange(22..<28, with: time)
            return copy
        }
        #expect(throws: JT808Error.invalidBCD(field: "time")) {
            try JT808Message.decode(messageID: 0x0200, version: .v2013, body: withTime([0x26, 0x1A, 0x06, 0x08, 0x30, 0x00]))
        }
        let impossible: [[UInt8]] = [
            [0x26, 0x02, 0x30, 0x08, 0x30, 0x00], [0x26, 0x13, 0x06, 0x08, 0x30, 0x00],
            [0x26, 0x12, 0x06, 0x24, 0x30, 0x00], [0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
            [0x26, 0x12, 0x06, 0x08, 0x60, 0x00], [0x26, 0x12, 0x06, 0x08, 0x30, 0x60],
        ]
        for time in impossible {
            #expect(throws: JT808Error.invalidTime) {
                try JT808Message.decode(messageID: 0x0200, version: .v2013, body: withTime(time))
            }
        }
        let leapDay = withTime([0x24, 0x02, 0x29, 0x23, 0x59, 0x59])
        #expect(throws: Never.self) { try JT808Message.decode(messageID: 0x0200, version: .v2013, body: leapDay) }
    }

    @Test("out-of-range degrees, speeds and item values cannot be encoded")
    func invalidValues() throws {
        let time = try JT808Samples.sampleTime()
        #expect(throws: JT808Error.invalidValue(field: "latitude")) {
            try JT808Location(latitude: 90.5, longitude: 0, time: time)
        }
        #expect(throws: JT808Error.invalidValue(field: "longitude")) {
            try JT808Location(latitude: 0, longitude: .nan, time: time)
        }
        #expect(throws: JT808Error.invalidValue(field: "speed")) {
            try JT808Location(latitude: 0, longitude: 0, speedKmh: 6553.55, time: time)
        }
        let big = JT808Location(
            rawLatitude: 0, rawLongitude: 0, time: time, additionalItems: [.unknown(id: 0xE0, value: [UInt8](repeating: 0, count: 256))])
        #expect(throws: JT808Error.fieldTooLong(field: "additionalItem", maximum: 255)) {
            try JT808Message.locationReport(big).encodeBody(version: .v2013)
        }
    }

    @Test("batch upload: count, type, then length-prefixed location bodies")
    func batchLayout() throws {
        let location = try JT808Samples.sampleLocation()
        let single = try JT808Message.locationReport(location).encodeBody(version: .v2013)
        let batch = JT808Message.batchLocationUpload(JT808BatchLocation(type: .blindAreaResend, locations: [location, location]))
        let body = try batch.encodeBody(version: .v2013)
        #expect(body == [0x00, 0x02, 0x01, 0x00, UInt8(single.count)] + single + [0x00, UInt8(single.count)] + single)
        #expect(try JT808Message.decode(messageID: 0x0704, version: .v2019, body: body) == batch)
        // An entry whose declared length cuts into the fixed part fails inside that entry.
        #expect(throws: JT808Error.truncated(field: "time")) {
            try JT808Message.decode(messageID: 0x0704, version: .v2013, body: [0, 1, 0, 0, 25] + single[..<25])
        }
    }
}
