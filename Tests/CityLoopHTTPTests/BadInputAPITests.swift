import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import Testing

/// Bad requests: each is a 4xx whose JSON error names the problem, and nothing is written.
@Suite struct BadInputAPITests {
    /// Requires the JSON error shape and returns the reply for further checks.
    @discardableResult
    static func expectError(
        _ r: Reply, _ status: HTTPResponse.Status, code: String? = nil, field: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Reply {
        #expect(r.status == status, "\(r)", sourceLocation: sourceLocation)
        #expect(r.headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
        #expect(r.errorCode?.isEmpty == false, "error.code missing: \(r)", sourceLocation: sourceLocation)
        #expect(!r.errorMessage.isEmpty, "error.message missing: \(r)", sourceLocation: sourceLocation)
        if let code { #expect(r.errorCode == code, "\(r)", sourceLocation: sourceLocation) }
        if let field { #expect(r.errorField == field, "\(r)", sourceLocation: sourceLocation) }
        return r
    }

    @Test func badReportsAreRefusedAndNothingIsStored() async throws {
        try await TestCity.serve { api in
            let before = try await api.caseCount()
            let p = api.city.point
            let counts = try await api.get("/api/v1/cases/counts", as: "admin")

            let malformed = try await api.send(.post, "/api/v1/cases", as: "citizen", raw: Data("{\"matterCode\": \"06010\",".utf8))
            Self.expectError(malformed, .unprocessableContent, code: "body.malformed_json", field: "body")
            let empty = try await api.send(.post, "/api/v1/cases", as: "citizen")
            Self.expectError(empty, .unprocessableContent, code: "body.empty", field: "body")

            var noDescription = garbageReport(at: p)
            noDescription["description"] = nil
            Self.expectError(try await api.report(as: "citizen", noDescription), .unprocessableContent, field: "description")
            Self.expectError(
                try await api.report(as: "citizen", garbageReport(at: p, ["description": "   "])), .unprocessableContent,
                field: "description")
            Self.expectError(
                try await api.report(as: "citizen", garbageReport(at: p, ["description": String(repeating: "脏", count: 4001)])),
                .unprocessableContent, field: "description")

            let outside = try await api.report(as: "citizen", garbageReport(at: GeoPoint(lat: 39.9, lon: 116.4)))
            Self.expectError(outside, .unprocessableContent, code: "location.outside_city", field: "lat")
            #expect(outside.errorMessage.contains("39.9"))
            let notWGS84 = try await api.report(as: "citizen", garbageReport(at: GeoPoint(lat: 123, lon: 500)))
            Self.expectError(notWGS84, .unprocessableContent, field: "lat")
            let latAsText = try await api.report(as: "citizen", garbageReport(at: p, ["lat": "north"]))
            Self.expectError(latAsText, .unprocessableContent, code: "body.wrong_type", field: "lat")

            let unknownMatter = try await api.report(as: "citizen", garbageReport(at: p, ["matterCode": "99999"]))
            Self.expectError(unknownMatter, .unprocessableContent, code: "matter.unknown", field: "matterCode")
            #expect(unknownMatter.errorMessage.contains("99999"))

            let missingEvidence = try await api.report(as: "citizen", garbageReport(at: p, ["evidence": [String(repeating: "a", count: 64)]]))
            Self.expectError(missingEvidence, .unprocessableContent, code: "media.not_found", field: "evidence")
            let badPhone = try await api.report(as: "operator", garbageReport(at: p, ["source": "hotline", "reporterPhone": "call me"]))
            Self.expectError(badPhone, .unprocessableContent, field: "reporterPhone")
            let wrongSource = try await api.report(as: "citizen", garbageReport(at: p, ["source": "sensor"]))
            Self.expectError(wrongSource, .unprocessableContent, field: "source")
            let selfHandled = try await api.report(as: "citizen", garbageReport(at: p, ["selfHandled": true]))
            Self.expectError(selfHandled, .unprocessableContent, field: "selfHandled")

            Self.expectError(try await api.send(.post, "/api/v1/cases", json: garbageReport(at: p)), .unauthorized, code: "auth.required")
            let badToken = try await api.send(
                .post, "/api/v1/cases", json: garbageReport(at: p), headers: [.authorization: "Bearer not-a-real-token"])
            Self.expectError(badToken, .unauthorized, code: "auth.invalid_token")
            #expect(badToken.headers[.wwwAuthenticate] == "Bearer")
            let basic = try await api.send(.get, "/api/v1/cases", headers: [.authorization: "Basic Y2l0aXplbjp4"])
            Self.expectError(basic, .unauthorized, code: "auth.scheme")
            Self.expectError(try await api.report(as: "handler", garbageReport(at: p)), .forbidden)

            #expect(try await api.caseCount() == before)
            let countsAfter = try await api.get("/api/v1/cases/counts", as: "admin")
            #expect(countsAfter.data == counts.data)
        }
    }

    @Test func badUploadsAreRefusedAndNothingIsStored() async throws {
        try await TestCity.serve { api in
            // (the demo's camera snapshots are stored already)
            func storedFiles() -> Set<String> {
                Set(
                    FileManager.default.enumerator(atPath: api.city.folder.appendingPathComponent("media").path)?
                        .compactMap { $0 as? String }.filter { !$0.hasSuffix(".type") && $0.count > 2 } ?? [])
            }
            let before = storedFiles()
            // A PNG signature followed by more than 10 MiB: refused for its size, whatever its type.
            var huge = tinyPNG()
            huge.append(Data(repeating: 0, count: MediaRules.defaultMaxBytes))
            let tooLarge = try await api.send(.post, "/api/v1/media", as: "handler", raw: huge, headers: [.contentType: "image/png"])
            Self.expectError(tooLarge, .contentTooLarge)
            #expect(try await api.city.platform.media.exists(SHA256Hasher.hex(huge)) == false)

            let text = Data("this is not an image, whatever the header says".utf8)
            let notImage = try await api.send(.post, "/api/v1/media", as: "handler", raw: text, headers: [.contentType: "image/jpeg"])
            Self.expectError(notImage, .unsupportedMediaType, code: "media.unsupported_type", field: "file")
            #expect(try await api.city.platform.media.exists(SHA256Hasher.hex(text)) == false)
            let missing = try await api.get("/api/v1/media/\(SHA256Hasher.hex(text))", as: "operator")
            Self.expectError(missing, .notFound)

            Self.expectError(try await api.send(.post, "/api/v1/media", as: "handler"), .unprocessableContent, field: "file")
            Self.expectError(try await api.send(.post, "/api/v1/media", raw: tinyPNG()), .unauthorized)
            let stored = storedFiles().subtracting(before)
            #expect(stored.isEmpty, "\(stored)")
        }
    }

    @Test func badActionsAreRefusedAndTheCaseIsUnchanged() async throws {
        try await TestCity.serve { api in
            let id = try await api.dispatchedCase()
            let before = try await api.get("/api/v1/cases/\(id)", as: "admin")
            let count = try await api.caseCount()

            let wrongState = try await api.act("check_pass", id, as: "inspector")
            Self.expectError(wrongState, .conflict, code: "case.invalid_transition")
            #expect(wrongState.errorMessage.contains("dispatched"))

            let otherDepartment = try await api.act("accept", id, as: "handler-enforcement")
            Self.expectError(otherDepartment, .forbidden)
            let wrongRole = try await api.act("accept", id, as: "operator")
            Self.expectError(wrongRole, .forbidden, code: "action.role")

            let unknown = try await api.act("approve_everything", id, as: "dispatcher")
            Self.expectError(unknown, .unprocessableContent, field: "action")
            #expect(unknown.errorMessage.contains("approve_everything"))
            let linkReport = try await api.act("link_report", id, as: "operator")
            Self.expectError(linkReport, .unprocessableContent, field: "action")

            let malformed = try await api.send(.post, "/api/v1/cases/\(id)/actions/accept", as: "handler", raw: Data("{oops".utf8))
            Self.expectError(malformed, .unprocessableContent, code: "body.malformed_json")
            let noSuchCase = try await api.act("accept", "no-such-case", as: "handler")
            Self.expectError(noSuchCase, .notFound)
            let noToken = try await api.send(.post, "/api/v1/cases/\(id)/actions/accept")
            Self.expectError(noToken, .unauthorized)
            let badToken = try await api.send(.post, "/api/v1/cases/\(id)/actions/accept", headers: [.authorization: "Bearer forged"])
            Self.expectError(badToken, .unauthorized)
            let fakeEvidence = try await api.act(
                "report_handled", id, as: "handler", ["evidence": [String(repeating: "b", count: 64)]])
            // The case is only dispatched: the wrong state is reported before the unknown evidence.
            Self.expectError(fakeEvidence, .conflict, code: "case.invalid_transition")

            let after = try await api.get("/api/v1/cases/\(id)", as: "admin")
            #expect(after.data == before.data)
            #expect(try await api.caseCount() == count)
        }
    }

    @Test func citizenMayNotFile() async throws {
        try await TestCity.serve { api in
            let id = try await api.newCase(as: "citizen", garbageReport(at: api.city.point))
            try await api.step("verify", id, as: "inspector")
            let filed = try await api.act("file", id, as: "citizen")
            Self.expectError(filed, .forbidden, code: "action.role")
            #expect(filed.errorMessage.contains("citizen"))
            let detail = try await api.get("/api/v1/cases/\(id)", as: "citizen")
            #expect(detail.string("case.state") == "pending_filing")
            #expect(detail.array("timeline").count == 2)
            #expect(detail.array("availableActions").isEmpty)
        }
    }

    @Test func citizenFilingTheirFreshReportIsForbiddenNotAStateConflict() async throws {
        try await TestCity.serve { api in
            let id = try await api.newCase(as: "citizen", garbageReport(at: api.city.point))
            let filed = try await api.act("file", id, as: "citizen")
            #expect(filed.status.code / 100 == 4)
            // A citizen may never file: the refusal should say so (403), not reveal the case's workflow state.
            #expect(filed.status == .forbidden, "\(filed)")
            #expect(try await api.get("/api/v1/cases/\(id)", as: "citizen").string("case.state") == "pending_verification")
        }
    }
}
