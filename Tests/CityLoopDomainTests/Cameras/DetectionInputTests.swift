import CityLoopDomain
import Foundation
import Testing

@Suite("Detection input")
struct DetectionInputTests {
    typealias F = CameraFixtures
    static let now = F.local(12)

    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }

    static let json = """
        {"camera":"cam-01","time":"2026-05-01T03:59:00Z","type":"exposedGarbage","score":0.91,
         "boxes":[{"x":0.1,"y":0.5,"width":0.2,"height":0.3,"label":"garbage_bag"}],
         "model":"cityeye","modelVersion":"3.1.0+cuda","trackID":"t-17"}
        """

    @Test("reads the posted JSON keys")
    func decode() throws {
        let d = try Self.decoder().decode(DetectionInput.self, from: Data(Self.json.utf8))
        #expect(d.cameraID == "cam-01")
        #expect(d.type == .exposedGarbage)
        #expect(d.score == 0.91)
        #expect(d.boxes.count == 1 && d.boxes[0].label == "garbage_bag")
        #expect(d.modelKey == "cityeye@3.1.0+cuda")
        #expect(d.trackID == "t-17")
        #expect(d.time == Self.now.addingTimeInterval(-60))
        try d.validate(now: Self.now)
        let back = try Self.decoder().decode(DetectionInput.self, from: JSONEncoder.iso.encode(d))
        #expect(back == d)
    }

    @Test("an unknown type is refused naming `type` and listing the known ones")
    func unknownType() throws {
        let json = Self.json.replacingOccurrences(of: "exposedGarbage", with: "ufo")
        do {
            _ = try Self.decoder().decode(DetectionInput.self, from: Data(json.utf8))
            Issue.record("decoded an unknown type")
        } catch let e as DomainError {
            #expect(e.field == "type")
            #expect(e.code == "detection.type")
            #expect(e.message.contains("missingManholeCover"))
            #expect(e.message.contains("ufo"))
        }
    }

    @Test("the time may be 300 s ahead and 7 days old, configurable")
    func time() {
        func field(_ t: Date, future: TimeInterval = 300, age: TimeInterval = 7 * 86_400) -> String? {
            F.field { try F.detection(at: t).validate(now: Self.now, maxFutureSeconds: future, maxAgeSeconds: age) }
        }
        #expect(field(Self.now.addingTimeInterval(300)) == nil)
        #expect(field(Self.now.addingTimeInterval(301)) == "time")
        #expect(field(Self.now.addingTimeInterval(-7 * 86_400)) == nil)
        #expect(field(Self.now.addingTimeInterval(-7 * 86_400 - 1)) == "time")
        #expect(field(Self.now.addingTimeInterval(-3601), age: 3600) == "time")
        #expect(field(Self.now.addingTimeInterval(60), future: 30) == "time")
    }

    @Test("validation names the JSON field at fault")
    func validation() {
        func field(_ change: (inout DetectionInput) -> Void) -> String? {
            var d = F.detection(at: Self.now)
            change(&d)
            return F.field { try d.validate(now: Self.now) }
        }
        #expect(field { _ in } == nil)
        #expect(field { $0.cameraID = "cam/01" } == "camera")
        #expect(field { $0.score = 1.01 } == "score")
        #expect(field { $0.score = .nan } == "score")
        #expect(field { $0.boxes = [] } == "boxes")
        #expect(field { $0.boxes = Array(repeating: F.box(footX: 0.5, footY: 0.5), count: 51) } == "boxes")
        #expect(field { $0.boxes.append(DetectionBox(x: 0.5, y: 0.5, width: 0.6, height: 0.1)) } == "boxes[1].width")
        #expect(field { $0.boxes.append(DetectionBox(x: 0.5, y: 0.5, width: 0.1, height: 0)) } == "boxes[1].height")
        #expect(field { $0.model = "" } == "model")
        #expect(field { $0.model = "city eye" } == "model")
        #expect(field { $0.model = String(repeating: "m", count: 65) } == "model")
        #expect(field { $0.modelVersion = String(repeating: "1", count: 33) } == "modelVersion")
        #expect(field { $0.modelVersion = "3.1/2" } == "modelVersion")
        #expect(field { $0.trackID = String(repeating: "t", count: 65) } == "trackID")
        #expect(field { $0.trackID = "t\u{7}" } == "trackID")
        #expect(field { $0.trackID = "轨迹-1" } == nil)
    }

    @Test("boxes are ordered by their own score, the detection's score standing in, ties as posted")
    func boxOrder() {
        var d = F.detection(at: Self.now, score: 0.7)
        d.boxes = [F.box(footX: 0.2, footY: 0.9), F.box(footX: 0.4, footY: 0.9, score: 0.9), F.box(footX: 0.6, footY: 0.9, score: 0.7)]
        #expect(d.boxOrder == [1, 0, 2])
    }
}

extension JSONEncoder {
    /// An encoder writing ISO 8601 dates.
    static var iso: JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        return e
    }
}
