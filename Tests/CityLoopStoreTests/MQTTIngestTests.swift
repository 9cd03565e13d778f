import CityLoopDomain
import CityLoopMQTT
import CityLoopServices
import CityLoopTestSupport
import Foundation
import ServiceLifecycle
import Testing

/// Readings over MQTT from a real Mosquitto broker on loopback: stored and run through the rules like any other;
/// bad payloads and wrong topics refused and counted while the connection goes on; nothing the broker handed over is
/// lost when the broker restarts or when CityLoop is away (its persistent session keeps the QoS 1 messages).
@Suite("MQTT ingest", .serialized)
struct MQTTIngestTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    /// A platform on a SQLite store with a cover and a gauge registered.
    static func platform() async throws -> (Platform, any CityStore, StoreUnderTest) {
        let sut = try await StoreFactory.make(.sqlite)
        let platform = try await Platform(store: sut.store, media: InMemoryMediaStore(), clock: FixedClock(t0.addingTimeInterval(86400)))
        try await sut.store.saveDevices(DeviceIngestTests.devices())
        return (platform, sut.store, sut)
    }

    /// Runs a subscriber while `body` runs.
    static func subscribed(
        _ platform: Platform, _ options: MQTTOptions, _ body: @Sendable (MQTTReadingsSubscriber) async throws -> Void
    ) async throws {
        let subscriber = MQTTReadingsSubscriber(platform: platform, options: options)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await subscriber.run() }
            try await waitUntil("the subscriber connects") { subscriber.isConnected }
            do { try await body(subscriber) } catch {
                group.cancelAll()
                throw error
            }
            group.cancelAll()
            try await group.waitForAll()
        }
    }

    static func cover(_ seconds: Double, _ state: String) -> Data {
        Data(#"{"at": \#(Int((t0.timeIntervalSince1970 + seconds) * 1000)), "measurements": {"coverState": "\#(state)"}}"#.utf8)
    }

    static func readingCount(_ store: any CityStore, _ device: String, _ measurement: String) async throws -> Int {
        try await store.readings(deviceID: device, measurement: measurement, from: t0.addingTimeInterval(-86400), to: t0.addingTimeInterval(86400), limit: 100_000).count
    }

    @Test("readings over MQTT are stored and raise alarms; bad payloads and wrong topics are refused and counted, and the connection goes on")
    func readingsAndBadInput() async throws {
        let broker = try TestBroker()
        try await broker.start()
        let (platform, store, sut) = try await Self.platform()
        defer { Task { await sut.dispose() } }
        let topics = DeviceTopics(city: "zz")
        let options = MQTTOptions(url: broker.url, city: "zz", connections: 2, clientID: "test-\(UUID().uuidString.prefix(8))")
        try await Self.subscribed(platform, options) { _ in
            let device = try MQTTConnection(url: broker.url, clientID: "mc-1-device")
            try await device.connect()
            // MUT: the cover opens; then garbage, an oversized message, another city's topic, a wrong device in the body
            try await device.publish(topics.readings(of: "mc-1"), Self.cover(0, "open"), wait: true)
            try await device.publish(topics.readings(of: "mc-1"), Data("{not json".utf8), wait: true)
            // (the broker drops a client sending more than its limit, which is ours: the oversized message reaches no one)
            let big = try MQTTConnection(url: broker.url, clientID: "mc-1-big")
            try await big.connect()
            await #expect(throws: MQTTError.self) {
                try await big.publish(topics.readings(of: "mc-1"), Data(repeating: 0x20, count: MQTTOptions.maxPayload + 10), wait: true)
            }
            try await device.publish("cityloop/other/devices/mc-1/readings", Self.cover(5, "closed"), wait: true)
            try await device.publish(topics.readings(of: "mc-1"), Data(#"{"device": "wl-1", "at": 1790000010000, "measurements": {"coverState": "open"}}"#.utf8), wait: true)
            try await device.publish(topics.readings(of: "mc-1"), Self.cover(60, "open"), wait: true)
            // validate: both good readings stored, the alarm up and counted twice, three refusals counted
            try await waitUntil("both cover readings stored") { try await Self.readingCount(store, "mc-1", "coverState") == 2 }
            try await waitUntil("the refusals counted") {
                try await store.rejectionCounts(deviceID: "mc-1").first { $0.reason == .malformed }?.count == 2
            }
            let alarms = try await store.alarms(deviceID: "mc-1", activeOnly: true, limit: 9)
            #expect(alarms.map(\.type) == ["coverOpen"] && alarms.first?.count == 2, "\(alarms)")
            await device.disconnect()
        }
    }

    @Test("a device signs in to the broker with its ID and its credential and publishes only its own readings; a wrong password is refused")
    func deviceCredentials() async throws {
        // setup: credentials for the cover and the gauge, the broker's files written from them, the broker letting no
        // one in anonymously, CityLoop signed in as its own user
        let (platform, store, sut) = try await Self.platform()
        defer { Task { await sut.dispose() } }
        let registry = DeviceRegistry(platform: platform)
        let admin = Actor(userID: "admin", name: "admin", role: .admin)
        let cover = try await registry.issueCredential(deviceID: "mc-1", actor: admin)
        _ = try await registry.issueCredential(deviceID: "wl-1", actor: admin)
        let files = try await registry.mosquittoFiles(city: "zz", service: ("cityloop-svc", "svc-secret-1"))
        #expect(files.passwords.split(separator: "\n").map { $0.split(separator: ":")[0] } == ["mc-1", "wl-1", "cityloop-svc"], "\(files.passwords)")
        let broker = try MosquittoProcess(auth: files)
        try await broker.start()
        let topics = DeviceTopics(city: "zz")
        var options = MQTTOptions(url: broker.url, city: "zz", connections: 1, clientID: "test-\(UUID().uuidString.prefix(8))")
        (options.username, options.password) = ("cityloop-svc", "svc-secret-1")
        try await Self.subscribed(platform, options) { _ in
            // MUT: a wrong password; the right one, publishing the gauge's topic and then its own
            let impostor = try MQTTConnection(url: broker.url, clientID: "mc-1-impostor", username: "mc-1", password: "dk_wrong")
            await #expect(throws: MQTTError.self) { try await impostor.connect() }
            let device = try MQTTConnection(url: broker.url, clientID: "mc-1-device", username: "mc-1", password: cover)
            try await device.connect()
            try await device.publish(topics.readings(of: "wl-1"), Data(#"{"device": "wl-1", "at": 1790000000000, "measurements": {"measuredDistance": 4}}"#.utf8), wait: true)
            try await device.publish(topics.readings(of: "mc-1"), Self.cover(0, "open"), wait: true)

            // validate: its own reading stored; the broker let nothing onto the gauge's topic
            try await waitUntil("the cover's reading stored") { try await Self.readingCount(store, "mc-1", "coverState") == 1 }
            #expect(try await Self.readingCount(store, "wl-1", "measuredDistance") == 0)
            await device.disconnect()
        }
        try await broker.stop()
    }

    @Test("a broker restart and CityLoop's own absence lose nothing the broker took: it reconnects, resubscribes and gets the kept messages")
    func nothingLost() async throws {
        let broker = try TestBroker()
        try await broker.start()
        let (platform, store, sut) = try await Self.platform()
        defer { Task { await sut.dispose() } }
        let topics = DeviceTopics(city: "zz")
        let options = MQTTOptions(url: broker.url, city: "zz", connections: 1, clientID: "test-\(UUID().uuidString.prefix(8))")
        // CityLoop subscribes once (its session is made), then is away while a device sends 50 readings.
        try await Self.subscribed(platform, options) { _ in }
        let device = try MQTTConnection(url: broker.url, clientID: "wl-1-device")
        try await device.connect()
        for i in 0..<50 {
            try await device.publish(
                topics.readings(of: "wl-1"), Data(#"{"at": \#(Int((Self.t0.timeIntervalSince1970 + Double(i)) * 1000)), "measurements": {"measuredDistance": 4.5}}"#.utf8),
                wait: true)
        }
        await device.disconnect()
        try await Self.subscribed(platform, options) { subscriber in
            try await waitUntil("the 50 kept readings stored") { try await Self.readingCount(store, "wl-1", "measuredDistance") == 50 }
            // MUT: the broker restarts under it
            try await broker.stop()
            try await waitUntil("the subscriber notices") { !subscriber.isConnected }
            try await broker.start()
            try await waitUntil("the subscriber reconnects", seconds: 180) { subscriber.isConnected }
            let again = try MQTTConnection(url: broker.url, clientID: "wl-1-device")
            try await again.connect()
            for i in 50..<60 {
                try await again.publish(
                    topics.readings(of: "wl-1"),
                    Data(#"{"at": \#(Int((Self.t0.timeIntervalSince1970 + Double(i)) * 1000)), "measurements": {"measuredDistance": 4.5}}"#.utf8), wait: true)
            }
            try await waitUntil("the readings after the restart stored") { try await Self.readingCount(store, "wl-1", "measuredDistance") == 60 }
            await again.disconnect()
        }
    }
}
