import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import Testing

/// Vehicles over HTTP: the registry, sites and permits, positions from a fleet platform run through the rules
/// (a truck unloading outside any disposal site is suspected of dumping), the track read back, and bad input
/// refused naming the field.
@Suite struct VehicleAPITests {
    static func square(_ c: GeoPoint, metres: Double) -> [String: Any] {
        let ring = [(-1.0, -1.0), (1, -1), (1, 1), (-1, 1), (-1, -1)].map { c.offset(eastMetres: $0.0 * metres, northMetres: $0.1 * metres) }
        return ["outer": ring.map { ["lat": $0.lat, "lon": $0.lon] }, "holes": [Any]()]
    }

    /// Removes the demo fleet's permits, then its sites, for a test that draws its own.
    static func removeDemoSites(_ api: API) async throws {
        for permit in try await api.get("/api/v1/transport-permits", as: "operator").objects("") {
            let id = try #require(permit["id"] as? String)
            #expect(try await api.send(.delete, "/api/v1/transport-permits/\(id)", as: "admin").status == .ok)
        }
        for site in try await api.get("/api/v1/vehicle-sites", as: "operator").objects("") {
            let id = try #require(site["id"] as? String)
            #expect(try await api.send(.delete, "/api/v1/vehicle-sites/\(id)", as: "admin").status == .ok)
        }
    }

    static func array(_ api: API, _ method: HTTPRequest.Method, _ uri: String, _ body: [[String: Any]], as user: String = "admin") async throws -> Reply {
        var h = HTTPFields()
        h[.contentType] = "application/json"
        return try await api.send(method, uri, as: user, raw: try JSONSerialization.data(withJSONObject: body), headers: h)
    }

    static func iso(_ d: Date) -> String { ISO8601DateFormatter().string(from: d) }

    /// A path segment encoded as the console's `encodeURIComponent` does: all but ASCII letters, digits and `-_.~`.
    static func pathSegment(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"))!
    }

    @Test func aSiteSentWithItsRingClosedIsStoredOpen() async throws {
        try await TestCity.serve { api in
            // setup: a square as GeoJSON writes rings, its first corner repeated at the end
            let square = Self.square(api.city.point, metres: 100)
            let site: [String: Any] = ["id": "CS-R", "name": "工地", "kind": "constructionSite", "boundary": square]

            // MUT
            let saved = try await Self.array(api, .put, "/api/v1/vehicle-sites", [site])

            // validate: read back open, its four corners once each; two corners and the first again are no outline
            #expect(saved.status == .ok, "\(saved)")
            let stored = try await api.get("/api/v1/vehicle-sites", as: "dispatcher").objects("").first { $0["id"] as? String == "CS-R" }
            let outer = ((stored?["boundary"] as? [String: Any])?["outer"] as? [[String: Any]]) ?? []
            let sent = (square["outer"] as? [[String: Any]]) ?? []
            #expect(outer.count == 4 && outer.map { $0["lat"] as? Double } == sent.prefix(4).map { $0["lat"] as? Double }, "\(outer)")
            let flat = try await Self.array(
                api, .put, "/api/v1/vehicle-sites", [site.merging(["boundary": ["outer": [sent[0], sent[1], sent[0]], "holes": [Any]()]]) { $1 }])
            #expect(flat.status == .unprocessableContent && flat.errorField == "[0].boundary", "\(flat)")
        }
    }

    @Test func aVehicleWhoseIDHoldsAColonIsReadByItsEncodedPath() async throws {
        try await TestCity.serve { api in
            // setup: a truck registered under its terminal's protocol and number
            let id = "JT808:013912345678"
            let truck: [String: Any] = ["id": id, "plate": "豫A54321", "kind": "muckTruck", "hasLoadSensor": true]
            #expect(try await Self.array(api, .put, "/api/v1/vehicles", [truck]).status == .ok)

            // MUT: read as the console asks for it, `:` encoded
            let read = try await api.get("/api/v1/vehicles/\(Self.pathSegment(id))", as: "operator")

            // validate: found (not taken for a free ID), and an unknown ID is still not found
            #expect(read.status == .ok && read.string("vehicle.id") == id && read.string("vehicle.plate") == "豫A54321", "\(read)")
            #expect(try await api.get("/api/v1/vehicles/\(Self.pathSegment("JT808:404"))", as: "operator").status == .notFound)
            #expect(try await api.get("/api/v1/vehicles/\(Self.pathSegment(id))/track", as: "operator").status == .ok)
        }
    }

    @Test func aTruckUnloadingOutsideADisposalSiteIsSuspectedOfDumpingAndItsTrackReadsBack() async throws {
        try await TestCity.serve { api in
            let truck: [String: Any] = [
                "id": "T-1", "plate": "豫A12345", "kind": "muckTruck", "terminalPhone": "013912345678", "hasLoadSensor": true, "companyID": "haulage-hengtong",
            ]
            let saved = try await Self.array(api, .put, "/api/v1/vehicles", [truck])
            #expect(saved.status == .ok, "\(saved)")
            let listed = try await api.get("/api/v1/vehicles?limit=5000", as: "operator").objects("")
            #expect(listed.first { $0["id"] as? String == "T-1" }?["terminalPhone"] as? String == "13912345678", "\(listed)")
            for (body, field) in [
                (truck.merging(["plate": "A\u{7}"]) { $1 }, "body[0].plate"),
                (truck.merging(["terminalPhone": "12ab"]) { $1 }, "[0].terminalPhone"),
                (truck.merging(["id": "bad id"]) { $1 }, "[0].id"),
                (truck.merging(["plate": "\n \r\n"]) { $1 }, "[0].plate"),
            ] {
                let r = try await Self.array(api, .put, "/api/v1/vehicles", [body])
                #expect(r.status == .unprocessableContent && r.errorField == field, "\(field): \(r) \(r.errorField ?? "-")")
            }
            // The rule's own code, as for sites, permits and drivers (not one made of the item's place in the list).
            let phoneless = try await Self.array(api, .put, "/api/v1/vehicles", [truck, truck.merging(["id": "T-2", "terminalPhone": "12ab"]) { $1 }])
            #expect(phoneless.errorField == "[1].terminalPhone" && phoneless.errorCode == "invalid.terminalPhone", "\(phoneless)")
            #expect(try await Self.array(api, .put, "/api/v1/vehicles", [truck], as: "operator").status == .forbidden)

            // The demo fleet's sites go; this test draws its own. A site an unexpired permit names stays until the permit goes.
            let named = try #require(try await api.get("/api/v1/transport-permits", as: "operator").objects("").first?["originSiteID"] as? String)
            let refused = try await api.send(.delete, "/api/v1/vehicle-sites/\(named)", as: "admin")
            #expect(refused.status == .conflict && refused.errorCode == "site.in_use", "\(refused)")
            try await Self.removeDemoSites(api)
            #expect(try await api.send(.delete, "/api/v1/vehicle-sites/CS-404", as: "admin").status == .notFound)
            let site = api.city.point
            // An empty field in another grid of the city, far enough from the construction site to drive to.
            let field = try #require(
                api.city.platform.context.map.grids.map(\.boundary.interiorPoint).filter { $0.distance(to: site) > 500 }
                    .min { $0.distance(to: site) < $1.distance(to: site) })
            let sites: [[String: Any]] = [
                ["id": "CS-1", "name": "工地", "kind": "constructionSite", "boundary": Self.square(site, metres: 150)],
                ["id": "DS-1", "name": "消纳场", "kind": "disposalSite", "boundary": Self.square(site.offset(eastMetres: 0, northMetres: 5000), metres: 200)],
            ]
            #expect(try await Self.array(api, .put, "/api/v1/vehicle-sites", sites).status == .ok)
            #expect(try await Self.array(api, .put, "/api/v1/vehicle-sites", [sites[0].merging(["boundary": ["outer": [["lat": 1, "lon": 2]]]]) { $1 }]).status
                == .unprocessableContent)
            #expect(try await api.get("/api/v1/vehicle-sites", as: "operator").objects("").count == 2)

            // Loaded for two minutes inside the construction site, then out along the road, then empty in a field.
            let t0 = api.city.clock.now().addingTimeInterval(-3600)
            var positions: [[String: Any]] = []
            for i in 0..<8 { positions.append(["vehicle": "T-1", "at": Self.iso(t0.addingTimeInterval(Double(i * 15))), "lat": site.lat, "lon": site.lon, "speed": 0, "load": "full"]) }
            for i in 1...10 {
                let p = GeoPoint(lat: site.lat + (field.lat - site.lat) * Double(i) / 10, lon: site.lon + (field.lon - site.lon) * Double(i) / 10)
                positions.append(["vehicle": "T-1", "at": Self.iso(t0.addingTimeInterval(Double(120 + i * 15))), "lat": p.lat, "lon": p.lon, "speed": 40, "load": "full"])
            }
            positions.append(["vehicle": "T-1", "at": Self.iso(t0.addingTimeInterval(300)), "lat": field.lat, "lon": field.lon, "speed": 0, "load": "empty"])
            positions.append(["vehicle": "T-9", "at": Self.iso(t0), "lat": site.lat, "lon": site.lon])
            positions.append(["vehicle": "T-1", "at": "yesterday", "lat": site.lat, "lon": site.lon])
            positions.append(["vehicle": "T-1", "at": Self.iso(t0), "lat": 91, "lon": site.lon])
            let posted = try await api.send(.post, "/api/v1/vehicles/positions", as: "admin", json: ["positions": positions])
            #expect(posted.status == .ok, "\(posted)")
            #expect(posted.int("accepted") == 19 && posted.int("stored") == 19, "\(posted)")
            #expect(Set(posted.objects("rejected").compactMap { $0["field"] as? String }) == ["at", "lat", "vehicle"], "\(posted)")
            let kinds = posted.objects("events").compactMap { $0["kind"] as? String }
            #expect(kinds.filter { $0 == "dumpingSuspected" }.count == 1, "\(kinds)")

            // The suspected dumping is a case where the truck unloaded, for the grid's inspector to verify, with the track.
            let cases = try await api.get("/api/v1/cases?source=sensor&limit=50", as: "operator")
            let dumping = cases.objects("items").filter { $0["matterCode"] as? String == "06011" }
            #expect(dumping.count == 1, "\(cases)")
            #expect((dumping.first?["description"] as? String)?.contains("/api/v1/vehicles/T-1/track?from=") == true, "\(dumping)")

            let events = try await api.get("/api/v1/vehicle-events?vehicle=T-1", as: "operator")
            #expect(events.objects("").compactMap { ($0["event"] as? [String: Any])?["kind"] as? String }.first == "dumpingSuspected", "\(events)")
            let track = try await api.get("/api/v1/vehicles/T-1/track?from=\(Self.iso(t0))&to=\(Self.iso(t0.addingTimeInterval(301)))", as: "operator")
            #expect(track.objects("").count == 19, "\(track)")
            #expect(try await api.get("/api/v1/vehicles/T-1", as: "operator").string("lastPosition.load") == "empty")
            #expect(try await api.get("/api/v1/vehicles/positions/latest", as: "operator").objects("").count == 1)
            #expect(try await api.get("/api/v1/vehicles/T-404/track", as: "operator").status == .notFound)
            #expect(try await api.get("/api/v1/vehicles/T-1/track?limit=0", as: "operator").errorField == "limit")

            // The same positions again: nothing stored twice, no event twice.
            let again = try await api.send(.post, "/api/v1/vehicles/positions", as: "admin", json: ["positions": positions])
            #expect(again.int("stored") == 0 && again.objects("events").isEmpty, "\(again)")
            // The leader's sweep finds the case made already.
            let swept = try await VehicleEventCases(platform: api.city.platform).sweep()
            #expect(swept.cases == [try #require(dumping.first?["id"] as? String)].map { CaseID($0) } && swept.failed.isEmpty)

            // The truck's company loses credit for the suspected dumping and for driving loaded without a permit, and the
            // events behind the deductions are listed.
            let month = EvaluationPeriod.containing(t0, kind: .month).name
            let credit = try await api.get("/api/v1/evaluation/contractors?period=\(month)", as: "leader").objects("")
            let hengtong = try #require(credit.first { $0["id"] as? String == "haulage-hengtong" }, "\(credit)")
            #expect((hengtong["deductions"] as? [String: Any])?["vehicle.dumping_suspected"] as? Double == 5, "\(hengtong)")
            #expect((hengtong["deductions"] as? [String: Any])?["vehicle.unpermitted_trip"] as? Double == 3, "\(hengtong)")
            #expect((hengtong["vehicleEvents"] as? [String: Any])?["dumpingSuspected"] as? Int == 1, "\(hengtong)")
            let behind = try await api.get("/api/v1/evaluation/contractors/haulage-hengtong/vehicle-events?period=\(month)", as: "leader").objects("")
            #expect(Set(behind.compactMap { ($0["event"] as? [String: Any])?["kind"] as? String }) == ["dumpingSuspected", "unpermittedTrip"], "\(behind)")
            #expect(try await api.get("/api/v1/evaluation/contractors/sanitation/vehicle-events", as: "leader").status == .notFound)
        }
    }
}
