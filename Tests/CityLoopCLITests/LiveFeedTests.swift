import AsyncHTTPClient
import CityLoopSQLite
import Foundation
import NIOCore
import Testing

/// The live feed (`GET /api/v1/live`, server-sent events) on a real server: who receives which change, bad tokens,
/// and a server that still stops at once while streams are open.
@Suite("Live feed over a real server")
struct LiveFeedTests {
    /// Reads SSE frames from a response body into an array the test can poll.
    final class Frames: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        func append(_ s: String) { lock.withLock { text += s } }
        /// The `data:` payloads of events named `event`.
        func events(_ event: String) -> [[String: Any]] {
            lock.withLock { text }.components(separatedBy: "\n\n").compactMap { frame -> [String: Any]? in
                let lines = frame.split(separator: "\n")
                guard lines.contains("event: \(event)"), let data = lines.first(where: { $0.hasPrefix("data: ") }) else { return nil }
                return try? JSONSerialization.jsonObject(with: Data(data.dropFirst(6).utf8)) as? [String: Any]
            }
        }
        var raw: String { lock.withLock { text } }
    }

    static func subscribe(_ client: HTTPClient, _ base: String, token: String) async throws -> (Frames, Task<Void, any Error>) {
        let frames = Frames()
        let req = HTTPClientRequest(url: base + "/api/v1/live?access_token=\(token)")
        let res = try await client.execute(req, timeout: .seconds(600))
        try #require(res.status == .ok)
        #expect(res.headers.first(name: "content-type")?.hasPrefix("text/event-stream") == true)
        let reader = Task {
            for try await chunk in res.body { frames.append(String(buffer: chunk)) }
        }
        return (frames, reader)
    }

    @Test func changesReachTheAccountsThatMaySeeThemAndTheServerStillStops() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-live-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let server = try ServerProcess(data: data, port: ServerProcess.randomPort())
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await server.waitReady(client)
            let base = server.base
            let leader = try await HTTP.login(client, base, "leader", "kill-test-pw")
            let citizen = try await HTTP.login(client, base, "citizen", "kill-test-pw")
            let water = try await HTTP.login(client, base, "handler-water", "kill-test-pw")
            let (leaderFrames, leaderReader) = try await Self.subscribe(client, base, token: leader)
            let (waterFrames, waterReader) = try await Self.subscribe(client, base, token: water)
            try await waitFor("the streams to open") { leaderFrames.raw.contains(": connected") && waterFrames.raw.contains(": connected") }

            // A citizen reports exposed garbage (sanitation's matter) in the inspector's district.
            let grid = try await HTTP.send(client, base + "/api/v1/grids?area=410102&limit=1", get: true).1
            let ring = try #require(((try JSONSerialization.jsonObject(with: Data(grid.utf8)) as? [String: Any])?["features"] as? [[String: Any]])?
                .first.flatMap { ($0["geometry"] as? [String: Any])?["coordinates"] as? [[[Double]]] }?.first)
            let lon = ring.map { $0[0] }.reduce(0, +) / Double(ring.count)
            let lat = ring.map { $0[1] }.reduce(0, +) / Double(ring.count)
            let (status, reply) = try await HTTP.post(
                client, base + "/api/v1/cases", token: citizen,
                json: #"{"clientRequestID":"live-1","matterCode":"06010","description":"路边暴露垃圾","lat":\#(lat),"lon":\#(lon)}"#)
            try #require(status == 201, "\(reply)")
            let id = try #require((reply["case"] as? [String: Any])?["id"] as? String)
            try await waitFor("the leader's event") { leaderFrames.events("case").contains { $0["id"] as? String == id } }
            let event = try #require(leaderFrames.events("case").first { $0["id"] as? String == id })
            #expect(event["state"] as? String == "pending_verification" && event["action"] as? String == "report")
            #expect(event["previousState"] == nil && event["gridCode"] as? String != nil)
            // No personal data travels on the feed.
            #expect(!leaderFrames.raw.contains("reporters") && !leaderFrames.raw.contains("phone"))
            // The water department's handler does not see a sanitation case: by the time its stream has sent one more
            // keep-alive (every 15 s) than when the leader had the case, the case would have come before it.
            let beats = waterFrames.raw.components(separatedBy: ": keep-alive").count
            try await waitFor("a keep-alive on the water handler's stream", seconds: 120) {
                waterFrames.raw.components(separatedBy: ": keep-alive").count > beats
            }
            #expect(!waterFrames.events("case").contains { $0["id"] as? String == id })

            // A bad token is refused before any stream starts.
            let (bad, badBody) = try await HTTP.send(client, base + "/api/v1/live?access_token=nope", get: true)
            #expect(bad == 401 && badBody.contains("error"), "\(badBody)")
            let (none, _) = try await HTTP.send(client, base + "/api/v1/live", get: true)
            #expect(none == 401)

            // SIGTERM with two streams open: graceful shutdown ends them instead of waiting for clients that never leave.
            server.process.terminate()
            let exited: Bool
            do { try await waitFor("the server to exit", seconds: 60) { !server.process.isRunning }; exited = true } catch { exited = false }
            #expect(exited, "the server kept running with live streams open")
            if !exited { server.kill9() }
            if exited {
                // The background services stop after the server has drained: the ledger's last checkpoint, taken at
                // shutdown (or earlier, when nothing was written since), covers the whole ledger, the report made above
                // included.
                let log = server.data.deletingLastPathComponent().appendingPathComponent(server.data.lastPathComponent + ".checkpoints.jsonl")
                let seqs = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
                    .compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }.compactMap { $0["seq"] as? Int }
                let store = try SQLiteStore(path: server.data.appendingPathComponent("cityloop.sqlite").path)
                let head = try await store.ledgerStatus().head.seq
                try store.close()
                #expect(seqs.last.map(Int64.init) == head, "checkpoints: \(seqs), ledger head \(head)")
            }
            _ = try? await leaderReader.value
            _ = try? await waterReader.value
        } catch {
            server.stop()
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
