import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Work orders from the 12345 hotline: idempotent on the ticket, status callbacks retried until acknowledged.
@Suite struct HotlineAPITests {
    /// A hotline platform's callback receiver on 127.0.0.1: answers 500 to its first `failures` posts.
    actor Receiver {
        var failures: Int
        var posts = 0
        /// What was accepted: state, ticket and Chinese text of each callback.
        var accepted: [(state: String, ticket: String, textZh: String)] = []
        init(failures: Int) { self.failures = failures }

        func receive(_ body: Data) -> HTTPResponse.Status {
            posts += 1
            if failures > 0 {
                failures -= 1
                return .internalServerError
            }
            for n in (try? JSONSerialization.jsonObject(with: body) as? [[String: Any]]) ?? [] {
                accepted.append((
                    n["state"] as? String ?? "", (n["recipient"] as? [String: Any])?["ticket"] as? String ?? "", n["textZh"] as? String ?? ""
                ))
            }
            return .ok
        }

        var states: [String] { accepted.map(\.state) }
        var tickets: [String] { accepted.map(\.ticket) }
        var texts: [String] { accepted.map(\.textZh) }
    }

    static func withReceiver(failures: Int, _ body: @Sendable (Receiver, String) async throws -> Void) async throws {
        let receiver = Receiver(failures: failures)
        let router = Router()
        router.post("/callback") { request, _ -> Response in
            Response(status: await receiver.receive(Data(buffer: try await request.body.collect(upTo: 1 << 20))))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { hook in
            try await body(receiver, "http://127.0.0.1:\(try #require(hook.port))/callback")
        }
    }

    static func order(_ api: API, ticket: String, callback: String?, _ extra: [String: Any] = [:]) -> [String: Any] {
        var o: [String: Any] = [
            "ticketNumber": ticket, "category": "市容环境/暴露垃圾", "description": "市民来电：路口有垃圾堆放多日", "lat": api.city.point.lat,
            "lon": api.city.point.lon, "callerName": "王女士", "callerPhone": "13700001111", "deadline": "2026-11-30T18:00:00+08:00",
        ]
        if let callback { o["callbackURL"] = callback }
        for (k, v) in extra { o[k] = v }
        return o
    }

    /// Delivers what is due, moving the clock past the longest wait between rounds.
    static func drain(_ api: API, until done: @Sendable () async -> Bool) async {
        for _ in 0..<8 where !(await done()) {
            await api.city.platform.notices.deliverDue()
            api.city.clock.advance(by: 3601)
        }
        await api.city.platform.notices.deliverDue()
    }

    @Test func replayedOrdersAreOneCaseAndEveryStatusChangeIsCalledBackUntilAcknowledged() async throws {
        try await Self.withReceiver(failures: 2) { receiver, url in
            try await TestCity.serve(callbacks: TestCity.loopbackCallbacks) { api in
                let first = try await api.send(.post, "/api/v1/hotline/orders", as: "partner", json: Self.order(api, ticket: "RX-20261124-0001", callback: url))
                #expect(first.status == .created, "\(first)")
                let number = try #require(first.string("case.number"))
                let id = try #require(first.string("case.id"))
                #expect(first.string("case.source") == "hotline")
                #expect(first.string("case.matterCode") == "06010", "category text matched to 暴露垃圾")
                #expect(first.string("case.reporters.0.ticket") == "RX-20261124-0001")
                #expect(first.string("case.reporters.0.ticketDueAt") != nil)
                // The hotline platform sends it again (a timeout on its side): the same case, nothing new.
                let before = try await api.city.store.cases(CaseQuery()).total
                for _ in 0..<3 {
                    // (with the deadline in fractional seconds this time: the same instant)
                    let again = try await api.send(
                        .post, "/api/v1/hotline/orders", as: "partner",
                        json: Self.order(api, ticket: "RX-20261124-0001", callback: url, ["deadline": "2026-11-30T10:00:00.000Z"]))
                    #expect(again.status == .ok)
                    #expect(again.string("case.number") == number)
                    #expect(again["created"] as? Bool == false)
                }
                #expect(try await api.city.store.cases(CaseQuery()).total == before)

                _ = try await api.step("verify", id, as: "inspector")
                _ = try await api.step("file", id, as: "shiftlead")
                await Self.drain(api) { await receiver.accepted.count >= 2 }
                let states = await receiver.states
                #expect(states == ["pending_filing", "dispatched"], "\(states)")
                #expect(await receiver.tickets == ["RX-20261124-0001", "RX-20261124-0001"])
                #expect(await receiver.posts == 4, "two refusals, then each callback once")
                #expect(await receiver.texts.last?.contains("已派遣至") == true)

                // The delivery log, as the partner sees it.
                let log = try await api.get("/api/v1/hotline/callbacks", as: "partner")
                #expect(log.status == .ok)
                let entries = log.objects("")
                #expect(entries.count == 2)
                #expect(entries.allSatisfy { $0["deliveredAt"] != nil })
                #expect(entries.map { $0["attempts"] as? Int ?? 0 }.reduce(0, +) == 4)
                // The hotline gets status callbacks, not the caller's text messages.
                let all = try await api.city.store.queuedNotices(limit: 100).filter { $0.notice.caseID.rawValue == id }
                #expect(all.allSatisfy { $0.notice.kind == .statusChanged })
            }
        }
    }

    @Test func aReceiverThatIsDownLosesNothing() async throws {
        try await TestCity.serve(callbacks: TestCity.loopbackCallbacks) { api in
            let r = try await api.send(.post, "/api/v1/hotline/orders", as: "partner", json: Self.order(api, ticket: "RX-DOWN-1", callback: "http://127.0.0.1:9/none"))
            let id = try #require(r.string("case.id"), "\(r)")
            _ = try await api.step("verify", id, as: "inspector")
            await api.city.platform.notices.deliverDue()
            let log = try await api.get("/api/v1/hotline/callbacks", as: "partner")
            let entry = try #require(log.objects("").first)
            #expect(entry["deliveredAt"] == nil)
            #expect(entry["attempts"] as? Int == 1)
            // A class of failure only: the connection's error text would map the platform's network.
            #expect(entry["lastError"] as? String == "delivery failed (connection error)", "\(entry)")
            #expect(entry["nextAttemptAt"] != nil, "\(entry)")
        }
    }

    @Test func malformedOrdersAreRefusedNamingTheFieldAndChangeNothing() async throws {
        try await TestCity.serve { api in
            let before = try await api.city.store.cases(CaseQuery()).total
            func refused(_ body: [String: Any], field: String, as user: String = "partner", status: HTTPResponse.Status = .unprocessableContent) async throws {
                let r = try await api.send(.post, "/api/v1/hotline/orders", as: user, json: body)
                #expect(r.status == status, "\(r)")
                if status == .unprocessableContent { #expect(r.errorField == field, "\(r)") }
            }
            var noTicket = Self.order(api, ticket: "x", callback: nil)
            noTicket.removeValue(forKey: "ticketNumber")
            try await refused(noTicket, field: "ticketNumber")
            try await refused(Self.order(api, ticket: "", callback: nil), field: "ticketNumber")
            try await refused(Self.order(api, ticket: "RX 1; drop", callback: nil), field: "ticketNumber")
            try await refused(Self.order(api, ticket: "RX-2", callback: nil, ["category": "外星人入侵"]), field: "category")
            try await refused(Self.order(api, ticket: "RX-3", callback: "ftp://example.test/cb"), field: "callbackURL")
            try await refused(Self.order(api, ticket: "RX-4", callback: nil, ["lat": NSNull()]), field: "lat")
            try await refused(Self.order(api, ticket: "RX-5", callback: nil, ["deadline": "next friday"]), field: "deadline")
            try await refused(Self.order(api, ticket: "RX-6", callback: nil, ["callerPhone": "call me"]), field: "reporterPhone")
            try await refused(Self.order(api, ticket: "RX-7", callback: nil), field: "", as: "citizen", status: .forbidden)
            #expect(try await api.city.store.cases(CaseQuery()).total == before)
        }
    }

    /// The same problem through Open311, the hotline and an inspector ends as one case, every reporter linked and told.
    @Test func oneProblemFromThreeChannelsEndsAsOneCase() async throws {
        try await Self.withReceiver(failures: 0) { receiver, url in
            try await TestCity.serve(callbacks: TestCity.loopbackCallbacks) { api in
                let p = api.city.point
                let key = try await Open311APITests.key(api)
                let o311 = try await Open311APITests.post(
                    api, "/requests.json", Open311APITests.fields(api, ["api_key": key, "email": "li@example.cn", "first_name": "李"]))
                let o311Number = try #require(o311.string("0.service_request_id"), "\(o311)")
                let hot = try await api.send(.post, "/api/v1/hotline/orders", as: "partner", json: Self.order(api, ticket: "RX-DUP-1", callback: url))
                #expect(hot.objects("duplicates").contains { $0["number"] as? String == o311Number }, "\(hot)")
                let inspector = try await api.report(as: "inspector", garbageReport(at: p))
                let target = try #require(inspector.string("case.id"))
                #expect(inspector.objects("duplicates").count >= 2, "\(inspector)")

                // The operator merges both public reports into the inspector's case.
                let o311Case = try await api.get("/api/v1/cases/\(o311Number)", as: "operator")
                for id in [try #require(o311Case.string("case.id")), try #require(hot.string("case.id"))] {
                    _ = try await api.step("merge", id, as: "operator", ["targetCaseID": target, "comment": "同一问题"])
                }
                let merged = try await api.get("/api/v1/cases/\(target)", as: "operator")
                let sources = Set(merged.objects("case.reporters").compactMap { $0["source"] as? String })
                #expect(sources == ["inspector", "citizen", "hotline"], "\(merged)")
                // Open311 now shows the request as closed into the one case.
                let status = try await api.get(Open311APITests.base + "/requests/\(o311Number).json")
                #expect(status.string("0.status") == "closed")
                #expect(status.string("0.status_notes") == "与同一问题的其他反映合并办理")

                // Dispatching the one case tells the citizen and calls the hotline back.
                _ = try await api.step("file", target, as: "shiftlead")
                await Self.drain(api) { await receiver.states.contains("dispatched") }
                #expect(await receiver.states.contains("merged"))
                #expect(await receiver.states.contains("dispatched"))
                let notices = try await api.city.store.queuedNotices(limit: 100)
                let citizen = notices.filter { $0.notice.recipient.email == "li@example.cn" }.map(\.notice.kind)
                #expect(citizen.contains(.mergedInto) && citizen.contains(.dispatched), "\(citizen)")
            }
        }
    }
}
