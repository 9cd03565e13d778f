import CityLoopDemo
import CityLoopDomain
import CityLoopMQTT
import CityLoopServices
import Foundation
import Testing

/// The decoders of devices' bytes (the readings payload, MQTT topics) under random and mutated input: they never
/// crash, refuse the payload as a whole naming `body` or hand over only readings whose names, numbers and states
/// are clean; a well-formed payload comes back exactly.
@Suite struct ReadingPayloadFuzzTests {
    static let valid = Data(
        #"{"readings": [{"device": "MC-0001", "at": 1796529600000, "measurements": {"coverState": "open", "tiltAngle": 40.5}, "units": {"tiltAngle": "deg"}}, {"device": "WL-0001", "at": "2026-12-06T12:00:00+08:00", "measurements": {"measuredDistance": 4.5}}]}"#
            .utf8)

    /// Checks one decode: no crash, a refusal of the whole names `body`, and what comes out is clean.
    static func check(_ data: Data, device: String? = nil) {
        do {
            let (readings, problems) = try ReadingPayload.decode(data, device: device)
            #expect(readings.count <= ReadingPayload.maxEntries * ReadingPayload.maxMeasurements)
            for r in readings {
                #expect(ReadingPayload.isName(r.deviceID, max: 64) && ReadingPayload.isName(r.measurement, max: 48))
                if let n = r.number { #expect(n.isFinite) }
                if let s = r.state { #expect(ReadingPayload.isName(s, max: 48)) }
                #expect((r.number == nil) != (r.state == nil))
                if let device { #expect(r.deviceID == device) }
                if let u = r.unit { #expect(u.utf8.count <= 16 && TextRules.firstRefused(in: u) == nil) }
            }
            for p in problems { #expect(!p.field.isEmpty && !p.message.isEmpty) }
        } catch let e as DomainError {
            #expect(e.field == "body", "\(e)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func aWellFormedPayloadComesBackExactly() throws {
        let (readings, problems) = try ReadingPayload.decode(Self.valid)
        #expect(problems.isEmpty)
        let at = Date(timeIntervalSince1970: 1_796_529_600)
        #expect(readings == [
            RawReading(deviceID: "MC-0001", measurement: "coverState", at: at, state: "open"),
            RawReading(deviceID: "MC-0001", measurement: "tiltAngle", at: at, number: 40.5, unit: "deg"),
            RawReading(deviceID: "WL-0001", measurement: "measuredDistance", at: at, number: 4.5),
        ])
    }

    @Test func randomBytesNeverCrashAndNeverYieldDirtyReadings() {
        var rng = DemoRandom(seed: 15, stream: 1)
        let alphabet = Array(#"{}[]":,.-0123456789eE truefalsnul\u0000\#u{7}abcMC"#.utf8)
        for i in 0..<4000 {
            let n = Int(rng.next() % 300)
            let bytes: [UInt8] = (0..<n).map { _ in i % 2 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            Self.check(Data(bytes))
            Self.check(Data([UInt8(ascii: "{")] + bytes), device: "MC-0001")
        }
    }

    @Test func mutatedPayloadsNeverCrashAndNeverYieldDirtyReadings() {
        var rng = DemoRandom(seed: 15, stream: 2)
        let base = Array(Self.valid)
        let odd: [UInt8] = [0, 7, 0x7F, 0xC3, 0xFF, UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "}"), UInt8(ascii: "-"), UInt8(ascii: "9")]
        for _ in 0..<4000 {
            let bytes = Self.mutate(base, with: odd, &rng)
            Self.check(Data(bytes))
        }
        // Values a device could send that must not pass as readings.
        for value in ["1e999", "-1e999", "true", "null", "\"\"", "\"a b\"", "\"\\u0007\"", "[1]", "{}", String(repeating: "9", count: 400)] {
            let text = #"{"device": "MC-0001", "at": 1796529600000, "measurements": {"tiltAngle": \#(value)}}"#
            Self.check(Data(text.utf8))
            #expect((try? ReadingPayload.decode(Data(text.utf8)).readings.isEmpty) ?? true, "\(value)")
        }
    }

    @Test func topicsNameASenderOnlyInTheirExactForm() {
        let topics = DeviceTopics(city: "zz")
        #expect(topics.sender(in: "cityloop/zz/devices/MC-0001/readings") == .device("MC-0001"))
        #expect(topics.sender(in: "cityloop/zz/gateways/gw-1/readings") == .gateway("gw-1"))
        #expect(topics.sender(in: "cityloop/zz/cameras/cam-1/detections") == .camera("cam-1"))
        for bad in [
            "cityloop/other/devices/MC-0001/readings", "cityloop/zz/devices//readings", "cityloop/zz/devices/a/b/readings",
            "cityloop/zz/cameras/a/readings", "cityloop/zz/devices/a/detections", "cityloop/zz/cameras//detections", "cityloop/zz/devices/a/state", "", "/", "cityloop/zz/devices/a/readings/",
        ] {
            #expect(topics.sender(in: bad) == nil, "\(bad)")
        }
        var rng = DemoRandom(seed: 15, stream: 3)
        let parts = ["cityloop", "zz", "devices", "gateways", "cameras", "readings", "detections", "", "+", "#", "MC-0001", "\u{0}", "a/b"]
        for _ in 0..<2000 {
            let topic = (0..<Int(rng.next() % 7)).map { _ in parts[Int(rng.next() % UInt64(parts.count))] }.joined(separator: "/")
            if let sender = topics.sender(in: topic) {
                switch sender {
                case .device(let id), .gateway(let id): #expect(topic == "cityloop/zz/\(topic.split(separator: "/")[2])/\(id)/readings")
                case .camera(let id): #expect(topic == "cityloop/zz/cameras/\(id)/detections")
                }
            }
        }
    }

    /// `bytes` with one to four of its bytes replaced by, or preceded by, one of `odd`, or removed.
    static func mutate(_ bytes: [UInt8], with odd: [UInt8], _ rng: inout DemoRandom) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<(1 + Int(rng.next() % 4)) {
            let at = Int(rng.next() % UInt64(bytes.count))
            switch rng.next() % 3 {
            case 0: bytes[at] = odd[Int(rng.next() % UInt64(odd.count))]
            case 1: bytes.insert(odd[Int(rng.next() % UInt64(odd.count))], at: at)
            default: bytes.remove(at: at)
            }
        }
        return bytes
    }
}
