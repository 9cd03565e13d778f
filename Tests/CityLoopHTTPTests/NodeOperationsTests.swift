import CityLoopDomain
import CityLoopHTTP
import Hummingbird
import Foundation
import HTTPTypes
import Testing

/// What operators ask a node: readiness with migrations and role, Prometheus metrics, and a worker that serves only those.
@Suite struct NodeOperationsTests {
    @Test func readyTellsTheDatabaseMigrationsAndRole() async throws {
        try await TestCity.serve { api in
            let ready = try await api.get("/ready")
            #expect(ready.status == .ok && ready.string("status") == "ready" && ready.string("role") == "all", "\(ready)")
            #expect(ready.string("database") == "ok" && (ready.int("migrationsApplied") ?? 0) >= 14, "\(ready)")
            #expect((ready["migrationsPending"] as? [Any])?.isEmpty == true, "\(ready)")
        }
    }

    @Test func metricsCountRequestsByRouteIntakeByChannelAndReadTheOutboxAndLiveFeed() async throws {
        try await TestCity.serve { api in
            // setup: a citizen's report and a few reads of one route
            let id = try await api.newCase(as: "citizen", garbageReport(at: api.city.point))
            for _ in 0..<3 { _ = try await api.get("/api/v1/cases/\(id)", as: "operator") }

            // MUT
            let r = try await api.get("/metrics")

            let text = String(decoding: r.data, as: UTF8.self)
            #expect(r.status == .ok && (r.headers[.contentType] ?? "").hasPrefix("text/plain"))
            let lines = text.split(separator: "\n").map(String.init)
            // The registry is the process's: other tests' requests count too, and a series is split by status.
            func value(_ prefix: String, containing parts: [String] = []) -> Double? {
                let values = lines.filter { $0.hasPrefix(prefix) && parts.allSatisfy($0.contains) }.compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
                return values.isEmpty ? nil : values.reduce(0, +)
            }
            #expect((value("cityloop_reports_total", containing: [#"channel="citizen""#]) ?? 0) >= 1, "\(text.prefix(3000))")
            // Requests by route (Hummingbird's metrics middleware), the route's pattern rather than each case's URL.
            #expect((value("hb_requests", containing: ["/api/v1/cases/{id}", #""GET""#, #""200""#]) ?? 0) >= 3, "\(text.prefix(3000))")
            #expect(text.contains("http_server_request_duration"), "\(text.prefix(3000))")
            #expect(!text.contains(id), "a case's ID in a metric's labels would make one series per case")
            // The report queued notices to its reporter; the outbox and the live feed are read at the scrape.
            #expect(value("cityloop_outbox_waiting") != nil && value("cityloop_outbox_oldest_due_seconds") != nil, "\(text.prefix(3000))")
            #expect(value("cityloop_live_subscribers") == 0)
        }
    }

    @Test func aWorkerServesOnlyHealthReadinessAndMetrics() async throws {
        let city = try await TestCity.make()
        defer { try? FileManager.default.removeItem(at: city.folder) }
        try await LiveServer.run(router: buildRouter(platform: city.platform, role: .worker)) { client in
            let ready = try await client.execute(uri: "/ready", method: .get, headers: [:], body: nil)
            #expect(ready.status == .ok && String(buffer: ready.body).contains(#""role":"worker""#))
            #expect(try await client.execute(uri: "/metrics", method: .get, headers: [:], body: nil).status == .ok)
            #expect(try await client.execute(uri: "/health", method: .get, headers: [:], body: nil).status == .ok)
            for uri in ["/api/v1/cases", "/", "/open311/v2/services.json"] {
                #expect(try await client.execute(uri: uri, method: .get, headers: [:], body: nil).status == .notFound, "\(uri)")
            }
        }
    }

    @Test func aDatabaseThatWentAwayIsA503WithRetryAfterAndAJSONBody() async throws {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        router.get("/lost") { _, _ -> Response in throw StoreError(.unavailable, "the database is not reachable (connection closed); try again") }
        try await LiveServer.run(router: router) { client in
            let r = try await client.execute(uri: "/lost", method: .get, headers: [:], body: nil)
            let body = String(buffer: r.body)
            #expect(r.status == .serviceUnavailable && r.headers[.retryAfter] == "5", "\(body)")
            #expect(body.contains(#""code":"database.unavailable""#) && body.contains("try again"), "\(body)")
        }
    }
}
