import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import Testing

/// Open311 as real GeoReport v2 clients use it: the singular service path, errors in the spec's format for any
/// path, service code lists, long descriptions, English names, rate limits and masked phone numbers.
@Suite struct Open311ClientTests {
    static let base = Open311APITests.base

    /// Whether the text holds a Han (Chinese) character.
    static func hasHan(_ s: String) -> Bool {
        s.unicodeScalars.contains { (0x3400...0x9FFF).contains($0.value) || (0xF900...0xFAFF).contains($0.value) }
    }

    @Test func theSingularServicePathAnswersLikeThePlural() async throws {
        try await TestCity.serve { api in
            for format in [".json", ".xml"] {
                let plural = try await api.get(Self.base + "/services/01001" + format)
                let singular = try await api.get(Self.base + "/service/01001" + format)
                #expect(singular.status == .ok, "\(singular)")
                #expect(singular.data == plural.data)
                #expect(singular.headers[.contentType] == plural.headers[.contentType])
            }
            let unknown = try await api.get(Self.base + "/service/99999.json")
            #expect(unknown.status == .notFound)
            #expect(unknown.int("0.code") == 404)
        }
    }

    @Test func everyErrorUnderTheBasePathIsInTheSpecFormat() async throws {
        try await TestCity.serve { api in
            let json = try await api.get(Self.base + "/nothing.json")
            #expect(json.status == .notFound)
            #expect(json.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(json.int("0.code") == 404, "\(json)")
            #expect(json.string("0.description")?.isEmpty == false)
            let xml = try XMLTree.parse(try await api.get(Self.base + "/nothing/at/all.xml"))
            #expect(xml.name == "errors")
            #expect(xml.child("error")?.child("code")?.text == "404")
            let wrongMethod = try await api.send(.delete, Self.base + "/services.json")
            #expect(wrongMethod.status == .notFound)
            #expect(wrongMethod.int("0.code") == 404, "\(wrongMethod)")
            for path in ["/services/99999.json", "/service/99999.json", "/requests.json?service_code=99999"] {
                let r = try await api.get(Self.base + path)
                #expect(r.status == .notFound, "\(path): \(r)")
                #expect(r.string("0.description")?.contains("99999") == true, "\(path): \(r)")
            }
            // Outside the base path the core API keeps its own format.
            let core = try await api.get("/api/v1/nothing")
            #expect(core.status == .notFound)
            #expect(core.string("error.code") == "route.not_found")
        }
    }

    @Test func serviceCodeListsAndLongDescriptions() async throws {
        try await TestCity.serve { api in
            let key = try await Open311APITests.key(api)
            // Later than anything the test city holds, so the window below holds only these requests.
            api.city.clock.advance(by: 3600)
            let since = ISO8601DateFormatter().string(from: api.city.clock.now())
            var ids: [String: String] = [:]
            for code in ["06010", "06002", "06001"] {
                let r = try await Open311APITests.post(api, "/requests.json", Open311APITests.fields(api, ["api_key": key, "service_code": code]))
                ids[code] = try #require(r.string("0.service_request_id"), "\(r)")
                api.city.clock.advance(by: 60)
            }
            let both = try await api.get(Self.base + "/requests.json?service_code=06010,06002")
            #expect(both.status == .ok, "\(both)")
            let got = both.objects("").compactMap { $0["service_request_id"] as? String }
            #expect(Set(got).isSuperset(of: [ids["06010"]!, ids["06002"]!]))
            #expect(!got.contains(ids["06001"]!))
            #expect(both.objects("").allSatisfy { ["06010", "06002"].contains($0["service_code"] as? String) })
            // Newest first across the services, paged over the merged list.
            let first = try await api.get(Self.base + "/requests.json?service_code=06010,06002&page_size=1&start_date=\(since)")
            #expect(first.objects("").compactMap { $0["service_request_id"] as? String } == [ids["06002"]!])
            let second = try await api.get(Self.base + "/requests.json?service_code=06010,06002&page_size=1&page=2&start_date=\(since)")
            #expect(second.objects("").compactMap { $0["service_request_id"] as? String } == [ids["06010"]!])

            let before = try await api.city.store.cases(CaseQuery()).total
            let unknownInList = try await api.get(Self.base + "/requests.json?service_code=06010,99999")
            #expect(unknownInList.status == .notFound)
            #expect(unknownInList.string("0.description")?.contains("99999") == true)
            let unknownPost = try await Open311APITests.post(api, "/requests.json", Open311APITests.fields(api, ["api_key": key, "service_code": "99999"]))
            #expect(unknownPost.status == .notFound)
            #expect(unknownPost.int("0.code") == 404)

            let tooLong = try await Open311APITests.post(
                api, "/requests.json", Open311APITests.fields(api, ["api_key": key, "description": String(repeating: "脏", count: 4001)]))
            #expect(tooLong.status == .badRequest, "\(tooLong)")
            #expect(tooLong.string("0.description")?.contains("description") == true)
            #expect(try await api.city.store.cases(CaseQuery()).total == before)

            let long = String(repeating: "路边垃圾很多。", count: 571) + "!!!"
            #expect(long.count == 4000)
            let posted = try await Open311APITests.post(api, "/requests.json", Open311APITests.fields(api, ["api_key": key, "description": long]))
            #expect(posted.status == .created, "\(posted)")
            let id = try #require(posted.string("0.service_request_id"))
            #expect(try await api.get(Self.base + "/requests/\(id).json").string("0.description") == long)
        }
    }

    @Test func englishServiceNamesAndGroupsHaveNoChinese() async throws {
        try await TestCity.serve { api in
            let en = try await api.get(Self.base + "/services.json?locale=en")
            let services = en.objects("")
            #expect(services.count == Catalog.national.count(.matter))
            for s in services {
                let name = s["service_name"] as? String ?? "", group = s["group"] as? String ?? ""
                #expect(!name.isEmpty && !Self.hasHan(name), "\(s["service_code"] ?? "?"): \(name)")
                #expect(!group.isEmpty && !Self.hasHan(group), "\(s["service_code"] ?? "?"): \(group)")
            }
            let garbage = try #require(services.first { $0["service_code"] as? String == "06010" })
            #expect(garbage["service_name"] as? String == "Exposed garbage")
            let xml = try XMLTree.parse(try await api.get(Self.base + "/services.xml?locale=en"))
            #expect(xml.all("service").allSatisfy { !Self.hasHan($0.child("service_name")?.text ?? "中") })
            // Chinese stays the default.
            let zh = try await api.get(Self.base + "/services.json")
            #expect(zh.objects("").first { $0["service_code"] as? String == "06010" }?["service_name"] as? String == "暴露垃圾")

            // The console's catalog carries the English names too.
            let catalog = try await api.get("/api/v1/catalog")
            #expect(catalog.status == .ok)
            let entries = catalog.objects("")
            #expect(entries.count == Catalog.national.count(.matter) + Catalog.national.count(.component))
            for e in entries {
                let nameEn = e["nameEn"] as? String ?? ""
                #expect(!nameEn.isEmpty && !Self.hasHan(nameEn), "\(e["kind"] ?? "?") \(e["code"] ?? "?") has no English name")
                #expect((e["majorClassEn"] as? String).map { !$0.isEmpty && !Self.hasHan($0) } == true)
            }
            #expect(entries.first { $0["code"] as? String == "01001" && $0["kind"] as? String == "component" }?["nameEn"] as? String
                == "Water supply manhole cover")
        }
    }

    @Test func theRateLimitMessageStatesTheRetryAfterSeconds() async throws {
        try await TestCity.serve { api in
            let key = try await Open311APITests.key(api, rate: 2)
            for _ in 0..<2 { #expect(try await api.get(Self.base + "/services.json?api_key=\(key)").status == .ok) }
            for format in [".json", ".xml"] {
                let limited = try await api.get(Self.base + "/services\(format)?api_key=\(key)")
                #expect(limited.status == .tooManyRequests)
                let retry = try #require(limited.headers[.retryAfter].flatMap { Int($0) }, "\(limited)")
                #expect(retry >= 1 && retry <= 60)
                let text = String(decoding: limited.data, as: UTF8.self)
                #expect(text.contains("retry in \(retry) s"), "\(text)")
            }
        }
    }

    @Test func publicReadsMaskPhoneNumbersStaffSeeThem() async throws {
        try await TestCity.serve { api in
            let key = try await Open311APITests.key(api)
            let text = "垃圾堆在门口，请联系13812345678或0371-66668888"
            let r = try await Open311APITests.post(api, "/requests.json", Open311APITests.fields(api, ["api_key": key, "description": text]))
            let id = try #require(r.string("0.service_request_id"), "\(r)")
            let masked = "垃圾堆在门口，请联系138****5678或037*-****8888"
            #expect(try await api.get(Self.base + "/requests/\(id).json").string("0.description") == masked)
            let xml = try XMLTree.parse(try await api.get(Self.base + "/requests/\(id).xml"))
            #expect(xml.child("request")?.child("description")?.text == masked)
            let list = try await api.get(Self.base + "/requests.json?service_request_id=\(id)")
            #expect(list.string("0.description") == masked)
            let all = String(decoding: try await api.get(Self.base + "/requests.json").data, as: UTF8.self)
            #expect(!all.contains("13812345678") && !all.contains("66668888"))
            let staff = try await api.get("/api/v1/cases/\(id)", as: "operator")
            #expect(staff.string("case.description") == text)

            // The public timeline (tracking code) masks a number in a staff comment too.
            _ = try await api.step("reject", id, as: "operator", ["comment": "请拨打13912345678咨询"])
            let token = try #require(r.string("0.token"))
            let track = String(decoding: try await api.get("/api/v1/track/\(token)").data, as: UTF8.self)
            #expect(track.contains("139****5678"), "\(track)")
            #expect(!track.contains("13912345678"))
        }
    }

    @Test func addressIDsFromThePlaceTableAreAcceptedOthersRefused() async throws {
        try await TestCity.serve { api in
            let points = try await PlacesAPITests.importPlaces(api)
            let q = "文化路小学".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
            let search = try await api.get("/api/v1/places/search?q=\(q)", as: "operator")
            let addressID = try #require(search.string("0.id"), "\(search)")
            #expect(addressID.hasPrefix("p") && addressID.count == 17)
            // The same row imported again keeps its ID.
            _ = try await PlacesAPITests.importPlaces(api)
            #expect(try await api.get("/api/v1/places/search?q=\(q)", as: "operator").string("0.id") == addressID)

            let key = try await Open311APITests.key(api)
            let before = try await api.city.store.cases(CaseQuery()).total
            let unknown = try await Open311APITests.post(
                api, "/requests.json", ["api_key": key, "service_code": "06010", "address_id": "p0000000000000000", "description": "垃圾"])
            #expect(unknown.status == .badRequest, "\(unknown)")
            #expect(unknown.string("0.description")?.contains("address_id") == true)
            #expect(try await api.city.store.cases(CaseQuery()).total == before)

            let r = try await Open311APITests.post(
                api, "/requests.json", ["api_key": key, "service_code": "06010", "address_id": addressID, "description": "学校门口垃圾"])
            #expect(r.status == .created, "\(r)")
            let id = try #require(r.string("0.service_request_id"), "\(r)")
            let one = try await api.get(Self.base + "/requests/\(id).json")
            #expect(one.string("0.address") == "金水区文化路12号")
            #expect(abs((one["0.lat"] as? Double ?? 0) - points[2].lat) < 1e-9)
            #expect(abs((one["0.long"] as? Double ?? 0) - points[2].lon) < 1e-9)
        }
    }
}
