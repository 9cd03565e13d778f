import AsyncHTTPClient
import CityLoopDemo
import Foundation
import NIOCore
import Testing

/// Acknowledged detections survive `kill -9` of a real server process: each is found again after a restart (the
/// camera's repost is answered as already stored) with its candidate.
@Suite(.serialized) struct KillDuringDetectionsTests {
    static let boundary = "----cityloop-kill"

    static func body(_ id: String, camera: String, at: Date) -> ByteBuffer {
        let meta = """
            {"id":"\(id)","camera":"\(camera)","time":"\(ISO8601DateFormatter().string(from: at))","type":"exposedGarbage","score":0.9,\
            "boxes":[{"x":0.4,"y":0.5,"width":0.2,"height":0.2}],"model":"kill","modelVersion":"1"}
            """
        var b = ByteBuffer(string: "--\(boundary)\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n\(meta)\r\n")
        b.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"snapshot\"; filename=\"f.png\"\r\nContent-Type: image/png\r\n\r\n")
        b.writeBytes(DemoImages.png(width: 8, height: 8, red: UInt8(truncatingIfNeeded: id.hashValue), green: 90, blue: 30))
        b.writeString("\r\n--\(boundary)--\r\n")
        return b
    }

    static func post(_ client: HTTPClient, _ base: String, _ token: String, _ id: String, camera: String, at: Date) async throws -> (Int, [String: Any]) {
        var req = HTTPClientRequest(url: base + "/api/v1/detections")
        req.method = .POST
        req.headers.add(name: "Authorization", value: "Bearer \(token)")
        req.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(boundary)")
        req.body = .bytes(body(id, camera: camera, at: at))
        let res = try await client.execute(req, timeout: .seconds(300))
        let data = try await res.body.collect(upTo: 1 << 20)
        return (Int(res.status.code), (try? JSONSerialization.jsonObject(with: Data(data.readableBytesView))) as? [String: Any] ?? [:])
    }

    @Test func killNineDuringDetectionsLosesNoAcknowledgedDetection() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-kill-detections-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let first = try ServerProcess(data: data, port: ServerProcess.randomPort(), extra: ["--scale", "50"])
        do {
            try await first.waitReady(client)
            let token = try await HTTP.login(client, first.base, "admin", "kill-test-pw")
            let acknowledged = AckLog()
            let base = first.base
            let start = Date()
            // MUT: 10 cameras' worth of clients post continuously (the demo's cameras CAM-001…); the server is killed mid-stream.
            let load = Task {
                await withTaskGroup(of: Void.self) { group in
                    for c in 0..<10 {
                        group.addTask {
                            var i = 0
                            while !Task.isCancelled {
                                let id = "kill-\(c)-\(i)"
                                let camera = "CAM-00\(1 + c % 4)"
                                guard let (status, _) = try? await Self.post(client, base, token, id, camera: camera, at: start.addingTimeInterval(Double(i))),
                                    status == 201
                                else { return }
                                acknowledged.add("\(camera)|\(id)|\(i)")
                                i += 1
                            }
                        }
                    }
                }
            }
            let deadline = Date().addingTimeInterval(600)
            while acknowledged.count < 100, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            first.kill9()
            load.cancel()
            _ = await load.value
            let acked = acknowledged.all

            // validate: after a restart every acknowledged detection is stored, with its candidate
            let second = try ServerProcess(data: data, port: ServerProcess.randomPort())
            defer { second.stop() }
            try await second.waitReady(client)
            let token2 = try await HTTP.login(client, second.base, "admin", "kill-test-pw")
            var missing: [String] = []
            for entry in acked {
                let parts = entry.split(separator: "|").map(String.init)
                let (status, obj) = try await Self.post(client, second.base, token2, parts[1], camera: parts[0], at: start.addingTimeInterval(Double(parts[2])!))
                // 200 with `repeated` = stored before the kill; 201 would mean the acknowledged detection was lost.
                if status != 200 || obj["repeated"] as? Bool != true || obj["candidate"] == nil { missing.append(entry) }
            }
            #expect(acked.count >= 100)
            #expect(missing.isEmpty, "lost \(missing.count) acknowledged detections: \(missing.prefix(5))")
        } catch {
            first.stop()
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
