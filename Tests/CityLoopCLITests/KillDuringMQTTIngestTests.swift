import AsyncHTTPClient
import CityLoopMQTT
import Foundation
import Testing

/// Readings over MQTT survive `kill -9` of a real server process: what the broker handed over and CityLoop
/// acknowledged is in its journal, what it had not acknowledged the broker keeps, and after a restart every
/// reading a device published is stored, the rules having run on it.
@Suite(.serialized) struct KillDuringMQTTIngestTests {
    static let total = 1500

    @Test func killNineDuringMQTTIngestLosesNoReading() async throws {
        // setup: a broker, a server subscribed to it, and a water gauge publishing a reading every few milliseconds
        let broker = try MosquittoProcess()
        try await broker.start()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-mqttkill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let gauge = try MQTTConnection(url: broker.url, clientID: "kill-test-gauge")
        try await gauge.connect()
        let start = Int64(Date().timeIntervalSince1970 * 1000) - Int64(Self.total) * 100
        func publish(_ i: Int) async throws {
            let body = #"{"at": \#(start + Int64(i) * 100), "measurements": {"measuredDistance": \#(4 + Double(i % 10) / 10)}}"#
            try await gauge.publish("cityloop/city/devices/WL-0001/readings", Data(body.utf8), wait: true)
        }
        let first = try ServerProcess(data: data, port: ServerProcess.randomPort(), extra: ["--scale", "50", "--mqtt", broker.url])
        do {
            try await first.waitReady(client)
            let token = try await HTTP.login(client, first.base, "operator", "kill-test-pw")
            try await publish(0)
            try await waitFor("the first reading stored", seconds: 600) { try await Self.stored(client, first.base, token) >= 1 }

            // MUT: the server is killed while the gauge publishes; the gauge goes on while it is away
            let load = Task { for i in 1..<Self.total { try await publish(i) } }
            try await waitFor("a third of the readings stored", seconds: 600) { try await Self.stored(client, first.base, token) >= Self.total / 3 }
            first.kill9()
            try await load.value

            // validate: after a restart every reading is there, once, with the level the rules worked out
            let second = try ServerProcess(data: data, port: ServerProcess.randomPort(), extra: ["--mqtt", broker.url])
            defer { second.stop() }
            try await second.waitReady(client)
            let token2 = try await HTTP.login(client, second.base, "operator", "kill-test-pw")
            try await waitFor("every reading stored after the restart", seconds: 600) { try await Self.stored(client, second.base, token2) >= Self.total }
            #expect(try await Self.stored(client, second.base, token2) == Self.total)
            #expect(try await Self.stored(client, second.base, token2, measurement: "currentLevel") == Self.total)
        } catch {
            first.stop()
            await gauge.disconnect()
            try? await broker.stop()
            try? await client.shutdown()
            throw error
        }
        await gauge.disconnect()
        try await broker.stop()
        try await client.shutdown()
    }

    /// WL-0001's readings of `measurement` stored in the last day, counted by the API in hour buckets.
    static func stored(_ client: HTTPClient, _ base: String, _ token: String, measurement: String = "measuredDistance") async throws -> Int {
        let iso = ISO8601DateFormatter()
        let (from, to) = (iso.string(from: Date().addingTimeInterval(-86_400)), iso.string(from: Date().addingTimeInterval(600)))
        let (status, text) = try await HTTP.send(
            client, base + "/api/v1/devices/WL-0001/readings?measurement=\(measurement)&bucket=hour&from=\(from)&to=\(to)", get: true, token: token)
        guard status == 200, let buckets = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] else { return -1 }
        return buckets.reduce(0) { $0 + (($1["count"] as? Int) ?? 0) }
    }
}
