import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import Testing

/// What the web console reads besides the case API: its pages, the base map, the dashboard, clusters and the
/// public facilities map.
@Suite struct ConsoleAPITests {
    @Test func pagesAndLibrariesAreServed() async throws {
        try await TestCity.serve { api in
            let index = try await api.get("/")
            #expect(index.status == .ok)
            let html = String(decoding: index.data, as: UTF8.self)
            #expect(html.contains("/js/app.js") && html.contains("/vendor/leaflet/leaflet.js"))
            #expect(try await api.get("/js/core.js").status == .ok)
            let zh = try await api.get("/i18n/zh.json")
            #expect((zh.json as? [String: Any])?["app.name"] as? String == "CityLoop 智慧城管", "\(zh)")
            let en = try await api.get("/i18n/en.json")
            // One table per language, with the same keys.
            let zhKeys = Set((zh.json as? [String: Any] ?? [:]).keys)
            #expect(!zhKeys.isEmpty && zhKeys == Set((en.json as? [String: Any] ?? [:]).keys))
            if FileManager.default.fileExists(atPath: "/usr/share/javascript/leaflet/leaflet.js") {
                #expect(try await api.get("/vendor/leaflet/leaflet.js").status == .ok)
                #expect(try await api.get("/vendor/chart.js/chart.min.js").status == .ok)
            }
            // The API still answers where no file exists.
            #expect(try await api.get("/health").status == .ok)
            #expect(try await api.get("/nope.js").status == .notFound)
        }
    }

    @Test func mapLayersHoldEveryGridDistrictAndStreet() async throws {
        try await TestCity.serve { api in
            let r = try await api.get("/api/v1/map/layers")
            #expect(r.status == .ok)
            let map = api.city.platform.context.map
            #expect(r.array("grids").count == map.grids.count)
            #expect(r.array("districts").count == map.areas.values.filter { $0.level == .district }.count)
            #expect(r.array("streets").count == map.areas.values.filter { $0.level == .street }.count)
            let south = try #require(r["bounds.0.0"] as? Double)
            let north = try #require(r["bounds.1.0"] as? Double)
            #expect(south < north && (r["grids.0.ring"] as? [Any])?.count ?? 0 >= 4)
            let config = try await api.get("/api/v1/console/config")
            #expect(config.status == .ok && config["tileURL"] == nil)
        }
    }

    @Test func dashboardCountsTodayAndFollowsTheCases() async throws {
        try await TestCity.serve { api in
            let before = try await api.get("/api/v1/dashboard", as: "leader")
            #expect(before.status == .ok, "\(before)")
            let reported = try #require(before.int("today.reported"))
            let open = try #require(before.int("today.open"))
            #expect(before.array("trend").count == 30)
            let id = try await api.dispatchedCase()
            let after = try await api.get("/api/v1/dashboard", as: "leader")
            #expect(after.int("today.reported") == reported + 1)
            #expect(after.int("today.filed") == (before.int("today.filed") ?? 0) + 1)
            #expect(after.int("today.open") == open + 1)
            let grid = api.city.grid.code
            let openInGrid = after.objects("grids").first { $0["code"] as? String == grid }?["open"] as? Int
            #expect((openInGrid ?? 0) >= 1)
            // Narrowed to another district, the new case is not counted.
            let other = try await api.get("/api/v1/dashboard?area=410105", as: "leader")
            #expect(other.status == .ok && (other.int("today.open") ?? 0) < (after.int("today.open") ?? 0))
            _ = id
            // Scoped roles and bad input.
            #expect(try await api.get("/api/v1/dashboard", as: "handler").status == .forbidden)
            #expect(try await api.get("/api/v1/dashboard").status == .unauthorized)
            let bad = try await api.get("/api/v1/dashboard?area=999999", as: "leader")
            #expect(bad.status == .unprocessableContent && bad.string("error.field") == "area", "\(bad)")
        }
    }

    @Test func clustersGroupOpenCasesAndRefuseBadBoxes() async throws {
        try await TestCity.serve { api in
            let id = try await api.dispatchedCase()
            let p = api.city.point
            let box = "\(p.lat - 0.0001),\(p.lon - 0.0001),\(p.lat + 0.0001),\(p.lon + 0.0001)"
            let r = try await api.get("/api/v1/cases/clusters?bbox=\(box)&cell=0.0001", as: "leader")
            #expect(r.status == .ok, "\(r)")
            let mine = r.objects("").first { $0["id"] as? String == id }
            #expect(mine?["count"] as? Int == 1 && mine?["state"] as? String == "dispatched", "\(r)")
            let city = try await api.get("/api/v1/cases/clusters?bbox=34,113,35,114&cell=0.5", as: "dispatcher")
            let total = city.objects("").reduce(0) { $0 + ($1["count"] as? Int ?? 0) }
            let open = try await api.get("/api/v1/dashboard", as: "leader").int("today.open")
            #expect(total == open)
            for (query, field) in [("bbox=1,2,3", "bbox"), ("bbox=35,113,34,114", "bbox"), ("bbox=34,113,35,114&cell=0", "cell"),
                                   ("bbox=-80,-170,80,170&cell=0.0001", "cell"), ("cell=0.1", "bbox")] {
                let bad = try await api.get("/api/v1/cases/clusters?\(query)", as: "leader")
                #expect(bad.status == .unprocessableContent && bad.string("error.field") == field, "\(query): \(bad)")
            }
            #expect(try await api.get("/api/v1/cases/clusters?bbox=34,113,35,114", as: "citizen").status == .forbidden)
        }
    }

    @Test func publicFacilitiesAreSearchableByNameAndNearest() async throws {
        try await TestCity.serve { api in
            let all = try await api.get("/api/v1/public/facilities?limit=500")
            #expect(all.status == .ok, "\(all)")
            #expect(all.objects("classes").contains { $0["code"] as? String == "03001" })
            let items = all.objects("items")
            #expect(!items.isEmpty && items.allSatisfy { ["03001", "04013", "03004", "03005", "01040", "01052", "02001", "02026", "01054"].contains($0["classCode"] as? String ?? "") })
            let p = api.city.point
            let near = try await api.get("/api/v1/public/facilities?lat=\(p.lat)&lon=\(p.lon)&limit=5")
            let distances = near.objects("items").compactMap { $0["distance"] as? Double }
            #expect(distances.count == near.objects("items").count && distances == distances.sorted(), "\(near)")
            let toilets = try await api.get("/api/v1/public/facilities?class=03001&q=\("厕所".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)")
            #expect(toilets.objects("items").allSatisfy { $0["classCode"] as? String == "03001" })
            for (query, field) in [("class=01001", "class"), ("lat=34.7", "lon"), ("limit=0", "limit"), ("lat=91&lon=0", "lat")] {
                let bad = try await api.get("/api/v1/public/facilities?\(query)")
                #expect(bad.status == .unprocessableContent && bad.string("error.field") == field, "\(query): \(bad)")
            }
        }
    }

    @Test func sendVerifyPutsAReportBackBeforeTheInspector() async throws {
        try await TestCity.serve { api in
            // An inspector's report skips verification; the operator may still ask for one on site.
            let id = try await api.newCase(as: "inspector", garbageReport(at: api.city.point, ["clientRequestID": "patrol-1"]))
            let sent = try await api.step("send_verify", id, as: "operator", ["comment": "请现场确认"])
            #expect(sent.string("case.state") == "pending_verification")
            #expect(try await api.act("send_verify", id, as: "operator").status == .conflict)
            try await api.step("verify", id, as: "inspector")
        }
    }

    @Test func operatorsCorrectMatterAndLocationBeforeFiling() async throws {
        try await TestCity.serve { api in
            let id = try await api.newCase(as: "operator", garbageReport(at: api.city.point, ["clientRequestID": "call-2"]))
            let other = try #require(api.city.platform.context.map.grids.first { $0.code.hasPrefix("410103") })
            let p = other.boundary.interiorPoint
            let fixed = try await api.step("correct", id, as: "operator", ["matterCode": "06012", "lat": p.lat, "lon": p.lon, "address": "二七区某路1号"])
            #expect(fixed.string("case.matterCode") == "06012" && fixed.string("case.placement.gridCode") == other.code, "\(fixed)")
            #expect(fixed.string("case.address") == "二七区某路1号" && fixed.string("case.state") == "pending_verification")
            // The grid follows in queries, and bad corrections change nothing.
            let listed = try await api.get("/api/v1/cases?grid=\(other.code)", as: "operator")
            #expect(listed.objects("items").contains { $0["id"] as? String == id })
            for (body, field) in [(["matterCode": "99999"], "matterCode"), (["lat": 10.0, "lon": 10.0], "lat"), (["lat": p.lat], "lon"), ([:], "matterCode")] as [([String: Any], String)] {
                let bad = try await api.act("correct", id, as: "operator", body)
                #expect(bad.status == .unprocessableContent && bad.string("error.field") == field, "\(body): \(bad)")
            }
            #expect(try await api.act("correct", id, as: "dispatcher", ["matterCode": "06010"]).status == .forbidden)
            let after = try await api.get("/api/v1/cases/\(id)", as: "operator")
            #expect(after.string("case.matterCode") == "06012")
        }
    }

    @Test func componentsInsideABox() async throws {
        try await TestCity.serve { api in
            let g = api.city.grid.boundary.boundingBox
            let r = try await api.get("/api/v1/components?bbox=\(g.minLat),\(g.minLon),\(g.maxLat),\(g.maxLon)&limit=2000", as: "leader")
            #expect(r.status == .ok, "\(r)")
            let items = r.objects("items")
            #expect(items.count == r.int("total"))
            #expect(items.allSatisfy { c in
                guard let lat = c["point"].flatMap({ ($0 as? [String: Any])?["lat"] as? Double }),
                    let lon = c["point"].flatMap({ ($0 as? [String: Any])?["lon"] as? Double }) else { return false }
                return lat >= g.minLat && lat <= g.maxLat && lon >= g.minLon && lon <= g.maxLon
            })
            let inGrid = try await api.get("/api/v1/components?area=\(api.city.grid.code)&limit=1000", as: "leader")
            #expect(items.count >= (inGrid.int("total") ?? 0))
            let bad = try await api.get("/api/v1/components?bbox=1,2,3", as: "leader")
            #expect(bad.status == .unprocessableContent && bad.string("error.field") == "bbox")
        }
    }
}
