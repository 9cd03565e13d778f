import CityLoopDomain
import CityLoopMQTT
import CityLoopServices
import CityLoopTestSupport
import Foundation
import Testing

/// Cameras' detections over MQTT from a real Mosquitto broker on loopback: the snapshot inline as base64, grouped like
/// those posted over HTTP; a payload that is not a detection, or names another camera than its topic, is refused and
/// counted while the connection goes on.
@Suite("MQTT detections", .serialized)
struct MQTTDetectionTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// The smallest file ImageFacts reads a size from: a PNG signature and its IHDR chunk (the CRC is not checked).
    static let png: Data = {
        var b: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
        b += Array("IHDR".utf8) + [0, 0, 0, 64, 0, 0, 0, 48, 8, 2, 0, 0, 0, 0, 0, 0, 0]
        return Data(b)
    }()

    static func message(_ seconds: Double, camera: String = "cam-1", snapshot: Bool = true) -> Data {
        var object: [String: Any] = [
            "camera": camera, "time": ISO8601DateFormatter().string(from: now.addingTimeInterval(seconds)), "type": "exposedGarbage", "score": 0.9,
            "boxes": [["x": 0.4, "y": 0.5, "width": 0.2, "height": 0.2]], "model": "yolo", "modelVersion": "8.1",
        ]
        if snapshot { object["snapshot"] = png.base64EncodedString() }
        return try! JSONSerialization.data(withJSONObject: object)
    }

    @Test("detections over MQTT are grouped into one candidate; bad payloads and a wrong camera are refused and the connection goes on")
    func detectionsAndBadInput() async throws {
        let broker = try TestBroker()
        try await broker.start()
        let sut = try await StoreFactory.make(.sqlite)
        defer { Task { await sut.dispose() } }
        let store = sut.store
        let platform = try await Platform(store: store, media: InMemoryMediaStore(), clock: FixedClock(Self.now.addingTimeInterval(120)))
        try await store.saveCameras([Camera(id: "cam-1", name: "人民路口", location: GeoPoint(lat: 34.75, lon: 113.65), heading: 90)])
        let topics = DeviceTopics(city: "zz")
        let options = MQTTOptions(url: broker.url, city: "zz", connections: 1, clientID: "test-\(UUID().uuidString.prefix(8))")
        try await MQTTIngestTests.subscribed(platform, options) { subscriber in
            let camera = try MQTTConnection(url: broker.url, clientID: "cam-1-client")
            try await camera.connect()
            try await camera.publish(topics.detections(of: "cam-1"), Self.message(0), wait: true)
            try await camera.publish(topics.detections(of: "cam-1"), Data("{not json".utf8), wait: true)
            try await camera.publish(topics.detections(of: "cam-1"), Self.message(10, camera: "cam-2"), wait: true)
            try await camera.publish(topics.detections(of: "cam-1"), Data(#"{"camera": "cam-1", "snapshot": "%%%"}"#.utf8), wait: true)
            try await camera.publish(topics.detections(of: "cam-1"), Self.message(60), wait: true)
            try await camera.publish(topics.detections(of: "cam-1"), Self.message(90, snapshot: false), wait: true)
            try await waitUntil("every message handled") { subscriber.handled.messages == 6 }
            let candidates = try await store.candidates(CandidateQuery())
            #expect(candidates.count == 1 && candidates.first?.candidate.count == 3, "\(candidates)")
            #expect(candidates.first?.candidate.snapshots.count == 1, "\(candidates)")
            await camera.disconnect()
        }
    }
}
