import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import Testing

/// Weighbridge tickets over HTTP: a ticket matched by plate to the trip the truck's positions made, an empty arrival
/// raising an event that costs the company credit, a vehicle not in the registry, a repeat changing nothing, CSV
/// import, the trips and totals read back, and bad input refused naming the field with nothing stored.
@Suite struct WeighbridgeAPITests {
    static func iso(_ d: Date) -> String { ISO8601DateFormatter().string(from: d) }

    static func csv(_ api: API, _ text: String, as user: String = "admin") async throws -> Reply {
        var h = HTTPFields()
        h[.contentType] = "text/csv; charset=utf-8"
        return try await api.send(.post, "/api/v1/weighbridge-tickets", as: user, raw: Data(text.utf8), headers: h)
    }

    @Test func ticketsAreMatchedToTripsAndAnEmptyArrivalCostsCredit() async throws {
        try await TestCity.serve { api in
            let truck: [String: Any] = [
                "id": "T-1", "plate": "豫A·D1234", "kind": "muckTruck", "hasLoadSensor": true, "companyID": "haulage-hengtong", "capacityTonnes": 18,
            ]
            #expect(try await VehicleAPITests.array(api, .put, "/api/v1/vehicles", [truck]).status == .ok)
            try await VehicleAPITests.removeDemoSites(api)
            let site = api.city.point
            let dump = site.offset(eastMetres: 0, northMetres: 3000)
            let sites: [[String: Any]] = [
                ["id": "CS-1", "name": "工地", "kind": "constructionSite", "boundary": VehicleAPITests.square(site, metres: 150)],
                ["id": "DS-1", "name": "消纳场", "kind": "disposalSite", "boundary": VehicleAPITests.square(dump, metres: 200)],
                ["id": "WB-1", "name": "地磅", "kind": "weighbridge", "boundary": VehicleAPITests.square(dump.offset(eastMetres: 0, northMetres: -150), metres: 20)],
                ["id": "FZ-1", "name": "禁行区", "kind": "forbiddenZone", "boundary": VehicleAPITests.square(site.offset(eastMetres: 3000, northMetres: 0), metres: 100)],
            ]
            #expect(try await VehicleAPITests.array(api, .put, "/api/v1/vehicle-sites", sites).status == .ok)

            // Loaded at the construction site, 3 km north to the disposal site, empty there: one trip.
            let t0 = api.city.clock.now().addingTimeInterval(-3 * 3600)
            var positions: [[String: Any]] = []
            for i in 0...20 {
                let p = GeoPoint(lat: site.lat + (dump.lat - site.lat) * Double(i) / 20, lon: site.lon)
                positions.append(["vehicle": "T-1", "at": Self.iso(t0.addingTimeInterval(Double(i * 30))), "lat": p.lat, "lon": p.lon, "speed": 20, "load": "full"])
            }
            positions.append(["vehicle": "T-1", "at": Self.iso(t0.addingTimeInterval(660)), "lat": dump.lat, "lon": dump.lon, "speed": 0, "load": "empty"])
            let posted = try await api.send(.post, "/api/v1/vehicles/positions", as: "admin", json: ["positions": positions])
            #expect(posted.status == .ok && posted.int("stored") == 22, "\(posted)")
            #expect(!posted.objects("events").contains { $0["kind"] as? String == "dumpingSuspected" }, "\(posted)")

            // Weighed at the gate's weighbridge by plate (written another way), loaded.
            let loaded: [String: Any] = [
                "number": "WB-20261205-001", "siteID": "WB-1", "plate": "豫AD1234", "weighedAt": Self.iso(t0.addingTimeInterval(580)),
                "grossKg": 31_000, "tareKg": 13_000, "material": "渣土",
            ]
            let first = try await VehicleAPITests.array(api, .post, "/api/v1/weighbridge-tickets", [loaded])
            #expect(first.status == .ok, "\(first)")
            let outcome = try #require(first.objects("").first)
            #expect(outcome["stored"] as? Bool == true && outcome["vehicleID"] as? String == "T-1" && outcome["finding"] == nil, "\(first)")
            #expect(outcome["tripStartedAt"] as? String == Self.iso(t0), "\(first)")
            let repeated = try await VehicleAPITests.array(api, .post, "/api/v1/weighbridge-tickets", [loaded])
            #expect(repeated.objects("").first?["stored"] as? Bool == false, "\(repeated)")

            // A CSV export: the same truck empty two hours later, and a truck the city does not know.
            let later = t0.addingTimeInterval(7200)
            let file = """
                number,siteID,plate,weighedAt,grossKg,tareKg,material
                DS-0002,DS-1,豫A D1234,\(Self.iso(later)),13500,13000,渣土
                DS-0003,DS-1,"豫B 77777",\(Self.iso(later.addingTimeInterval(60))),28000,12000,建筑垃圾
                """
            let imported = try await Self.csv(api, file)
            #expect(imported.status == .ok, "\(imported)")
            #expect(imported.objects("").map { $0["finding"] as? String } == ["arrivedEmpty", "unknownVehicle"], "\(imported)")
            let events = try await api.get("/api/v1/vehicle-events?vehicle=T-1", as: "operator").objects("")
            let empty = try #require(events.compactMap { $0["event"] as? [String: Any] }.first { $0["kind"] as? String == "weighedEmpty" }, "\(events)")
            #expect(empty["measured"] as? Double == 500 && empty["limit"] as? Double == 1800 && empty["siteID"] as? String == "DS-1", "\(empty)")

            // The trip with its ticket; the tickets and the totals.
            let trips = try await api.get("/api/v1/vehicles/T-1/trips", as: "operator").objects("")
            #expect(trips.count == 1, "\(trips)")
            #expect(trips.first?["netKg"] as? Double == 18_000 && trips.first?["underway"] as? Bool == false, "\(trips)")
            #expect((trips.first?["trip"] as? [String: Any])?["disposalSiteID"] as? String == "DS-1", "\(trips)")
            #expect((trips.first?["tickets"] as? [[String: Any]])?.count == 1, "\(trips)")
            let listed = try await api.get("/api/v1/weighbridge-tickets", as: "operator").objects("")
            #expect(listed.compactMap { ($0["ticket"] as? [String: Any])?["number"] as? String } == ["DS-0003", "DS-0002", "WB-20261205-001"], "\(listed)")
            #expect(try await api.get("/api/v1/weighbridge-tickets?vehicle=T-1&site=DS-1", as: "operator").objects("").count == 1)
            let byCompany = try await api.get("/api/v1/weighbridge-totals?by=company", as: "leader").objects("")
            let hengtong = try #require(byCompany.first { $0["companyID"] as? String == "haulage-hengtong" }, "\(byCompany)")
            #expect(hengtong["tickets"] as? Int == 2 && hengtong["netKg"] as? Double == 18_500 && hengtong["emptyTickets"] as? Int == 1, "\(hengtong)")
            #expect(try await api.get("/api/v1/weighbridge-totals?by=plate", as: "leader").errorField == "by")

            // The empty arrival costs the company credit.
            let month = EvaluationPeriod.containing(later, kind: .month).name
            let credit = try await api.get("/api/v1/evaluation/contractors?period=\(month)", as: "leader").objects("")
            let row = try #require(credit.first { $0["id"] as? String == "haulage-hengtong" }, "\(credit)")
            #expect((row["deductions"] as? [String: Any])?["vehicle.weighed_empty"] as? Double == 3, "\(row)")

            // Bad input: refused naming the field, nothing stored.
            var unknownSite = loaded
            unknownSite["number"] = "X-1"
            unknownSite["siteID"] = "CS-1"
            var heavyTare = loaded
            heavyTare["number"] = "X-2"
            heavyTare["tareKg"] = 40_000
            for (body, field) in [([loaded.merging(["number": "X-0"]) { $1 }, unknownSite], "[1].siteID"), ([heavyTare], "[0].tareKg")] {
                let r = try await VehicleAPITests.array(api, .post, "/api/v1/weighbridge-tickets", body)
                #expect(r.status == .unprocessableContent && r.errorField == field, "\(field): \(r)")
            }
            #expect(try await Self.csv(api, "number,site\nA,B\n").errorField == "body")
            let badLine = try await Self.csv(api, "number,siteID,plate,weighedAt,grossKg,tareKg\nY-1,DS-1,豫AD1234,yesterday,1,1\n")
            #expect(badLine.status == .unprocessableContent && badLine.errorField == "[0].weighedAt", "\(badLine)")
            #expect(try await VehicleAPITests.array(api, .post, "/api/v1/weighbridge-tickets", [loaded], as: "operator").status == .forbidden)
            #expect(try await api.get("/api/v1/weighbridge-tickets", as: "operator").objects("").count == 3)
            #expect(try await api.get("/api/v1/vehicles/T-404/trips", as: "operator").status == .notFound)
        }
    }
}
