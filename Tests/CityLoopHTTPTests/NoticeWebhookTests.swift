import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Reporters' notices posted to a webhook that fails and recovers: retried, delivered once, logged.
@Suite struct NoticeWebhookTests {
    /// A receiver on 127.0.0.1 that answers 500 to its first `failures` posts, then accepts.
    actor Receiver {
        var failures: Int
        var posts = 0
        var accepted: [String] = []
        var keys: [String] = []
        init(failures: Int) { self.failures = failures }

        func receive(_ body: Data, key: String?) -> HTTPResponse.Status {
            posts += 1
            if failures > 0 {
                failures -= 1
                return .internalServerError
            }
            let notices = (try? JSONSerialization.jsonObject(with: body) as? [[String: Any]]) ?? []
            accepted += notices.compactMap { $0["id"] as? String }
            keys += key.map { [$0] } ?? []
            return .noContent
        }
    }

    @Test func failingWebhookIsRetriedUntilItAcceptsAndNothingIsDeliveredTwice() async throws {
        let receiver = Receiver(failures: 2)
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let status = await receiver.receive(Data(buffer: body), key: request.headers[.init("Idempotency-Key")!])
            return Response(status: status)
        }
        let hookApp = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await hookApp.test(.live) { hook in
            let port = try #require(hook.port)
            let url = try #require(URL(string: "http://127.0.0.1:\(port)/hook"))
            try await TestCity.serve(notifier: try WebhookNotifier(url: url, timeoutSeconds: 120, policy: TestCity.loopbackCallbacks)) { api in
                let id = try await api.newCase(as: "citizen", garbageReport(at: api.city.point))
                _ = try await api.step("verify", id, as: "inspector")
                _ = try await api.step("file", id, as: "shiftlead")
                // Each round moves the clock past the longest wait and delivers what is due.
                for _ in 0..<6 where await receiver.accepted.isEmpty {
                    await api.city.platform.notices.deliverDue()
                    api.city.clock.advance(by: 3601)
                }
                await api.city.platform.notices.deliverDue()
                let accepted = await receiver.accepted
                #expect(accepted.count == 1, "\(accepted)")
                #expect(await receiver.posts == 3)
                #expect(await receiver.keys == accepted)
                let log = try await api.city.store.queuedNotices(limit: 10)
                let entry = try #require(log.first { $0.notice.caseID.rawValue == id })
                #expect(entry.notice.id == accepted.first && entry.notice.kind == .dispatched)
                #expect(entry.attempts == 3 && entry.deliveredAt != nil && entry.lastError == nil)
                // The delivery log over HTTP, for the roles that may see reporters' data.
                let listed = try await api.get("/api/v1/notices?limit=10", as: "shiftlead")
                #expect(listed.status == .ok, "\(listed)")
                let row = try #require(listed.objects("").first { ($0["notice"] as? [String: Any])?["id"] as? String == entry.notice.id })
                #expect(row["attempts"] as? Int == 3 && row["deliveredAt"] != nil)
                #expect(try await api.get("/api/v1/notices", as: "dispatcher").status == .forbidden)
                #expect(try await api.get("/api/v1/notices?limit=0", as: "admin").errorField == "limit")
            }
        }
    }

    @Test func unreachableWebhookKeepsTheNoticeQueuedWithTheError() async throws {
        // A port nothing listens on: bind one, note it, close it.
        let probe = Application(router: Router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        let port = try await probe.test(.live) { client in client.port ?? 0 }
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/hook"))
        try await TestCity.serve(notifier: try WebhookNotifier(url: url, timeoutSeconds: 2, policy: TestCity.loopbackCallbacks)) { api in
            let id = try await api.newCase(as: "citizen", garbageReport(at: api.city.point))
            _ = try await api.step("verify", id, as: "inspector")
            _ = try await api.step("file", id, as: "shiftlead")
            let result = await api.city.platform.notices.deliverDue()
            #expect(result.delivered == 0)
            let entry = try #require(try await api.city.store.queuedNotices(limit: 10).first { $0.notice.caseID.rawValue == id })
            #expect(entry.deliveredAt == nil && entry.attempts >= 1 && entry.lastError?.isEmpty == false)
            let retryAt = try #require(entry.nextAttemptAt)
            #expect(retryAt > api.city.clock.now())
            #expect(try await api.city.store.dueNotices(at: api.city.clock.now(), limit: 10).isEmpty)
        }
    }
}
