import CityLoopDomain
import Foundation
import Hummingbird
import Testing

/// The closed loop through HTTP, as the people doing each step see it.
@Suite struct CaseLoopAPITests {
    @Test func wholeLoopFromCitizenReportToClose() async throws {
        try await TestCity.serve { api in
            let before = try await api.caseCount()
            let reported = try await api.report(as: "citizen", garbageReport(at: api.city.point))
            #expect(reported.status == .created, "\(reported)")
            #expect(reported.string("case.state") == "pending_verification")
            #expect(reported.string("case.matterCode") == "06010")
            #expect(reported.string("case.placement.districtCode") == "410102")
            #expect(reported["created"] as? Bool == true)
            let id = try #require(reported.string("case.id"))
            #expect(try await api.caseCount() == before + 1)

            // The reporter's tracking code shows the progress to anyone holding it, signed in or not.
            let code = try #require(reported.string("trackingCode"))
            #expect(code.hasPrefix(reported.string("case.number") ?? "?"))
            let tracked = try await api.get("/api/v1/track/\(code)")
            #expect(tracked.status == .ok, "\(tracked)")
            #expect(tracked.string("state") == "pending_verification" && tracked.string("stateZh") == "待核实")
            #expect(tracked.objects("steps").map { $0["textZh"] as? String } == ["已收到您反映的问题"])
            for forged in [String(code.dropLast()) + (code.hasSuffix("0") ? "1" : "0"), "E000", "x"] {
                let refused = try await api.get("/api/v1/track/\(forged)")
                #expect(refused.status == .notFound && refused.errorField == "code", "\(forged): \(refused)")
            }

            let verified = try await api.step("verify", id, as: "inspector")
            #expect(verified.string("case.state") == "pending_filing")

            let filed = try await api.step("file", id, as: "shiftlead")
            #expect(filed.string("case.state") == "dispatched")
            #expect(filed.string("case.leadDepartmentID") == "sanitation")
            #expect(filed.date("case.handlingDueAt") != nil)

            let accepted = try await api.step("accept", id, as: "handler")
            #expect(accepted.string("case.state") == "in_progress")

            let png = tinyPNG()
            let upload = try await api.send(.post, "/api/v1/media", as: "handler", raw: png, headers: [.contentType: "image/png"])
            #expect(upload.status == .created, "\(upload)")
            #expect(upload.string("contentType") == "image/png")
            #expect(upload.int("size") == png.count)
            let mediaID = try #require(upload.string("id"))
            let download = try await api.get("/api/v1/media/\(mediaID)", as: "operator")
            #expect(download.status == .ok)
            #expect(download.data == png)
            #expect(download.headers[.contentType] == "image/png")

            let handled = try await api.step("report_handled", id, as: "handler", ["evidence": [mediaID], "comment": "已清理"])
            #expect(handled.string("case.state") == "handled")

            let sent = try await api.step("send_check", id, as: "operator")
            #expect(sent.string("case.state") == "pending_check")
            let checked = try await api.step("check_pass", id, as: "inspector")
            #expect(checked.string("case.state") == "pending_close")
            let closed = try await api.step("close", id, as: "shiftlead")
            #expect(closed.string("case.state") == "closed")
            #expect(closed.date("case.closedAt") != nil)
            #expect(closed.array("availableActions").isEmpty)

            // The citizen heard back when the case was filed and dispatched, and when it was closed; nothing
            // for the steps in between.
            await api.city.platform.notices.deliverDue()
            let notices = try await api.city.notices.notices().filter { $0.caseID.rawValue == id }
            #expect(notices.map(\.kind) == [.dispatched, .closed])
            #expect(notices.allSatisfy { $0.recipient.userID == "u-citizen" && $0.caseNumber == closed.string("case.number") })
            #expect(notices.first?.textZh.contains("市环境卫生管理处") == true, "\(notices)")
            #expect(notices.first?.textEn.contains("accepted as case") == true)

            // The citizen rates the result; dissatisfied, the shift lead finds it and sends it back to dispatch.
            let unrated = try await api.act("rate", id, as: "citizen", ["satisfaction": "so-so"])
            #expect(unrated.status == .unprocessableContent && unrated.errorField == "satisfaction", "\(unrated)")
            let rated = try await api.step("rate", id, as: "citizen", ["satisfaction": "dissatisfied", "comment": "还有残留"])
            #expect(rated.string("case.state") == "closed" && rated.string("case.satisfaction") == "dissatisfied")
            #expect(try await api.act("rate", id, as: "citizen", ["satisfaction": "satisfied"]).status == .conflict)
            let toReview = try await api.get("/api/v1/cases?satisfaction=dissatisfied&state=closed", as: "shiftlead")
            #expect(toReview.objects("items").map { $0["id"] as? String } == [id], "\(toReview)")
            #expect(try await api.get("/api/v1/cases?satisfaction=dissatisfied", as: "citizen").objects("items").count == 1)
            #expect(try await api.get("/api/v1/cases?satisfaction=meh", as: "shiftlead").errorField == "satisfaction")
            let reopened = try await api.step("reopen", id, as: "shiftlead", ["comment": "市民反映仍有残留，重新派遣"])
            #expect(reopened.string("case.state") == "pending_dispatch")
            await api.city.platform.notices.deliverDue()
            #expect(try await api.city.notices.notices().last { $0.caseID.rawValue == id }?.kind == .reopened)
            let redispatched = try await api.step("dispatch", id, as: "dispatcher")
            #expect(redispatched.string("case.state") == "dispatched")

            // In plain words, internal steps left out, no staff names or phone numbers anywhere.
            let progress = try await api.get("/api/v1/track/\(code)")
            #expect(progress.objects("steps").map { $0["action"] as? String ?? "-" } == [
                "report", "verify", "file", "dispatch", "accept", "report_handled", "check_pass", "close", "rate", "reopen", "dispatch",
            ])
            #expect(progress.objects("steps")[3]["textZh"] as? String == "已派遣至市环境卫生管理处")
            #expect(progress.string("matterName")?.isEmpty == false)
            let text = String(decoding: progress.data, as: UTF8.self)
            #expect(!text.contains("shiftlead") && !text.contains("u-citizen") && !text.contains("138"), "\(text)")

            let detail = try await api.get("/api/v1/cases/\(id)", as: "leader")
            #expect(detail.status == .ok)
            let steps = detail.objects("timeline").map { e in
                ["action", "actorName", "actorRole", "fromState", "toState"].map { e[$0] as? String ?? "-" }.joined(separator: " ")
            }
            #expect(steps == [
                "report citizen citizen - pending_verification",
                "verify inspector inspector pending_verification pending_filing",
                "file shiftlead shiftlead pending_filing pending_dispatch",
                "dispatch system system pending_dispatch dispatched",
                "accept handler handler dispatched in_progress",
                "report_handled handler handler in_progress handled",
                "send_check operator operator handled pending_check",
                "check_pass inspector inspector pending_check pending_close",
                "close shiftlead shiftlead pending_close closed",
                "rate citizen citizen closed closed",
                "reopen shiftlead shiftlead closed pending_dispatch",
                "dispatch dispatcher dispatcher pending_dispatch dispatched",
            ])
            let handledEvent = detail.objects("timeline").first { $0["action"] as? String == "report_handled" }
            #expect(handledEvent?["evidence"] as? [String] == [mediaID])
            #expect(detail.objects("timeline").allSatisfy { ($0["hash"] as? String)?.count == 64 })
            #expect(detail.array("areaNames").count == 3)

            let verify = try await api.get("/api/v1/verify", as: "admin")
            #expect(verify.status == .ok)
            #expect(verify.array("problems").isEmpty, "\(verify)")
            #expect(verify.int("cases") == before + 1)
        }
    }

    @Test func reworkAfterFailedCheck() async throws {
        try await TestCity.serve { api in
            let id = try await api.dispatchedCase()
            try await api.step("accept", id, as: "handler")
            try await api.step("report_handled", id, as: "handler", ["comment": "已清理"])
            try await api.step("send_check", id, as: "operator")

            let noReason = try await api.act("check_fail", id, as: "inspector")
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.errorField == "comment")

            let failed = try await api.step("check_fail", id, as: "inspector", ["comment": "垃圾仍未清理"])
            #expect(failed.string("case.state") == "in_progress")
            #expect(failed.int("case.reworkCount") == 1)
            #expect(failed.string("case.leadDepartmentID") == "sanitation")
            let last = try #require(failed.objects("timeline").last)
            #expect(last["action"] as? String == "check_fail")
            #expect(last["comment"] as? String == "垃圾仍未清理")
            #expect((last["details"] as? [String: String])?["rework"] == "1")
            #expect(failed.array("availableActions").isEmpty)

            // The handler sees the rework as their task again and can finish it.
            let asHandler = try await api.get("/api/v1/cases/\(id)", as: "handler")
            #expect((asHandler.array("availableActions") as? [String])?.contains("report_handled") == true)
            try await api.step("report_handled", id, as: "handler", ["comment": "已彻底清理"])
            try await api.step("send_check", id, as: "operator")
            try await api.step("check_pass", id, as: "inspector")
            let closed = try await api.step("close", id, as: "shiftlead")
            #expect(closed.string("case.state") == "closed")
            #expect(closed.int("case.reworkCount") == 1)
        }
    }

    @Test func extensionRequestedByHandlerApprovedByDispatcher() async throws {
        try await TestCity.serve { api in
            let id = try await api.dispatchedCase()
            let accepted = try await api.step("accept", id, as: "handler")
            let due = try #require(accepted.date("case.handlingDueAt"))

            let bad = try await api.act("request_extension", id, as: "handler", ["extensionHours": 0])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.errorField == "extensionHours")
            let mistyped = try await api.act("request_extension", id, as: "handler", ["extensionHours": "eight"])
            #expect(mistyped.status == .unprocessableContent)
            #expect(mistyped.errorField == "extensionHours")

            let requested = try await api.step("request_extension", id, as: "handler", ["extensionHours": 8, "comment": "需要机械清运"])
            #expect(requested.int("case.pendingExtensionHours") == 8)
            #expect(requested.string("case.state") == "in_progress")
            #expect(requested.date("case.handlingDueAt") == due)

            let byHandler = try await api.act("approve_extension", id, as: "handler")
            #expect(byHandler.status == .forbidden)

            let approved = try await api.step("approve_extension", id, as: "dispatcher")
            let newDue = try #require(approved.date("case.handlingDueAt"))
            #expect(newDue > due)
            // 8 working hours is one working day (08:30–12:00, 13:30–18:00): the same time next working day.
            #expect(newDue == due.addingTimeInterval(86400))
            #expect(approved.date("case.stepDueAt") == newDue)
            #expect(approved["case.pendingExtensionHours"] == nil)
            #expect(approved.int("case.extensionCount") == 1)
            #expect(approved.string("case.state") == "in_progress")

            let again = try await api.act("approve_extension", id, as: "dispatcher")
            #expect(again.status == .conflict)
            #expect(again.errorCode == "extension.none")

            let verify = try await api.get("/api/v1/verify", as: "admin")
            #expect(verify.array("problems").isEmpty, "\(verify)")
        }
    }
}
