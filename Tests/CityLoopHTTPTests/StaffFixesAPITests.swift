import CityLoopDomain
import Foundation
import Hummingbird
import Testing

/// Smaller things staff and reporters hit (issue 13 §6).
@Suite struct StaffFixesAPITests {
    @Test func aMergeNamesItsTargetByCaseNumber() async throws {
        try await TestCity.serve { api in
            let target = try await api.newCase(as: "inspector", garbageReport(at: api.city.point))
            let targetNumber = try #require(try await api.get("/api/v1/cases/\(target)", as: "operator").string("case.number"))
            let duplicate = try await api.newCase(as: "citizen", garbageReport(at: api.city.point, ["description": "同一处垃圾"]))
            // MUT
            let merged = try await api.step("merge", duplicate, as: "operator", ["targetCaseID": targetNumber, "comment": "同一问题"])
            // validate
            #expect(merged.string("case.state") == "merged")
            #expect(merged.string("case.duplicateOf") == target, "\(merged)")
            let shown = try await api.get("/api/v1/cases/\(target)", as: "operator")
            #expect(shown.objects("case.reporters").contains { $0["source"] as? String == "citizen" }, "\(shown)")
            let unknown = try await api.act("merge", try await api.newCase(as: "citizen", garbageReport(at: api.city.point)), as: "operator",
                                            ["targetCaseID": "E060102099010100001"])
            BadInputAPITests.expectError(unknown, .unprocessableContent, field: "targetCaseID")
        }
    }

    @Test func afterAnApprovedReturnTheDispatcherSeesWhoReturnedIt() async throws {
        try await TestCity.serve { api in
            let id = try await api.dispatchedCase()
            try await api.step("request_return", id, as: "handler", ["comment": "非本单位职责"])
            let approved = try await api.step("approve_return", id, as: "dispatcher")
            #expect(approved.string("case.state") == "pending_dispatch")
            #expect(approved.string("case.returnedByDepartmentID") == "sanitation", "\(approved)")
            let list = try await api.get("/api/v1/cases?state=pending_dispatch", as: "dispatcher")
            #expect(list.objects("items").first { $0["id"] as? String == id }?["returnedByDepartmentID"] as? String == "sanitation")
            let again = try await api.step("dispatch", id, as: "dispatcher", ["departmentID": "sanitation"])
            #expect(again["case.returnedByDepartmentID"] == nil, "cleared once dispatched again")
        }
    }

    @Test func theUnplacedQueueGivesTheReportAsJSON() async throws {
        try await TestCity.serve { api in
            var order = HotlineAPITests.order(api, ticket: "RX-NOWHERE-1", callback: nil)
            order["lat"] = nil
            order["lon"] = nil
            order["address"] = "幸福里小区后门"
            let queued = try await api.send(.post, "/api/v1/hotline/orders", as: "partner", json: order)
            #expect(queued.status == .accepted, "\(queued)")
            #expect(queued.string("input.description") == "市民来电：路口有垃圾堆放多日", "\(queued)")
            let queue = try await api.get("/api/v1/unplaced", as: "operator")
            let entry = try #require(queue.objects("").first { $0["id"] as? String == queued.string("id") }, "\(queue)")
            let input = try #require(entry["input"] as? [String: Any], "input is an object: \(entry)")
            #expect(input["ticket"] as? String == "RX-NOWHERE-1")
            #expect(input["address"] as? String == "幸福里小区后门")
        }
    }

    @Test func theTrackingPageSpeaksEnglishAndItsHolderRatesOnceWhenClosed() async throws {
        try await TestCity.serve { api in
            // setup: a hotline report, so the reporter has no account, only the code
            let hot = try await api.send(.post, "/api/v1/hotline/orders", as: "partner", json: HotlineAPITests.order(api, ticket: "RX-RATE-1", callback: nil))
            let id = try #require(hot.string("case.id"), "\(hot)")
            let code = try #require(hot.string("trackingCode"))
            let early = try await api.send(.post, "/api/v1/track/\(code)/rate", json: ["satisfaction": "satisfied"])
            BadInputAPITests.expectError(early, .conflict)
            let open = try await api.get("/api/v1/track/\(code)")
            #expect(open.string("stateEn") == "Awaiting verification", "\(open)")
            try await api.step("verify", id, as: "inspector")
            try await api.step("file", id, as: "shiftlead")
            try await api.step("accept", id, as: "handler")
            try await api.step("report_handled", id, as: "handler", ["comment": "已清理"])
            try await api.step("send_check", id, as: "operator")
            try await api.step("check_pass", id, as: "inspector")
            try await api.step("close", id, as: "shiftlead")
            // MUT
            let rated = try await api.send(.post, "/api/v1/track/\(code)/rate", json: ["satisfaction": "basically_satisfied", "comment": "还行"])
            // validate
            #expect(rated.status == .ok, "\(rated)")
            #expect(rated.string("satisfaction") == "basically_satisfied")
            #expect(rated.string("stateEn") == "Closed")
            #expect(rated.objects("steps").last?["action"] as? String == "rate")
            let twice = try await api.send(.post, "/api/v1/track/\(code)/rate", json: ["satisfaction": "dissatisfied"])
            BadInputAPITests.expectError(twice, .conflict, code: "case.rated")
            let wrong = try await api.send(.post, "/api/v1/track/NOT-A-CODE/rate", json: ["satisfaction": "satisfied"])
            BadInputAPITests.expectError(wrong, .notFound, code: "tracking.not_found")
            let bad = try await api.send(.post, "/api/v1/track/\(code)/rate", json: ["satisfaction": "meh"])
            BadInputAPITests.expectError(bad, .unprocessableContent, field: "satisfaction")
        }
    }

    @Test func aSignedInCitizensReportWithoutAPhoneUsesTheAccountsPhone() async throws {
        try await TestCity.serve { api in
            let r = try await api.report(as: "citizen", garbageReport(at: api.city.point))
            let id = try #require(r.string("case.id"))
            let shown = try await api.get("/api/v1/cases/\(id)", as: "admin")
            #expect(shown.string("case.reporters.0.phone") == "13912345678", "\(shown)")
            let given = try await api.report(as: "citizen", garbageReport(at: api.city.point, ["reporterPhone": "13600000000", "description": "另一处"]))
            let other = try await api.get("/api/v1/cases/\(try #require(given.string("case.id")))", as: "admin")
            #expect(other.string("case.reporters.0.phone") == "13600000000")
        }
    }
}
