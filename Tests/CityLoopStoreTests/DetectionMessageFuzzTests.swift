import CityLoopDemo
import CityLoopDomain
import CityLoopServices
import Foundation
import Testing

/// The decoder of cameras' detections (an MQTT payload, the metadata part of a post) under random and mutated input:
/// it never crashes, and either refuses the message as invalid input naming a field or hands over a detection that
/// then validates or is refused naming a field; a well-formed message comes back exactly.
@Suite struct DetectionMessageFuzzTests {
    static let now = Date(timeIntervalSince1970: 1_796_529_600)
    static let valid = Data(
        #"{"id": "evt-1", "camera": "cam-1", "time": "2026-12-06T12:00:00+08:00", "type": "exposedGarbage", "score": 0.87, "boxes": [{"x": 0.1, "y": 0.2, "width": 0.3, "height": 0.4, "score": 0.9}], "model": "yolo", "modelVersion": "8.1", "trackID": "t-7", "snapshot": "iVBORw0KGgo="}"#
            .utf8)

    /// Checks one decode: no crash; a refusal names a field; what comes out validates or is refused naming a field.
    static func check(_ data: Data) {
        do {
            let message = try DetectionMessage.read(data)
            do {
                try message.detection.validate(now: now)
                #expect((1...DetectionInput.maxBoxes).contains(message.detection.boxes.count))
                #expect(message.detection.score.isFinite && (0...1).contains(message.detection.score))
            } catch let e as DomainError {
                #expect(e.kind == .invalidInput && !(e.field ?? "").isEmpty, "\(e)")
            }
        } catch let e as DomainError {
            #expect(e.kind == .invalidInput && !(e.field ?? "").isEmpty, "\(e)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func aWellFormedMessageComesBackExactly() throws {
        let m = try DetectionMessage.read(Self.valid)
        #expect(m.id == "evt-1" && m.snapshot == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(m.detection.cameraID == "cam-1" && m.detection.type == .exposedGarbage && m.detection.score == 0.87)
        #expect(m.detection.time == Self.now && m.detection.boxes.count == 1 && m.detection.trackID == "t-7")
        try m.detection.validate(now: Self.now)
    }

    @Test func fieldsAtFaultAreNamed() {
        for (text, field) in [
            (#"{"camera": "cam-1"}"#, "time"),
            (#"{"camera": "cam-1", "time": "noon", "type": "exposedGarbage", "score": 1, "boxes": [], "model": "m", "modelVersion": "1"}"#, "time"),
            (#"{"camera": "cam-1", "time": "2026-12-06T12:00:00Z", "type": "ufo", "score": 1, "boxes": [], "model": "m", "modelVersion": "1"}"#, "type"),
            (#"{"camera": "cam-1", "time": "2026-12-06T12:00:00Z", "type": "exposedGarbage", "score": "high", "boxes": [], "model": "m", "modelVersion": "1"}"#, "score"),
            (#"{"camera": "cam-1", "time": "2026-12-06T12:00:00Z", "type": "exposedGarbage", "score": 1, "boxes": [], "model": "m", "modelVersion": "1", "snapshot": "%%"}"#, "snapshot"),
            ("{\"camera\": \"cam\u{7}\"}", "camera"),
            ("[1, 2", "body"),
        ] {
            do {
                _ = try DetectionMessage.read(Data(text.utf8))
                Issue.record("accepted \(text)")
            } catch let e as DomainError {
                #expect(e.field == field, "\(text): \(e)")
            } catch {
                Issue.record("\(text): \(error)")
            }
        }
    }

    @Test func randomAndMutatedBytesNeverCrashTheDecoder() {
        var rng = DemoRandom(seed: 2026, stream: 16)
        for _ in 0..<5000 {
            Self.check(Data((0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }))
        }
        let odd: [UInt8] = Array("{}[]\",:0-.eE \\u\u{0}\u{7}\u{1F}".utf8) + [0xFF, 0xC3, 0xED, 0xA0]
        let valid = [UInt8](Self.valid)
        for _ in 0..<20_000 {
            Self.check(Data(ReadingPayloadFuzzTests.mutate(valid, with: odd, &rng)))
        }
    }
}
