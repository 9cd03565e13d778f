import CityLoopDomain
import CityLoopHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Transport permits (准运证) over HTTP, as the console's administration pages use them: a permit is refused naming
/// the field at fault (its dates, its vehicle, a site of the wrong kind), and an administrator removes one, after
/// which neither the list nor its truck shows it. The rules' settings tell the console the city's UTC offset.
@Suite struct TransportPermitAPITests {
    /// A permit of the tiny demo city's first truck, from its construction site to its disposal site.
    static func permit(_ api: API, id: String = "ZY-9001") -> [String: Any] {
        let now = api.city.clock.now()
        return [
            "id": id, "vehicleID": "ZT-0001", "originSiteID": "CS-001", "destinationSiteID": "DS-01",
            "corridor": [["lat": 34.75, "lon": 113.62], ["lat": 34.76, "lon": 113.64]], "corridorMetres": 150,
            "validFrom": VehicleAPITests.iso(now.addingTimeInterval(-86_400)), "validTo": VehicleAPITests.iso(now.addingTimeInterval(30 * 86_400)),
            "dailyHours": ["07:00-22:00"],
        ]
    }

    @Test func aPermitIsRefusedNamingTheFieldAtFault() async throws {
        try await TestCity.serve { api in
            // setup
            let good = Self.permit(api)
            let now = api.city.clock.now()
            for (bad, field) in [
                (good.merging(["validTo": VehicleAPITests.iso(now.addingTimeInterval(-2 * 86_400))]) { $1 }, "[0].validTo"),
                (good.merging(["vehicleID": "ZT-9999"]) { $1 }, "[0].vehicleID"),
                (good.merging(["originSiteID": "DS-01"]) { $1 }, "[0].originSiteID"),
                (good.merging(["destinationSiteID": "DS-99"]) { $1 }, "[0].destinationSiteID"),
                (good.merging(["corridor": [["lat": 34.75, "lon": 113.62]]]) { $1 }, "[0].corridor"),
                (good.merging(["corridor": (0...2000).map { ["lat": 34.75, "lon": 113.62 + Double($0) * 1e-5] }]) { $1 }, "[0].corridor"),
                (good.merging(["dailyHours": ["7-22"]]) { $1 }, "body[0].dailyHours[0]"),
                (good.merging(["id": "ZY/9001"]) { $1 }, "[0].id"),
                (good.merging(["id": String(repeating: "准", count: 65)]) { $1 }, "[0].id"),
                (good.merging(["id": " "]) { $1 }, "[0].id"),
            ] {
                // MUT
                let r = try await VehicleAPITests.array(api, .put, "/api/v1/transport-permits", [bad])
                // validate
                #expect(r.status == .unprocessableContent && r.errorField == field, "\(field): \(r)")
            }
            #expect(try await api.get("/api/v1/transport-permits?vehicle=ZT-0001", as: "dispatcher").objects("").allSatisfy { $0["id"] as? String != "ZY-9001" })
            #expect(try await VehicleAPITests.array(api, .put, "/api/v1/transport-permits", [good]).status == .ok)
        }
    }

    @Test func aSiteAPermitNamesIsNeitherRemovedNorMadeAnotherKind() async throws {
        try await TestCity.serve { api in
            // setup: the truck's permit from CS-001 to DS-01
            #expect(try await VehicleAPITests.array(api, .put, "/api/v1/transport-permits", [Self.permit(api)]).status == .ok)
            let sites = try await api.get("/api/v1/vehicle-sites", as: "admin").objects("")
            var origin = try #require(sites.first { $0["id"] as? String == "CS-001" })

            // MUT: the origin made a disposal site, then removed
            origin["kind"] = "disposalSite"
            let remade = try await VehicleAPITests.array(api, .put, "/api/v1/vehicle-sites", [origin])
            let removed = try await api.send(.delete, "/api/v1/vehicle-sites/CS-001", as: "admin")

            // validate: both refused naming why, and the site is as it was
            #expect(remade.status == .unprocessableContent && remade.errorField == "[0].kind" && remade.errorCode == "site.in_use", "\(remade)")
            #expect(removed.status == .conflict && removed.errorCode == "site.in_use", "\(removed)")
            let after = try await api.get("/api/v1/vehicle-sites", as: "admin").objects("").first { $0["id"] as? String == "CS-001" }
            #expect(after?["kind"] as? String == "constructionSite")

            // Once no unexpired permit names it, it may go.
            for permit in try await api.get("/api/v1/transport-permits", as: "admin").objects("")
            where [permit["originSiteID"] as? String, permit["destinationSiteID"] as? String].contains("CS-001") {
                let id = try #require(permit["id"] as? String)
                #expect(try await api.send(.delete, "/api/v1/transport-permits/\(id)", as: "admin").status == .ok)
            }
            #expect(try await api.send(.delete, "/api/v1/vehicle-sites/CS-001", as: "admin").status == .ok)
        }
    }

    @Test func anAdministratorRemovesAPermitAndItIsGone() async throws {
        try await TestCity.serve { api in
            // setup: a permit of the truck's besides the demo's
            #expect(try await VehicleAPITests.array(api, .put, "/api/v1/transport-permits", [Self.permit(api)]).status == .ok)
            func ids(_ path: String, _ key: String = "") async throws -> [String] {
                try await api.get(path, as: "dispatcher").objects(key).compactMap { $0["id"] as? String }
            }
            #expect(try await ids("/api/v1/vehicles/ZT-0001", "permits").contains("ZY-9001"))

            // MUT: others may not; an unknown permit is not found
            #expect(try await api.send(.delete, "/api/v1/transport-permits/ZY-9001", as: "dispatcher").status == .forbidden)
            let unknown = try await api.send(.delete, "/api/v1/transport-permits/ZY-404", as: "admin")
            #expect(unknown.status == .notFound, "\(unknown)")
            #expect(try await ids("/api/v1/transport-permits").contains("ZY-9001"))

            // MUT: the administrator removes it
            let removed = try await api.send(.delete, "/api/v1/transport-permits/ZY-9001", as: "admin")

            // validate: gone from the list and from the truck's page; the demo's permit of the truck stays
            #expect(removed.status == .ok && removed.string("deleted") == "ZY-9001", "\(removed)")
            let left = try await ids("/api/v1/transport-permits")
            #expect(!left.contains("ZY-9001") && left.contains("ZY-0001"), "\(left)")
            #expect(try await ids("/api/v1/vehicles/ZT-0001", "permits") == ["ZY-0001"])
            #expect(try await api.send(.delete, "/api/v1/transport-permits/ZY-9001", as: "admin").status == .notFound)
        }
    }

    @Test func aPermitNumberedInChineseIsRemovedByItsEncodedPath() async throws {
        try await TestCity.serve { api in
            // setup: a permit numbered as the city writes them, with a space and a colon
            let number = "郑渣准字〔2026〕第 0012:A 号"
            let saved = try await VehicleAPITests.array(api, .put, "/api/v1/transport-permits", [Self.permit(api, id: number)])
            #expect(saved.status == .ok, "\(saved)")
            let path = "/api/v1/transport-permits/\(VehicleAPITests.pathSegment(number))"

            // MUT: removed by the path the console sends, every character but ASCII letters and digits encoded
            let removed = try await api.send(.delete, path, as: "admin")

            // validate: gone; once only
            #expect(removed.status == .ok && removed.string("deleted") == number, "\(removed)")
            let left = try await api.get("/api/v1/transport-permits", as: "dispatcher").objects("").compactMap { $0["id"] as? String }
            #expect(!left.contains(number), "\(left)")
            #expect(try await api.send(.delete, path, as: "admin").status == .notFound)
        }
    }

    @Test func aPathParameterThatIsNotPercentEncodedUTF8IsABadRequestNamingIt() async throws {
        // setup: the router itself, which takes a path as sent (an HTTP client would encode a stray `%` first)
        let city = try await TestCity.make()
        defer { try? FileManager.default.removeItem(at: city.folder) }
        let app = Application(router: buildRouter(platform: city.platform))
        try await app.test(.router) { client in
            let login = try await client.execute(
                uri: "/api/v1/auth/login", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"username": "admin", "password": "\#(TestCity.password)"}"#))
            let token = try #require(Reply(status: login.status, headers: login.headers, data: Data(buffer: login.body)).string("token"))
            func delete(_ id: String) async throws -> Reply {
                let r = try await client.execute(uri: "/api/v1/transport-permits/\(id)", method: .delete, headers: [.authorization: "Bearer \(token)"])
                return Reply(status: r.status, headers: r.headers, data: Data(buffer: r.body))
            }
            for bad in ["%E9%83", "100%", "%zz"] {
                // MUT
                let r = try await delete(bad)
                // validate
                #expect(r.status == .badRequest && r.errorField == "id" && r.errorCode == "path.malformed", "\(bad): \(r)")
            }
            let nul = try await delete("a%00b")
            #expect(nul.status == .unprocessableContent && nul.errorField == "id", "\(nul)")
            #expect(try await delete("ZY-404").status == .notFound)
        }
    }

    @Test func sitesAndVehiclesAreRefusedNamingTheFieldAtFault() async throws {
        try await TestCity.serve { api in
            let ring = [[34.75, 113.62], [34.75, 113.63], [34.76, 113.63], [34.75, 113.62]].map { ["lat": $0[0], "lon": $0[1]] }
            let site: [String: Any] = ["id": "CS-9", "name": "工地", "kind": "constructionSite", "boundary": ["outer": ring, "holes": [Any]()]]
            for name in [" ", "\n\n", " \r\n\t"] {
                let nameless = try await VehicleAPITests.array(api, .put, "/api/v1/vehicle-sites", [site.merging(["name": name]) { $1 }])
                #expect(nameless.status == .unprocessableContent && nameless.errorField == "[0].name", "\(name.debugDescription): \(nameless)")
            }
            for id in ["CS/9", String(repeating: "场", count: 65), "..", "\u{3000}"] {
                let r = try await VehicleAPITests.array(api, .put, "/api/v1/vehicle-sites", [site.merging(["id": id]) { $1 }])
                #expect(r.status == .unprocessableContent && r.errorField == "[0].id" && r.errorCode == "site.id", "\(id): \(r)")
            }
            let truck: [String: Any] = ["id": "T-1", "plate": "豫A12345", "kind": "muckTruck", "hasLoadSensor": true, "companyID": "nobody"]
            let companyless = try await VehicleAPITests.array(api, .put, "/api/v1/vehicles", [truck])
            #expect(companyless.status == .unprocessableContent && companyless.errorField == "[0].companyID", "\(companyless)")
        }
    }

    @Test func theRulesSettingsTellTheCitysOffsetAndCorridorWidth() async throws {
        try await TestCity.serve { api in
            let rules = try await api.get("/api/v1/vehicle-rules", as: "dispatcher")
            #expect(rules.status == .ok && rules.int("utcOffsetSeconds") == 8 * 3600, "\(rules)")
            #expect(rules["deviationMetres"] as? Double == 200, "\(rules)")
            #expect(try await api.get("/api/v1/vehicle-rules", as: "citizen").status == .forbidden)
        }
    }
}
