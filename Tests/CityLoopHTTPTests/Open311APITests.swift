import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Open311 GeoReport v2 over real HTTP on 127.0.0.1, in JSON and XML.
@Suite struct Open311APITests {
    static let base = "/open311/v2"
    /// A real 16×12 PNG photo.
    static let photo = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAABAAAAAMCAIAAADkharWAAAAFUlEQVR4nGM4YaNBEmIY1TCqATsCAO9q4QF9Lmn/AAAAAElFTkSuQmCC")!

    /// An API key for the demo's partner account.
    static func key(_ api: API, rate: Int? = nil) async throws -> String {
        let platform = api.city.platform
        let (partner, _) = try #require(try await platform.store.user(username: "partner"))
        return try await AccountService(platform: platform).createAPIToken(userID: partner.id, label: "test-partner", ratePerMinute: rate)
    }

    static func form(_ fields: [String: String]) -> Data {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return Data(fields.map { k, v in
            "\(k.addingPercentEncoding(withAllowedCharacters: allowed)!)=\(v.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&").utf8)
    }

    static func post(_ api: API, _ path: String, _ fields: [String: String]) async throws -> Reply {
        var h = HTTPFields()
        h[.contentType] = "application/x-www-form-urlencoded"
        return try await api.send(.post, base + path, raw: form(fields), headers: h)
    }

    static func multipart(_ api: API, _ path: String, _ fields: [String: String], media: Data) async throws -> Reply {
        let boundary = "----cityloop-\(UUID().uuidString)"
        var body = Data()
        for (k, v) in fields.sorted(by: { $0.key < $1.key }) {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8)
        }
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"media\"; filename=\"photo.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
        body += media
        body += Data("\r\n--\(boundary)--\r\n".utf8)
        var h = HTTPFields()
        h[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return try await api.send(.post, base + path, raw: body, headers: h)
    }

    static func fields(_ api: API, _ more: [String: String] = [:]) -> [String: String] {
        let p = api.city.point
        return ["service_code": "06010", "lat": String(p.lat), "long": String(p.lon), "description": "路边有暴露垃圾"].merging(more) { _, b in b }
    }

    @Test func discoveryAndServicesInBothFormats() async throws {
        try await TestCity.serve { api in
            let d = try await api.get(Self.base + "/discovery.json")
            #expect(d.status == .ok)
            #expect(d.string("endpoints.0.specification") == "http://wiki.open311.org/GeoReport_v2")
            #expect(d.string("endpoints.0.url")?.hasSuffix(Self.base) == true)
            let dx = try XMLTree.parse(try await api.get(Self.base + "/discovery.xml"))
            #expect(dx.name == "discovery")
            #expect(dx.all("endpoints/endpoint/formats/format").map(\.text).contains("application/json"))

            let s = try await api.get(Self.base + "/services.json")
            #expect(s.status == .ok)
            #expect(s.headers[.contentType]?.hasPrefix("application/json") == true)
            let services = s.objects("")
            #expect(services.count == Catalog.national.count(.matter))
            let garbage = try #require(services.first { $0["service_code"] as? String == "06010" })
            #expect(garbage["service_name"] as? String == Catalog.national.matter("06010")?.name)
            #expect(garbage["group"] as? String == "市容环境类")
            #expect(garbage["type"] as? String == "realtime")
            #expect(garbage["metadata"] as? Bool == true)
            for key in ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"] {
                #expect(garbage[key] != nil, "service lacks \(key)")
            }
            let en = try await api.get(Self.base + "/services.json?locale=en")
            let garbageEn = try #require(en.objects("").first { $0["service_code"] as? String == "06010" })
            #expect(garbageEn["group"] as? String == "City appearance and environment")
            #expect(garbageEn["service_name"] as? String == "Exposed garbage")

            let sx = try await api.get(Self.base + "/services.xml")
            #expect(sx.headers[.contentType]?.hasPrefix("text/xml") == true)
            let tree = try XMLTree.parse(sx)
            #expect(tree.name == "services")
            #expect(tree.all("service").count == services.count)
            #expect(tree.all("service").first { $0.child("service_code")?.text == "06001" }?.child("group")?.text == "市容环境类")
            // Without a suffix the answer is JSON.
            #expect(try await api.get(Self.base + "/services").objects("").count == services.count)
        }
    }

    @Test func serviceDefinitionsListTheExtraFields() async throws {
        try await TestCity.serve { api in
            let component = try await api.get(Self.base + "/services/01001.json")
            #expect(component.status == .ok)
            #expect(component.string("service_code") == "01001")
            let codes = component.objects("attributes").compactMap { $0["code"] as? String }
            #expect(codes == ["component_id", "urgency"])
            let urgency = try #require(component.objects("attributes").first { $0["code"] as? String == "urgency" })
            #expect(urgency["datatype"] as? String == "singlevaluelist")
            #expect((urgency["values"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == ["normal", "urgent", "emergency"])
            let event = try await api.get(Self.base + "/services/06001.json")
            #expect(event.objects("attributes").compactMap { $0["code"] as? String } == ["urgency"])
            let xml = try XMLTree.parse(try await api.get(Self.base + "/services/01001.xml"))
            #expect(xml.name == "service_definition")
            #expect(xml.all("attributes/attribute").map { $0.child("code")?.text } == ["component_id", "urgency"])
            #expect(xml.all("attributes/attribute/values/value/key").map(\.text) == ["normal", "urgent", "emergency"])

            let unknown = try await api.get(Self.base + "/services/99999.json")
            #expect(unknown.status == .notFound)
            #expect(unknown.int("0.code") == 404)
            #expect(unknown.string("0.description")?.contains("99999") == true)
            let unknownXML = try XMLTree.parse(try await api.get(Self.base + "/services/99999.xml"))
            #expect(unknownXML.name == "errors")
            #expect(unknownXML.child("error")?.child("code")?.text == "404")
        }
    }

    /// The spec's own `POST requests` example (with this city's service and place), form-encoded, key in the body.
    @Test func theSpecExamplePostBecomesACaseAndItsStatusFollowsTheCase() async throws {
        try await TestCity.serve { api in
            let key = try await Self.key(api)
            let p = api.city.point
            let example =
                "api_key=\(key)&jurisdiction_id=&service_code=06001&lat=\(p.lat)&long=\(p.lon)&address_string=1234+5th+street"
                + "&email=smit333%40sfgov.edu&device_id=tt222111&account_id=123456&first_name=john&last_name=smith&phone=111111111"
                + "&description=A+large+sinkhole+is+destroying+the+street&media_url=http%3A%2F%2Fexample.com%2Fimage.jpg"
            var h = HTTPFields()
            h[.contentType] = "application/x-www-form-urlencoded"
            let r = try await api.send(.post, Self.base + "/requests.json", raw: Data(example.utf8), headers: h)
            #expect(r.status == .created, "\(r)")
            let id = try #require(r.string("0.service_request_id"))
            let token = try #require(r.string("0.token"))
            #expect(r.string("0.service_notice")?.contains(id) == true)

            // An ordinary case in the loop: a citizen report with the reporter's contact, seen in full by staff.
            let detail = try await api.get("/api/v1/cases/\(id)", as: "operator")
            #expect(detail.status == .ok, "\(detail)")
            #expect(detail.string("case.source") == "citizen")
            #expect(detail.string("case.state") == "pending_verification")
            #expect(detail.string("case.reporters.0.name") == "john smith")
            #expect(detail.string("case.reporters.0.email") == "smit333@sfgov.edu")
            #expect(detail.string("case.reporters.0.phone") == "111111111")
            #expect(detail.string("case.description")?.contains("http://example.com/image.jpg") == true)

            let one = try await api.get(Self.base + "/requests/\(id).json")
            #expect(one.status == .ok)
            #expect(one.string("0.service_request_id") == id)
            #expect(one.string("0.status") == "open")
            #expect(one.string("0.service_code") == "06001")
            #expect(one.string("0.address") == "1234 5th street")
            #expect(one.string("0.requested_datetime")?.hasSuffix("+08:00") == true)
            for key in ["status_notes", "agency_responsible", "service_notice", "updated_datetime", "expected_datetime", "media_url", "lat", "long"] {
                #expect(one.objects("").first?.keys.contains(key) == true, "request lacks \(key)")
            }
            // No personal data in the public view.
            #expect(!String(decoding: one.data, as: UTF8.self).contains("smit333"))

            let tokenReply = try await api.get(Self.base + "/tokens/\(token).json")
            #expect(tokenReply.string("0.service_request_id") == id)
            let tokenXML = try XMLTree.parse(try await api.get(Self.base + "/tokens/\(token).xml"))
            #expect(tokenXML.child("request")?.child("service_request_id")?.text == id)

            // The case is not taken up: the Open311 status follows.
            _ = try await api.step("reject", id, as: "operator", ["comment": "重复反映"])
            let closed = try XMLTree.parse(try await api.get(Self.base + "/requests/\(id).xml"))
            #expect(closed.name == "service_requests")
            #expect(closed.child("request")?.child("status")?.text == "closed")
            #expect(closed.child("request")?.child("status_notes")?.text == "未予立案")
            let english = try await api.get(Self.base + "/requests/\(id).json?locale=en")
            #expect(english.string("0.status_notes") == "Not taken up")
        }
    }

    @Test func multipartWithARealPhotoAttachesIt() async throws {
        try await TestCity.serve { api in
            let key = try await Self.key(api)
            let r = try await Self.multipart(
                api, "/requests.xml", Self.fields(api, ["api_key": key, "attribute[urgency]": "urgent", "email": "li@example.cn"]), media: Self.photo)
            #expect(r.status == .created, "\(r)")
            let tree = try XMLTree.parse(r)
            let id = try #require(tree.child("request")?.child("service_request_id")?.text)
            let detail = try await api.get("/api/v1/cases/\(id)", as: "operator")
            #expect(detail.string("case.urgency") == "urgent")
            let evidence = try #require(detail.array("case.evidence").first as? String)
            let media = try await api.get("/api/v1/media/\(evidence)", as: "operator")
            #expect(media.status == .ok)
            #expect(media.data == Self.photo)
            #expect(media.headers[.contentType] == "image/png")
        }
    }

    @Test func requestsAreFilteredAndPaged() async throws {
        try await TestCity.serve { api in
            let key = try await Self.key(api)
            var ids: [String] = []
            for code in ["06010", "06010", "06002"] {
                let r = try await Self.post(api, "/requests.json", Self.fields(api, ["api_key": key, "service_code": code]))
                ids.append(try #require(r.string("0.service_request_id"), "\(r)"))
                api.city.clock.advance(by: 60)
            }
            let byCode = try await api.get(Self.base + "/requests.json?service_code=06010")
            #expect(Set(byCode.objects("").compactMap { $0["service_request_id"] as? String }).isSuperset(of: ids.prefix(2)))
            #expect(byCode.objects("").allSatisfy { $0["service_code"] as? String == "06010" })
            let byIDs = try await api.get(Self.base + "/requests.json?service_request_id=\(ids[0]),\(ids[2])")
            #expect(byIDs.objects("").compactMap { $0["service_request_id"] as? String } == [ids[0], ids[2]])
            let paged = try await api.get(Self.base + "/requests.json?service_code=06010&page_size=1&page=1")
            #expect(paged.objects("").count == 1)
            let open = try await api.get(Self.base + "/requests.json?status=open&start_date=2026-11-24T00:00:00Z&end_date=2026-12-01T00:00:00Z")
            #expect(Set(open.objects("").compactMap { $0["service_request_id"] as? String }).isSuperset(of: ids))
            let closedOnly = try await api.get(Self.base + "/requests.json?status=closed&start_date=2026-11-24T00:00:00Z")
            #expect(closedOnly.objects("").allSatisfy { $0["status"] as? String == "closed" })
            let xml = try XMLTree.parse(try await api.get(Self.base + "/requests.xml?service_code=06002"))
            #expect(xml.all("request").contains { $0.child("service_request_id")?.text == ids[2] })
        }
    }

    @Test func badInputGetsTheSpecErrorFormatAndChangesNothing() async throws {
        // A small media limit: a 10 MiB body is slow to send and parse in a debug build.
        try await TestCity.serve(open311: GeoReportOptions(maxMediaBytes: 64 * 1024)) { api in
            let key = try await Self.key(api)
            let before = try await api.city.store.cases(CaseQuery()).total
            func expectError(_ r: Reply, _ status: HTTPResponse.Status, _ words: String) {
                #expect(r.status == status, "\(r)")
                #expect(r.int("0.code") == Int(status.code), "\(r)")
                #expect(r.string("0.description")?.contains(words) == true, "\(r)")
            }
            expectError(try await Self.post(api, "/requests.json", Self.fields(api, ["api_key": key, "service_code": "99999"])), .notFound, "service_code")
            expectError(try await Self.post(api, "/requests.json", ["api_key": key, "service_code": "06001"]), .badRequest, "lat")
            expectError(
                try await Self.post(api, "/requests.json", Self.fields(api, ["api_key": key, "lat": "north"])), .badRequest, "lat")
            expectError(try await Self.post(api, "/requests.json", Self.fields(api, ["api_key": "wrong"])), .forbidden, "api_key")
            expectError(try await Self.post(api, "/requests.json", Self.fields(api)), .forbidden, "api_key")
            expectError(
                try await Self.post(api, "/requests.json", Self.fields(api, ["api_key": key, "attribute[urgency]": "very"])), .badRequest,
                "urgency")
            expectError(
                try await Self.post(api, "/requests.json", Self.fields(api, ["api_key": key, "email": "not an email"])), .badRequest, "email")
            let big = Self.photo + Data(count: 64 * 1024)
            let oversized = try await Self.multipart(api, "/requests.json", Self.fields(api, ["api_key": key]), media: big)
            #expect(oversized.status == .contentTooLarge, "\(oversized)")
            #expect(oversized.int("0.code") == 413)
            #expect(oversized.string("0.description")?.contains("media") == true, "\(oversized)")
            // A body far past the limit is refused before it is read whole.
            let huge = try await Self.multipart(api, "/requests.json", Self.fields(api, ["api_key": key]), media: Data(count: 2 * 1024 * 1024))
            #expect(huge.status == .contentTooLarge, "\(huge)")
            expectError(try await api.get(Self.base + "/requests.json?start_date=yesterday"), .badRequest, "start_date")
            expectError(try await api.get(Self.base + "/requests.json?status=pending"), .badRequest, "status")
            expectError(try await api.get(Self.base + "/requests/NOPE.json"), .notFound, "NOPE")
            expectError(try await api.get(Self.base + "/tokens/NOPE-123.json"), .notFound, "token")
            // Path parameters are decoded and checked like any text, and refused in Open311's format too.
            for path in ["/services/%06x.json", "/service/%C2%80.json", "/requests/a%1Db.json", "/tokens/%07.json", "/media/u%06"] {
                expectError(try await api.get(Self.base + path), .badRequest, "control character")
            }
            let badXML = try XMLTree.parse(try await api.get(Self.base + "/services/%06x.xml"))
            #expect(badXML.name == "errors" && badXML.child("error")?.child("code")?.text == "400")
            let xml = try XMLTree.parse(try await Self.post(api, "/requests.xml", Self.fields(api, ["api_key": "wrong"])))
            #expect(xml.name == "errors")
            #expect(xml.child("error")?.child("code")?.text == "403")
            #expect(xml.child("error")?.child("description")?.text.contains("api_key") == true)
            #expect(try await api.city.store.cases(CaseQuery()).total == before)
        }
    }

    @Test func anonymousWritesJurisdictionAndRateLimitsPerKey() async throws {
        let options = GeoReportOptions(basePath: "/georeport/v2", anonymousWrites: true, defaultRatePerMinute: 1000, jurisdiction: "zz.cityloop")
        try await TestCity.serve(open311: options) { api in
            var h = HTTPFields()
            h[.contentType] = "application/x-www-form-urlencoded"
            // Another jurisdiction is refused; ours, an empty one or none is served.
            let elsewhere = try await api.send(
                .post, "/georeport/v2/requests.json", raw: Self.form(Self.fields(api, ["jurisdiction_id": "elsewhere.gov"])), headers: h)
            #expect(elsewhere.status == .notFound)
            #expect(elsewhere.string("0.description")?.contains("jurisdiction_id") == true)
            #expect(try await api.get("/georeport/v2/services.json?jurisdiction_id=zz.cityloop").status == .ok)
            #expect(try await api.get("/georeport/v2/services.json?jurisdiction_id=").status == .ok)
            let anon = try await api.send(.post, "/georeport/v2/requests.json", raw: Self.form(Self.fields(api, ["first_name": "王"])), headers: h)
            #expect(anon.status == .created, "\(anon)")
            let id = try #require(anon.string("0.service_request_id"))
            let detail = try await api.get("/api/v1/cases/\(id)", as: "operator")
            #expect(detail.string("case.source") == "citizen")
            #expect(detail.string("case.reporters.0.name") == "王")
            #expect(detail["case.reporters.0.userID"] == nil)
            // The tracking token works on the core API too.
            let token = try #require(anon.string("0.token"))
            #expect(try await api.get("/api/v1/track/\(token)").string("caseNumber") == id)

            let key = try await Self.key(api, rate: 2)
            for _ in 0..<2 { #expect(try await api.get("/georeport/v2/services.json?api_key=\(key)").status == .ok) }
            let limited = try await api.get("/georeport/v2/services.json?api_key=\(key)")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.int("0.code") == 429)
            #expect(limited.headers[.retryAfter] != nil)
            // Anonymous reads go on; the budget refills with time.
            #expect(try await api.get("/georeport/v2/services.json").status == .ok)
            api.city.clock.advance(by: 30)
            #expect(try await api.get("/georeport/v2/services.json?api_key=\(key)").status == .ok)
        }
    }
}

/// A parsed XML element: name, text and children (Foundation's XMLParser).
final class XMLTree: NSObject, XMLParserDelegate, @unchecked Sendable {
    let name: String
    var text = ""
    var children: [XMLTree] = []
    private var stack: [XMLTree] = []

    init(name: String) { self.name = name }

    static func parse(_ reply: Reply) throws -> XMLTree {
        #expect(reply.headers[.contentType]?.hasPrefix("text/xml") == true, "\(reply)")
        let root = XMLTree(name: "#document")
        root.stack = [root]
        let parser = XMLParser(data: reply.data)
        parser.delegate = root
        guard parser.parse(), let top = root.children.first else { throw XMLError(text: String(decoding: reply.data, as: UTF8.self)) }
        return top
    }

    struct XMLError: Error { let text: String }

    func child(_ name: String) -> XMLTree? { children.first { $0.name == name } }

    /// Every element along a slash-separated path of child names.
    func all(_ path: String) -> [XMLTree] {
        path.split(separator: "/").reduce([self]) { nodes, step in nodes.flatMap { $0.children.filter { $0.name == step } } }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        let node = XMLTree(name: name)
        stack.last?.children.append(node)
        stack.append(node)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { stack.removeLast() }
}
