import CityLoopDomain
import Foundation
import Hummingbird
import Testing

/// Text that once broke a case's history (issue 13 §1): control characters and lone surrogates are refused at the
/// edge naming the field, accepted text reads back exactly, and a 500 never commits a change.
@Suite struct TextInputAPITests {
    static func rawReport(_ api: API, description: String, extra: String = "") -> Data {
        let p = api.city.point
        return Data(#"{"matterCode":"06010","description":"\#(description)","lat":\#(p.lat),"lon":\#(p.lon)\#(extra)}"#.utf8)
    }

    static let json: HTTPFields = [.contentType: "application/json"]

    @Test func aNulInADescriptionIsRefusedNamingTheFieldAndNothingIsStored() async throws {
        try await TestCity.serve { api in
            let before = try await api.caseCount()
            // setup: the reproduction of issue 13 §1, then the other refused characters and lone surrogate escapes
            let bodies: [(String, String, String)] = [
                (#"a\u0000b"#, "", "text.control_character"),
                (#"bell\u0007"#, "", "text.control_character"),
                ("del\u{7F}", "", "text.control_character"),
                ("c1\u{85}", "", "text.control_character"),
                (#"half \ud800 pair"#, "", "text.unpaired_surrogate"),
                (#"low \udc00 alone"#, "", "text.unpaired_surrogate"),
                (#"two highs \ud83d\ud83d"#, "", "text.unpaired_surrogate"),
            ]
            for (description, extra, code) in bodies {
                // MUT
                let r = try await api.send(.post, "/api/v1/cases", as: "citizen", raw: Self.rawReport(api, description: description, extra: extra), headers: Self.json)
                // validate
                BadInputAPITests.expectError(r, .unprocessableContent, code: code, field: "description")
            }
            let nested = try await api.send(
                .post, "/api/v1/cases", as: "citizen", raw: Self.rawReport(api, description: "ok", extra: #","evidence":["a","b\u0001"]"#),
                headers: Self.json)
            BadInputAPITests.expectError(nested, .unprocessableContent, code: "text.control_character", field: "evidence[1]")
            let address = try await api.send(
                .post, "/api/v1/cases", as: "citizen", raw: Self.rawReport(api, description: "ok", extra: #","address":"x\u001by""#),
                headers: Self.json)
            BadInputAPITests.expectError(address, .unprocessableContent, code: "text.control_character", field: "address")
            #expect(try await api.caseCount() == before)
        }
    }

    @Test func acceptedTextReadsBackExactlyAndBidiControlsAreKept() async throws {
        try await TestCity.serve { api in
            // Tab, CR, LF, quotes, backslashes, separators of the event text, a combining mark, an emoji, an astral
            // CJK character sent as a surrogate pair escape, and a right-to-left override.
            let text = "路边\t垃圾\r\n\"引号\" \\ | & = , e\u{301} 🧹 \u{202E}abc\u{202C} 𠀀"
            let id = try await api.newCase(as: "citizen", garbageReport(at: api.city.point, ["description": text]))
            let shown = try await api.get("/api/v1/cases/\(id)", as: "admin")
            #expect(shown.status == .ok, "\(shown)")
            #expect(shown.string("case.description") == text)
            let comment = "催办\u{2066}⚠\u{2069} \\u0000 (escaped text, not a NUL)"
            try await api.step("verify", id, as: "inspector", ["comment": comment])
            let after = try await api.get("/api/v1/cases/\(id)", as: "admin")
            #expect(after.objects("timeline").last?["comment"] as? String == comment)
            let verify = try await api.get("/api/v1/verify", as: "admin")
            #expect(verify.status == .ok, "\(verify)")
            #expect(verify.array("problems").isEmpty, "\(verify)")
        }
    }

    @Test func aRefusedCommentCommitsNothing() async throws {
        try await TestCity.serve { api in
            let id = try await api.dispatchedCase()
            let before = try await api.get("/api/v1/cases/\(id)", as: "leader")
            // MUT: a leader's urge with a NUL in its comment (issue 13 §1: it answered 500 and was committed)
            let r = try await api.send(
                .post, "/api/v1/cases/\(id)/actions/urge", as: "leader", raw: Data(#"{"comment":"快\u0000"}"#.utf8), headers: Self.json)
            BadInputAPITests.expectError(r, .unprocessableContent, code: "text.control_character", field: "comment")
            let after = try await api.get("/api/v1/cases/\(id)", as: "leader")
            #expect(after.int("case.eventCount") == before.int("case.eventCount"))
            #expect(after.int("case.urgeCount") == before.int("case.urgeCount"))
            // and the clean urge is a 200 that shows the new event
            let ok = try await api.act("urge", id, as: "leader", ["comment": "请尽快处理"])
            #expect(ok.status == .ok, "\(ok)")
            #expect(ok.objects("timeline").last?["action"] as? String == "urge")
        }
    }

    @Test func queryParametersAndOpen311FormsAreCheckedToo() async throws {
        try await TestCity.serve { api in
            let q = try await api.get("/api/v1/places/search?q=%E8%B7%AF%00x", as: "operator")
            BadInputAPITests.expectError(q, .unprocessableContent, code: "text.control_character", field: "q")
            let key = try await Open311APITests.key(api)
            let before = try await api.caseCount()
            let r = try await Open311APITests.post(
                api, "/requests.json", Open311APITests.fields(api, ["api_key": key, "description": "垃圾\u{0}堆"]))
            #expect(r.status.code / 100 == 4, "\(r)")
            #expect(String(decoding: r.data, as: UTF8.self).contains("description"), "\(r)")
            #expect(try await api.caseCount() == before)
            // Under the Open311 path a refused query parameter answers in Open311's own error format.
            let read = try await api.get("/open311/v2/requests.json?service_request_id=a%C2%86b")
            #expect(read.status == .unprocessableContent || read.status == .badRequest, "\(read)")
            let errors = try #require(read.json as? [[String: Any]], "\(read)")
            #expect((errors.first?["description"] as? String)?.contains("service_request_id") == true)
            let xml = try await api.get("/open311/v2/services.xml?api_key=a%C2%89b")
            #expect(String(decoding: xml.data, as: UTF8.self).contains("<errors>"), "\(xml)")
        }
    }

    @Test func everyResponseCarriesARequestIDAndKeepsTheCallersOwn() async throws {
        try await TestCity.serve { api in
            let made = try await api.get("/api/v1/cases", as: "admin")
            #expect(made.headers[.init("X-Request-ID")!]?.isEmpty == false)
            let given = try await api.send(.get, "/api/v1/nothing-here", headers: [.init("X-Request-ID")!: "abc-123"])
            #expect(given.status == .notFound)
            #expect(given.headers[.init("X-Request-ID")!] == "abc-123")
            let hostile = try await api.send(.get, "/api/v1/cases", headers: [.init("X-Request-ID")!: "a b\"c"])
            #expect(hostile.headers[.init("X-Request-ID")!] != "a b\"c")
        }
    }

    @Test func aJSONBodyDeclaredAsSomethingElseIs415AndNoContentTypeIsRead() async throws {
        try await TestCity.serve { api in
            let before = try await api.caseCount()
            let body = Self.rawReport(api, description: "路边垃圾")
            let plain = try await api.send(.post, "/api/v1/cases", as: "citizen", raw: body, headers: [.contentType: "text/plain"])
            BadInputAPITests.expectError(plain, .unsupportedMediaType, code: "body.content_type", field: "Content-Type")
            let form = try await api.send(
                .post, "/api/v1/cases", as: "citizen", raw: body, headers: [.contentType: "application/x-www-form-urlencoded"])
            BadInputAPITests.expectError(form, .unsupportedMediaType, code: "body.content_type")
            #expect(try await api.caseCount() == before)
            let bare = try await api.send(.post, "/api/v1/cases", as: "citizen", raw: body)
            #expect(bare.status == .created, "\(bare)")
            let charset = try await api.send(
                .post, "/api/v1/cases", as: "citizen", raw: Self.rawReport(api, description: "另一处垃圾"),
                headers: [.contentType: "application/json; charset=utf-8"])
            #expect(charset.status == .created, "\(charset)")
        }
    }

    @Test func validationErrorsNameTheFieldWithoutSwiftDecoderText() async throws {
        try await TestCity.serve { api in
            let p = api.city.point
            let r = try await api.report(as: "citizen", garbageReport(at: p, ["lat": "north"]))
            BadInputAPITests.expectError(r, .unprocessableContent, code: "body.wrong_type", field: "lat")
            #expect(r.errorMessage == "field 'lat' must be a number", "\(r)")
            let e = try await api.report(as: "citizen", garbageReport(at: p, ["evidence": "one"]))
            BadInputAPITests.expectError(e, .unprocessableContent, field: "evidence")
            #expect(e.errorMessage == "field 'evidence' must be an array", "\(r)")
            let s = try await api.report(as: "citizen", garbageReport(at: p, ["source": "pigeon"]))
            BadInputAPITests.expectError(s, .unprocessableContent, field: "source")
            for reply in [r, e, s] {
                for leak in ["Expected", "debugDescription", "CodingKeys", "Swift.", "Dictionary<", "but found"] {
                    #expect(!reply.errorMessage.contains(leak), "\(reply)")
                }
            }
        }
    }
}

/// A 500 names its request ID (logged with it), and a change that was committed is never answered with a 500.
@Suite struct CommittedChangeAPITests {
    @Test func aCaseWhoseHistoryCannotBeReadAnswers500WithItsRequestIDAndCommitsNothing() async throws {
        try await TestCity.serve { api in
            let id = try await api.dispatchedCase()
            // setup: damage the stored text of the case's first event (as a NUL once did)
            try await api.city.store.executeForTesting("UPDATE case_events SET data = 'broken' WHERE case_id = ? AND seq = 1", arguments: [id])
            let broken = try await api.get("/api/v1/cases/\(id)", as: "leader")
            #expect(broken.status == .internalServerError, "\(broken)")
            let requestID = try #require(broken.headers[.init("X-Request-ID")!])
            #expect(broken.errorMessage.contains(requestID), "\(broken)")
            let before = try #require(try await api.city.store.caseRecord(id: CaseID(id)))
            // MUT: the leader's urge of issue 13 §1
            let urged = try await api.act("urge", id, as: "leader", ["comment": "请尽快处理"])
            // validate: a 500 has committed nothing (the damaged history is read before the commit, and after the
            // commit the answer no longer depends on reading it)
            #expect(urged.status == .internalServerError, "\(urged)")
            let after = try #require(try await api.city.store.caseRecord(id: CaseID(id)))
            #expect(after.eventCount == before.eventCount && after.urgeCount == before.urgeCount)
        }
    }
}
