import AsyncHTTPClient
import CityLoopSQLite
import Foundation
import Testing

/// Acknowledged reports survive `kill -9` of a real server process, and history stays verifiable.
@Suite(.serialized) struct KillDuringIntakeTests {
    @Test func killNineDuringIntakeLosesNoAcknowledgedReport() async throws {
        // setup
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let first = try ServerProcess(data: data, port: ServerProcess.randomPort(), extra: ["--scale", "50"])
        do {
            try await first.waitReady(client)
            let token = try await HTTP.login(client, first.base, "operator", "kill-test-pw")
            let acknowledged = AckLog()
            let base = first.base

            // MUT: 20 clients report continuously; the server is killed mid-stream.
            let load = Task {
                await withTaskGroup(of: Void.self) { group in
                    for c in 0..<20 {
                        group.addTask {
                            var i = 0
                            while !Task.isCancelled {
                                let rid = "kill-\(c)-\(i)"
                                let body = Self.report(rid)
                                if let (status, _) = try? await HTTP.post(client, base + "/api/v1/cases", token: token, json: body), status == 201 {
                                    acknowledged.add(rid)
                                } else {
                                    return
                                }
                                i += 1
                            }
                        }
                    }
                }
            }
            let deadline = Date().addingTimeInterval(600)
            while acknowledged.count < 200, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            first.kill9()
            load.cancel()
            _ = await load.value
            let acked = acknowledged.all

            // validate: every acknowledged report is there exactly once after a restart
            let second = try ServerProcess(data: data, port: ServerProcess.randomPort())
            defer { second.stop() }
            try await second.waitReady(client)
            let token2 = try await HTTP.login(client, second.base, "operator", "kill-test-pw")
            var missing: [String] = []
            for rid in acked {
                let (status, obj) = try await HTTP.post(client, second.base + "/api/v1/cases", token: token2, json: Self.report(rid))
                // 200 = already stored (idempotent replay); 201 would mean the acknowledged report was lost.
                if status != 200 || (obj["created"] as? Bool) != false { missing.append(rid) }
            }
            #expect(acked.count >= 200)
            #expect(missing.isEmpty, "lost \(missing.count) acknowledged reports")
            second.stop()
            let (code, output) = try ServerProcess.run(["verify", "--data", data.path, "--lang", "en"])
            #expect(code == 0, "verify failed: \(output)")
            #expect(output.contains("0 problems"))
            #expect(output.contains("integrity: ok"))
        } catch {
            first.stop()
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    @Test func verifyDetectsEditedHistory() async throws {
        // setup: a demo database, then one stored event edited behind the platform's back
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-tamper-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let (built, buildOutput) = try ServerProcess.run(["demo", "--data", data.path, "--scale", "50", "--demo-password", "tamper-pw-1", "--lang", "en"])
        #expect(built == 0, "\(buildOutput)")
        let (clean, cleanOutput) = try ServerProcess.run(["verify", "--data", data.path, "--lang", "en"])
        #expect(clean == 0, "\(cleanOutput)")
        let store = try SQLiteStore(path: data.appendingPathComponent("cityloop.sqlite").path)
        // MUT: the stored text's last field (the previous hash) replaced, still a well-formed event
        try await store.executeForTesting(
            """
            UPDATE case_events SET data = substr(data, 1, length(data) - 64) || hash
            WHERE case_id = (SELECT case_id FROM case_events ORDER BY case_id LIMIT 1) AND seq = 1
            """)
        try store.close()
        // validate
        let (code, output) = try ServerProcess.run(["verify", "--data", data.path, "--lang", "en"])
        #expect(code == 1)
        #expect(output.contains("altered"))
    }

    static func report(_ rid: String) -> String {
        #"{"clientRequestID":"\#(rid)","matterCode":"06010","description":"kill test","lat":34.75,"lon":113.65,"source":"hotline"}"#
    }
}

/// Request IDs the server acknowledged, collected from many tasks.
final class AckLog: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: [String] = []
    func add(_ id: String) { lock.withLock { ids.append(id) } }
    var count: Int { lock.withLock { ids.count } }
    var all: [String] { lock.withLock { ids } }
}
