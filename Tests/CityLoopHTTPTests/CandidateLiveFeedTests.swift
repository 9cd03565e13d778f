import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// The review queue on the live feed (`GET /api/v1/live?candidates=true`, server-sent events) on a real server: a
/// detection posted, a second one grouped into its candidate and the review each send a `candidate` event to an
/// operator's queue, after the write; a department's handler, whose role does not read the queue, and a page that did
/// not ask for candidates receive none.
@Suite struct CandidateLiveFeedTests {
    /// The SSE text of one stream, read as it arrives.
    final class Frames: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        func append(_ s: String) { lock.withLock { text += s } }
        var raw: String { lock.withLock { text } }
        /// The `data:` payloads of the events named `event`, in order.
        func events(_ event: String) -> [[String: Any]] {
            raw.components(separatedBy: "\n\n").compactMap { frame -> [String: Any]? in
                let lines = frame.split(separator: "\n")
                guard lines.contains("event: \(event)"), let data = lines.first(where: { $0.hasPrefix("data: ") }) else { return nil }
                return try? JSONSerialization.jsonObject(with: Data(data.dropFirst(6).utf8)) as? [String: Any]
            }
        }
    }

    /// Opens the live feed as the holder of `token` with `query` and reads it in the background until cancelled.
    static func subscribe(_ http: HTTPClient, port: Int, token: String, query: String = "") async throws -> (Frames, Task<Void, any Error>) {
        let frames = Frames()
        let res = try await http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/live?access_token=\(token)\(query)"), timeout: .seconds(600))
        try #require(res.status == .ok, "the live feed answered \(res.status)")
        let reader = Task { for try await chunk in res.body { frames.append(String(buffer: chunk)) } }
        return (frames, reader)
    }

    /// Waits until `condition` holds, failing the test after `seconds` (far beyond what it takes on an idle machine).
    static func waitFor(_ what: String, seconds: Double = 120, _ condition: @escaping @Sendable () -> Bool) async throws {
        try await within(seconds, what) {
            while !condition() { try await Task.sleep(for: .milliseconds(20)) }
        }
    }

    @Test func aDetectionReachesTheOperatorsQueueAndNotAHandler() async throws {
        try await TestCity.serve { api in
            // setup: a camera, and three streams: the operator's queue, the sanitation handler's (whose role does not
            // read the queue) asking for candidates too, and an operator's page that did not ask for them
            try await CameraAPITests.registerCamera(api)
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            var readers: [Task<Void, any Error>] = []
            do {
                let port = api.client.port
                let (queue, r1) = try await Self.subscribe(http, port: port, token: try await api.token("operator"), query: "&candidates=true")
                let (handler, r2) = try await Self.subscribe(http, port: port, token: try await api.token("handler"), query: "&candidates=true")
                let (intake, r3) = try await Self.subscribe(http, port: port, token: try await api.token("operator"))
                readers = [r1, r2, r3]
                try await Self.waitFor("the streams to open") { [queue, handler, intake].allSatisfy { $0.raw.contains(": connected") } }

                // MUT: a detection opens a candidate
                let first = try await CameraAPITests.detection(api, CameraAPITests.meta(api, after: -120))
                #expect(first.status == .created && first.string("outcome") == "opened", "\(first)")
                let id = try #require(first.string("candidate"))

                // validate: the operator's queue hears of it with what the queue shows
                try await Self.waitFor("the candidate on the operator's queue") { queue.events("candidate").contains { $0["id"] as? String == id } }
                let opened = try #require(queue.events("candidate").first { $0["id"] as? String == id })
                #expect(opened["status"] as? String == "pending" && opened["detectionType"] as? String == "exposedGarbage", "\(opened)")
                #expect(opened["camera"] as? String == "cam-1" && opened["count"] as? Int == 1 && opened["score"] as? Double == 0.9, "\(opened)")
                #expect(opened["lastSeen"] as? String == ISO8601DateFormatter().string(from: api.city.clock.now().addingTimeInterval(-120)), "\(opened)")
                // Sent after the write: the queue read on the event lists the candidate.
                let listed = try await api.get("/api/v1/detection-candidates?camera=cam-1", as: "operator")
                #expect(listed.objects("").contains { ($0["candidate"] as? [String: Any])?["id"] as? String == id }, "\(listed)")

                // MUT: the scene seen again joins the candidate
                let second = try await CameraAPITests.detection(api, CameraAPITests.meta(api, after: -60))
                #expect(second.string("outcome") == "joined" && second.string("candidate") == id, "\(second)")
                try await Self.waitFor("the grown candidate") { queue.events("candidate").contains { $0["id"] as? String == id && $0["count"] as? Int == 2 } }

                // MUT: reviewed
                let rejected = try await api.send(
                    .post, "/api/v1/detection-candidates/\(id)/review", as: "operator", json: ["decision": "reject", "reason": "falsePositive"])
                #expect(rejected.status == .ok, "\(rejected)")
                try await Self.waitFor("the decision") {
                    queue.events("candidate").contains { $0["id"] as? String == id && $0["status"] as? String == "rejected" }
                }

                // validate: the handler and the page that did not ask heard none of it. Each stream delivers in the order
                // things were published, so once a case dispatched after all of the above reached them, any candidate
                // event would have come before it.
                let caseID = try await api.dispatchedCase()
                try await Self.waitFor("the dispatched case on the handler's stream") { handler.events("case").contains { $0["id"] as? String == caseID } }
                try await Self.waitFor("the dispatched case on the intake page") { intake.events("case").contains { $0["id"] as? String == caseID } }
                #expect(handler.events("candidate").isEmpty, "\(handler.raw.prefix(600))")
                #expect(intake.events("candidate").isEmpty, "\(intake.raw.prefix(600))")
                #expect(queue.events("candidate").count == 3, "opened, grown, rejected: \(queue.events("candidate"))")

                // A bad value is refused naming the field.
                let bad = try await api.get("/api/v1/live?candidates=yes", as: "operator")
                #expect(bad.status == .unprocessableContent && bad.errorField == "candidates", "\(bad)")
            } catch {
                readers.forEach { $0.cancel() }
                try? await http.shutdown()
                throw error
            }
            readers.forEach { $0.cancel() }
            try await http.shutdown()
        }
    }
}
