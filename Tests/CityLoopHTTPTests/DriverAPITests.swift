import CityLoopDomain
import Foundation
import Hummingbird
import Testing

/// The fleet's drivers over HTTP: registered by an administrator (bad fields refused naming them), assigned to a
/// truck, and followed by the truck's events, which keep the driver of their time; a company's handler sees its own
/// drivers, others see their phones masked.
@Suite struct DriverAPITests {
    @Test func aDriverIsRegisteredAssignedAndFollowedByTheTrucksEvents() async throws {
        try await TestCity.serve { api in
            let zhang: [String: Any] = [
                "id": "D-1", "name": "张师傅", "licenceNumber": "410102199001011234", "phone": "13912345678", "companyID": "haulage-hengtong",
            ]
            for (bad, field) in [
                (zhang.merging(["licenceNumber": "12"]) { $1 }, "[0].licenceNumber"), (zhang.merging(["phone": "call me"]) { $1 }, "[0].phone"),
                (zhang.merging(["name": "a\u{7}"]) { $1 }, "body[0].name"), (zhang.merging(["companyID": "nobody"]) { $1 }, "[0].companyID"),
                (zhang.merging(["id": "has space"]) { $1 }, "[0].id"), (zhang.merging(["name": "\n\n"]) { $1 }, "[0].name"),
            ] {
                let r = try await VehicleAPITests.array(api, .put, "/api/v1/drivers", [bad])
                #expect(r.status == .unprocessableContent && r.errorField == field, "\(field): \(r)")
            }
            #expect(try await VehicleAPITests.array(api, .put, "/api/v1/drivers", [zhang], as: "dispatcher").status == .forbidden)
            func ids(_ path: String, as user: String) async throws -> [String] {
                try await api.get(path, as: user).objects("").compactMap { $0["id"] as? String }
            }
            #expect(!(try await ids("/api/v1/drivers", as: "dispatcher")).contains("D-1"), "nothing refused was kept")
            #expect(try await VehicleAPITests.array(api, .put, "/api/v1/drivers", [zhang]).status == .ok)

            // A truck names a registered driver only.
            let truck: [String: Any] = ["id": "T-1", "plate": "豫A12345", "kind": "muckTruck", "hasLoadSensor": true, "companyID": "haulage-hengtong"]
            let unknown = try await VehicleAPITests.array(api, .put, "/api/v1/vehicles", [truck.merging(["driverID": "D-9"]) { $1 }])
            #expect(unknown.status == .unprocessableContent && unknown.errorField == "[0].driverID", "\(unknown)")
            #expect(try await VehicleAPITests.array(api, .put, "/api/v1/vehicles", [truck.merging(["driverID": "D-1"]) { $1 }]).status == .ok)

            // The terminal's tamper bit: the event keeps the driver (and the company).
            let now = api.city.clock.now()
            let p = api.city.point
            let positions: [[String: Any]] = [
                ["vehicle": "T-1", "at": VehicleAPITests.iso(now.addingTimeInterval(-120)), "lat": p.lat, "lon": p.lon, "speed": 0, "alarm": 0],
                ["vehicle": "T-1", "at": VehicleAPITests.iso(now.addingTimeInterval(-90)), "lat": p.lat, "lon": p.lon, "speed": 0, "alarm": 1 << 28],
            ]
            let posted = try await api.send(.post, "/api/v1/vehicles/positions", as: "admin", json: ["positions": positions])
            let tampered = posted.objects("events").first { $0["kind"] as? String == "tampered" }
            #expect(tampered?["driverID"] as? String == "D-1" && tampered?["companyID"] as? String == "haulage-hengtong", "\(posted)")

            // The driver's page: the truck and the event; the phone masked but to admins.
            let shown = try await api.get("/api/v1/drivers/D-1", as: "dispatcher")
            #expect(shown.string("driver.name") == "张师傅" && (shown["vehicles"] as? [String]) == ["T-1"], "\(shown)")
            #expect(shown.objects("events").contains { ($0["event"] as? [String: Any])?["kind"] as? String == "tampered" }, "\(shown)")
            #expect(shown.string("driver.phone") != "13912345678" && shown.string("driver.phone")?.hasSuffix("5678") == true, "\(shown)")
            #expect(try await api.get("/api/v1/drivers/D-1", as: "admin").string("driver.phone") == "13912345678")
            #expect(try await api.send(.get, "/api/v1/drivers/D-404", as: "admin").status == .notFound)

            // The company's handler sees its drivers; another company's does not.
            #expect(try await ids("/api/v1/drivers", as: "handler-haulage-hengtong").contains("D-1"))
            #expect(!(try await ids("/api/v1/drivers", as: "handler")).contains("D-1"))
            #expect(try await ids("/api/v1/drivers?company=haulage-hengtong", as: "admin").contains("D-1"))
            #expect(try await api.send(.get, "/api/v1/drivers/D-1", as: "handler").status == .forbidden)
            #expect(try await api.send(.get, "/api/v1/drivers?company=haulage-hengtong", as: "handler").status == .forbidden)
            #expect(try await api.send(.get, "/api/v1/drivers", as: "citizen").status == .forbidden)
        }
    }
}
