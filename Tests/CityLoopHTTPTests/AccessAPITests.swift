import CityLoopDomain
import Foundation
import Hummingbird
import Testing

/// Who sees what: idempotent intake, personal data masking, department scope, duplicates and merging.
@Suite struct AccessAPITests {
    static func hotlineReport(at p: GeoPoint, _ extra: [String: Any] = [:]) -> [String: Any] {
        garbageReport(at: p, ["source": "hotline", "reporterName": "张三丰", "reporterPhone": "13812345678"].merging(extra) { _, b in b })
    }

    @Test func sameClientRequestIDStoresOneCase() async throws {
        try await TestCity.serve { api in
            let before = try await api.caseCount()
            let body = garbageReport(at: api.city.point, ["clientRequestID": "phone-7f3a-0001"])
            let first = try await api.report(as: "citizen", body)
            #expect(first.status == .created, "\(first)")
            #expect(first["created"] as? Bool == true)
            let second = try await api.report(as: "citizen", body)
            #expect(second.status == .ok, "\(second)")
            #expect(second["created"] as? Bool == false)
            #expect(second.string("case.id") == first.string("case.id"))
            #expect(second.string("case.number") == first.string("case.number"))
            #expect(try await api.caseCount() == before + 1)
            let page = try await api.get("/api/v1/cases?source=citizen&limit=1000", as: "citizen")
            #expect(page.objects("items").filter { $0["clientRequestID"] as? String == "phone-7f3a-0001" }.count == 1)

            let empty = try await api.report(as: "citizen", garbageReport(at: api.city.point, ["clientRequestID": ""]))
            #expect(empty.status == .unprocessableContent)
            #expect(empty.errorField == "clientRequestID")
            #expect(try await api.caseCount() == before + 1)
        }
    }

    @Test func clientRequestIDOfAnotherUserDoesNotReturnTheirCase() async throws {
        try await TestCity.serve { api in
            let mine = try await api.report(as: "citizen", garbageReport(at: api.city.point, ["clientRequestID": "req-1"]))
            #expect(mine.status == .created)
            // The partner system happens to use the same request ID for a different report.
            let theirs = try await api.report(
                as: "partner", garbageReport(at: api.city.point, ["clientRequestID": "req-1", "description": "井盖缺失", "matterCode": "01002"]))
            #expect(theirs.string("case.id") != mine.string("case.id"), "\(theirs)")
            #expect(theirs.status == .created)
        }
    }

    @Test func personalDataIsMaskedForRolesThatDoNotNeedIt() async throws {
        try await TestCity.serve { api in
            let r = try await api.report(as: "operator", Self.hotlineReport(at: api.city.point))
            #expect(r.status == .created, "\(r)")
            #expect(r.string("case.source") == "hotline")
            #expect(r.string("case.reporters.0.name") == "张三丰")
            #expect(r.string("case.reporters.0.phone") == "13812345678")
            let id = try #require(r.string("case.id"))

            for user in ["operator", "shiftlead", "admin"] {
                let d = try await api.get("/api/v1/cases/\(id)", as: user)
                #expect(d.status == .ok)
                #expect(d.string("case.reporters.0.phone") == "13812345678", "\(user)")
                #expect(d.string("case.reporters.0.name") == "张三丰", "\(user)")
            }
            for user in ["dispatcher", "leader"] {
                let d = try await api.get("/api/v1/cases/\(id)", as: user)
                #expect(d.status == .ok)
                #expect(d.string("case.reporters.0.phone") == "138****5678", "\(user)")
                #expect(d.string("case.reporters.0.name") == "张**", "\(user)")
                #expect(!d.data.contains(Data("13812345678".utf8)), "\(user) sees the phone somewhere: \(d)")
                let list = try await api.get("/api/v1/cases?source=hotline&limit=1000", as: user)
                let item = try #require(list.objects("items").first { $0["id"] as? String == id })
                let reporter = (item["reporters"] as? [[String: Any]])?.first
                #expect(reporter?["phone"] as? String == "138****5678")
                #expect(!list.data.contains(Data("13812345678".utf8)))
            }
            // Every read that showed the caller's data unmasked is on record; masked reads are not.
            let listed = try await api.get("/api/v1/cases?source=hotline&limit=1000", as: "shiftlead")
            #expect(listed.status == .ok)
            let reads = try await api.city.accessLog.reads()
            #expect(reads.filter { $0.purpose == "case.detail" }.map(\.role) == [.operator, .shiftLead, .admin], "\(reads)")
            #expect(reads.filter { $0.purpose == "case.detail" }.allSatisfy { $0.caseIDs.map(\.rawValue) == [id] })
            let listRead = try #require(reads.last)
            #expect(listRead.purpose == "case.list" && listRead.role == .shiftLead && listRead.caseIDs.map(\.rawValue).contains(id))
            #expect(!reads.contains { $0.role == .dispatcher || $0.role == .leader })
        }
    }

    @Test func handlersSeeOnlyTheirDepartmentsCases() async throws {
        try await TestCity.serve { api in
            let pending = try await api.newCase(as: "operator", Self.hotlineReport(at: api.city.point))
            let notYet = try await api.get("/api/v1/cases/\(pending)", as: "handler")
            #expect([.forbidden, .notFound].contains(notYet.status), "\(notYet)")
            #expect(!notYet.data.contains(Data("13812345678".utf8)))

            let id = try await api.dispatchedCase()
            let own = try await api.get("/api/v1/cases/\(id)", as: "handler")
            #expect(own.status == .ok)
            #expect(own.array("availableActions") as? [String] == ["accept", "request_return", "request_extension"])
            let other = try await api.get("/api/v1/cases/\(id)", as: "handler-enforcement")
            #expect([.forbidden, .notFound].contains(other.status), "\(other)")
            #expect(other.errorCode != nil)
            let dup = try await api.get("/api/v1/cases/\(id)/duplicates", as: "handler-enforcement")
            #expect([.forbidden, .notFound].contains(dup.status))

            let list = try await api.get("/api/v1/cases?limit=1000", as: "handler-enforcement")
            #expect(list.status == .ok)
            #expect(!list.objects("items").contains { $0["id"] as? String == id })
            #expect(list.objects("items").allSatisfy { $0["leadDepartmentID"] as? String == "enforcement"
                || ($0["assistingDepartmentIDs"] as? [String])?.contains("enforcement") == true })
            let mine = try await api.get("/api/v1/cases?limit=1000", as: "handler")
            #expect(mine.objects("items").contains { $0["id"] as? String == id })

            // The citizen sees their own reports only.
            let citizenList = try await api.get("/api/v1/cases?limit=1000", as: "citizen")
            let citizenItems = citizenList.objects("items")
            #expect(citizenItems.contains { $0["id"] as? String == id })
            #expect(!citizenItems.contains { $0["id"] as? String == pending })
            #expect(citizenItems.allSatisfy { item in
                (item["reporters"] as? [[String: Any]])?.contains { $0["userID"] as? String == "u-citizen" } == true
            })
            #expect(try await api.get("/api/v1/cases/\(pending)", as: "citizen").status.code / 100 == 4)
        }
    }

    @Test func duplicateReportIsOfferedAndMerged() async throws {
        try await TestCity.serve { api in
            let p = api.city.point
            let first = try await api.newCase(as: "operator", Self.hotlineReport(at: p))
            let near = p.offset(eastMetres: 6, northMetres: 8)  // 10 m away
            let second = try await api.report(as: "citizen", garbageReport(at: near))
            #expect(second.status == .created)
            let secondID = try #require(second.string("case.id"))
            // The citizen is not shown another reporter's case number and state; staff see the candidate.
            #expect(second.objects("duplicates").isEmpty, "\(second)")
            #expect(try await api.get("/api/v1/cases/\(secondID)/duplicates", as: "citizen").objects("").isEmpty)
            let listed = try await api.get("/api/v1/cases/\(secondID)/duplicates", as: "operator")
            let dup = try #require(listed.objects("").first { $0["caseID"] as? String == first })
            let metres = try #require(dup["distanceMetres"] as? Double)
            #expect(abs(metres - 10) < 0.5)
            #expect(dup["state"] as? String == "pending_verification")

            // Another matter at the same spot is not a duplicate.
            let other = try await api.report(as: "citizen", garbageReport(at: near, ["matterCode": "06011"]))
            #expect(!other.objects("duplicates").contains { $0["caseID"] as? String == first })

            let noTarget = try await api.act("merge", secondID, as: "operator")
            #expect(noTarget.status == .unprocessableContent)
            #expect(noTarget.errorField == "targetCaseID")
            let byCitizen = try await api.act("merge", secondID, as: "citizen", ["targetCaseID": first])
            #expect(byCitizen.status == .forbidden)

            let merged = try await api.step("merge", secondID, as: "operator", ["targetCaseID": first, "comment": "重复上报"])
            #expect(merged.string("case.state") == "merged")
            #expect(merged.string("case.duplicateOf") == first)

            let target = try await api.get("/api/v1/cases/\(first)", as: "operator")
            #expect(target.string("case.state") == "pending_verification")
            // Both reporters are told: the citizen which case carries their report now, the hotline caller
            // that another report joined theirs.
            await api.city.platform.notices.deliverDue()
            let notices = try await api.city.notices.notices()
            #expect(notices.count == 2, "\(notices)")
            let toCitizen = try #require(notices.first { $0.recipient.userID == "u-citizen" })
            #expect(toCitizen.kind == .mergedInto && toCitizen.caseID.rawValue == first)
            #expect(toCitizen.textZh.contains(target.string("case.number") ?? "?") && toCitizen.textEn.contains("merged"))
            let toCaller = try #require(notices.first { $0.recipient.phone == "13812345678" })
            #expect(toCaller.kind == .reportLinked && toCaller.caseNumber == target.string("case.number"))
            #expect(target.array("case.reporters").count == 2)
            #expect(target.string("case.reporters.1.userID") == "u-citizen")
            #expect(target.string("case.reporters.1.caseID") == secondID)
            let link = try #require(target.objects("timeline").last)
            #expect(link["action"] as? String == "link_report")
            #expect((link["details"] as? [String: String])?["mergedCase"] == secondID)

            // The citizen now follows the case their report was merged into, without the hotline caller's data.
            let asCitizen = try await api.get("/api/v1/cases/\(first)", as: "citizen")
            #expect(asCitizen.status == .ok, "\(asCitizen)")
            #expect(asCitizen.string("case.reporters.0.phone") == "138****5678")
            #expect(asCitizen.string("case.reporters.1.userID") == "u-citizen")

            // A merged case is no longer offered as a duplicate, and cannot be merged again; the citizen, now one of
            // the first case's reporters, sees it offered.
            let third = try await api.report(as: "citizen", garbageReport(at: near))
            #expect(!third.objects("duplicates").contains { $0["caseID"] as? String == secondID })
            #expect(third.objects("duplicates").contains { $0["caseID"] as? String == first })
            let twice = try await api.act("merge", secondID, as: "operator", ["targetCaseID": first])
            #expect(twice.status == .conflict)
            let verify = try await api.get("/api/v1/verify", as: "admin")
            #expect(verify.array("problems").isEmpty, "\(verify)")
        }
    }

    @Test func signedOutOrDeactivatedTokensStopWorking() async throws {
        try await TestCity.serve { api in
            let wrong = try await api.send(.post, "/api/v1/auth/login", json: ["username": "operator", "password": "nope-nope-1"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.errorCode == "auth.invalid_credentials")
            #expect(try await api.get("/api/v1/me", as: "operator").string("role") == "operator")
            let token = try await api.token("operator")
            let bearer: HTTPFields = [.authorization: "Bearer \(token)"]
            let out = try await api.send(.post, "/api/v1/auth/logout", headers: bearer)
            #expect(out.status == .noContent)
            let after = try await api.send(.get, "/api/v1/me", headers: bearer)
            #expect(after.status == .unauthorized)
            #expect(after.errorCode == "auth.invalid_token")

            #expect(try await api.get("/api/v1/me", as: "dispatcher").status == .ok)
            let off = try await api.send(
                .post, "/api/v1/users", as: "admin",
                json: ["username": "dispatcher", "displayName": "派遣员 刘洋", "role": "dispatcher", "active": false])
            #expect(off.status == .ok, "\(off)")
            #expect(try await api.get("/api/v1/me", as: "dispatcher").status == .unauthorized)
        }
    }
}
