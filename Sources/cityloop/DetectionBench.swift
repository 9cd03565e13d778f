import ArgumentParser
import AsyncHTTPClient
import CityLoopDemo
import CityLoopDomain
import CityLoopServices
import Foundation
import NIOCore

/// `bench detections`: cameras posting detections with 200 KB snapshots over HTTP (multipart, the in-process client,
/// `clients` at once) to a scratch SQLite city: detections accepted and grouped a second with p50/p99, then one
/// camera replaying a stationary scene in order (the same object every minute for ten hours) to show it is one candidate.
extension BenchCommand {
    func detectionBench() async throws {
        let (folder, store, platform) = try await Self.scratchPlatform()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await DemoCity.install(into: platform, scale: .tiny, password: "bench-password")
        guard let grid = platform.context.map.grids.first else { throw ValidationError("the demo city has no grids") }
        let cameras = (0..<100).map { i in
            Camera(id: CameraID("bench-\(i)"), name: "bench camera \(i)", location: grid.boundary.interiorPoint, heading: Double(i * 7 % 360), range: 2)
        }
        try await store.saveCameras(cameras + [Camera(id: "replay", name: "replay", location: grid.boundary.interiorPoint, heading: 0, range: 2)])
        let (base, server) = try await Self.startServer(platform)
        defer { server.cancel() }
        var config = HTTPClient.Configuration()
        config.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: clients)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        do {
            let token = try await login(client, base, "partner")
            let boundary = "----cityloop-bench"
            let types: [DetectionType] = [.exposedGarbage, .illegalParking, .occupiedRoad, .streetVending]
            let now = Date()
            let snapshotBytes = 200 * 1024
            @Sendable func body(camera: String, type: DetectionType, at: Date, snapshot i: Int) -> [UInt8] {
                let meta = """
                    {"camera":"\(camera)","time":"\(ISO8601DateFormatter().string(from: at))","type":"\(type.rawValue)","score":0.9,\
                    "boxes":[{"x":0.4,"y":0.5,"width":0.2,"height":0.2}],"model":"bench","modelVersion":"1","id":"b\(i)"}
                    """
                return Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n\(meta)\r\n".utf8)
                    + Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"snapshot\"; filename=\"f.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n".utf8)
                    + Self.frame(i, bytes: snapshotBytes) + Array("\r\n--\(boundary)--\r\n".utf8)
            }
            @Sendable func post(_ bytes: [UInt8]) async throws -> Bool {
                var req = HTTPClientRequest(url: base + "/api/v1/detections")
                req.method = .POST
                req.headers.add(name: "Authorization", value: "Bearer \(token)")
                req.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(boundary)")
                req.body = .bytes(ByteBuffer(bytes: bytes))
                let res = try await client.execute(req, timeout: .seconds(120))
                _ = try await res.body.collect(upTo: 1 << 20)
                return res.status == .created
            }
            let count = max(1000, reports / 10)
            progressLine("detections: \(count) posts with \(snapshotBytes / 1024) KB snapshots from \(clients) clients")
            // 100 cameras × 4 types, each scene seen every few seconds: groups join and open at once.
            let result = try await timed(loader: "detections", count: count) { i in
                let camera = "bench-\(i % 100)", type = types[(i / 100) % types.count]
                return try await post(body(camera: camera, type: type, at: now.addingTimeInterval(-Double(count - i) * 0.05), snapshot: i))
            }
            let stored = try await store.candidates(CandidateQuery(limit: 100_000)).filter { $0.candidate.cameraID.rawValue.hasPrefix("bench-") }
            // The replay: one stall seen every minute for ten hours, the camera sending its frames in order as fast as it goes.
            progressLine("detections: a stationary scene replayed (600 frames, one a minute)")
            var replayed201 = 0
            for i in 0..<600 where try await post(body(camera: "replay", type: .streetVending, at: now.addingTimeInterval(-Double(600 - i) * 60), snapshot: 1_000_000 + i)) {
                replayed201 += 1
            }
            let replayed = try await store.candidates(CandidateQuery(cameraID: "replay", limit: 1000))
            try await client.shutdown()
            progressLine("detections: done", done: true)
            print("== AI camera detections: \(clients) clients, multipart with \(snapshotBytes / 1024) KB snapshots, in-process HTTP client, SQLite ==")
            row("detections accepted/s", String(format: "%.0f", result.rate), "target 200/s", String(format: "%.2fx", result.rate / 200))
            row("post p50 / p99 (ms)", String(format: "%.1f / %.1f", result.p50, result.p99), "", "")
            row("accepted (201) of posted", "\(result.created) of \(count)", "", "")
            row("candidates from them", "\(stored.count)", "400 scenes", "")
            row("stationary scene replayed", "\(replayed201) frames → \(replayed.count)", "target 1 candidate",
                replayed.count == 1 && replayed[0].candidate.count == 600 ? "ok" : "WRONG")
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// A JPEG of `bytes` bytes that reads as a 1920×1080 frame: its frame header, then a comment filling it out (unique
    /// per `i`, so every snapshot is a file of its own).
    static func frame(_ i: Int, bytes: Int) -> [UInt8] {
        let sof: [UInt8] = [0xFF, 0xC0, 0, 17, 8, 0x04, 0x38, 0x07, 0x80, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]
        var out: [UInt8] = [0xFF, 0xD8] + sof
        let tag = Array("bench frame \(i) ".utf8)
        while out.count < bytes - 4 {
            let chunk = min(65_000, bytes - 4 - out.count - 4)
            guard chunk > tag.count else { break }
            out += [0xFF, 0xFE, UInt8((chunk + 2) >> 8), UInt8((chunk + 2) & 0xFF)] + tag + [UInt8](repeating: 0x5A, count: chunk - tag.count)
        }
        return out + [0xFF, 0xD9]
    }
}
