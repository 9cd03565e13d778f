import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import Testing

/// Sanitation routes over HTTP: road segments and a sweeper's shift assignments saved (bad ones refused naming the
/// field), the shift's progress read while it runs, and once it is over the sweep measuring it: the road driven
/// meets its share, the road not driven is short and raises `coverageShort`, and a second sweep measures nothing again.
@Suite struct SanitationAPITests {
    static func iso(_ d: Date) -> String { ISO8601DateFormatter().string(from: d) }

    @Test func aSweepersShiftIsMeasuredOnceAndAnUndrivenRoadIsShort() async throws {
        try await TestCity.serve { api in
            let sweeper: [String: Any] = ["id": "S-1", "plate": "豫A·H0001", "kind": "sweeper", "hasLoadSensor": false, "companyID": "sanitation"]
            #expect(try await VehicleAPITests.array(api, .put, "/api/v1/vehicles", [sweeper]).status == .ok)
            let base = api.city.point
            func line(_ north: Double) -> [[String: Any]] {
                [base.offset(eastMetres: 0, northMetres: north), base.offset(eastMetres: 1000, northMetres: north)].map { ["lat": $0.lat, "lon": $0.lon] }
            }
            let roads: [[String: Any]] = [["id": "rd-1", "name": "金水路", "points": line(0)], ["id": "rd-2", "name": "经三路", "points": line(500)]]
            #expect(try await VehicleAPITests.array(api, .put, "/api/v1/road-segments", roads).status == .ok)
            #expect(try await api.get("/api/v1/road-segments", as: "operator").objects("").count == 2)

            // Yesterday's 05:00–08:00 shift, in the city's time (UTC+8).
            let now = api.city.clock.now()
            let today = ((now.timeIntervalSince1970 + 8 * 3600) / 86_400).rounded(.down) * 86_400 - 8 * 3600
            let yesterday = Date(timeIntervalSince1970: today - 86_400)
            let assignments: [[String: Any]] = [
                ["id": "A-1", "vehicleID": "S-1", "segmentIDs": ["rd-1"], "shift": "05:00-08:00", "validFrom": Self.iso(yesterday),
                 "validTo": Self.iso(yesterday.addingTimeInterval(86_400)), "requiredShare": 0.9],
                ["id": "A-2", "vehicleID": "S-1", "segmentIDs": ["rd-2"], "shift": "05:00-08:00", "validFrom": Self.iso(yesterday),
                 "validTo": Self.iso(yesterday.addingTimeInterval(86_400)), "requiredShare": 0.9],
            ]
            #expect(try await VehicleAPITests.array(api, .put, "/api/v1/route-assignments", assignments).status == .ok)
            for (body, field) in [
                (assignments[0].merging(["segmentIDs": ["rd-9"]]) { $1 }, "[0].segmentIDs"),
                (assignments[0].merging(["vehicleID": "S-404"]) { $1 }, "[0].vehicleID"),
                (assignments[0].merging(["requiredShare": 0]) { $1 }, "[0].requiredShare"),
            ] {
                let r = try await VehicleAPITests.array(api, .put, "/api/v1/route-assignments", [body])
                #expect(r.status == .unprocessableContent && r.errorField == field, "\(field): \(r)")
            }
            let badRoad = try await VehicleAPITests.array(api, .put, "/api/v1/road-segments", [["id": "rd-3", "points": [line(0)[0]]]])
            #expect(badRoad.status == .unprocessableContent && badRoad.errorField == "[0].points", "\(badRoad)")
            #expect(try await VehicleAPITests.array(api, .put, "/api/v1/road-segments", roads, as: "operator").status == .forbidden)

            // The sweeper drives rd-1 end to end at 10 km/h, a fix every 10 s, from 05:10.
            let start = yesterday.addingTimeInterval(5 * 3600 + 600)
            let positions: [[String: Any]] = (0...36).map { i in
                let p = base.offset(eastMetres: Double(i) * 1000 / 36, northMetres: 0)
                return ["vehicle": "S-1", "at": Self.iso(start.addingTimeInterval(Double(i * 10))), "lat": p.lat, "lon": p.lon, "speed": 10]
            }
            let posted = try await api.send(.post, "/api/v1/vehicles/positions", as: "admin", json: ["positions": positions])
            #expect(posted.status == .ok && posted.int("stored") == 37, "\(posted)")

            let shiftStart = yesterday.addingTimeInterval(5 * 3600), shiftEnd = yesterday.addingTimeInterval(8 * 3600)
            let progress = try await api.get("/api/v1/vehicles/S-1/coverage?from=\(Self.iso(shiftStart))&to=\(Self.iso(shiftEnd))", as: "operator").objects("")
            let shares = Dictionary(uniqueKeysWithValues: progress.compactMap { p in
                (p["assignmentID"] as? String).map { ($0, ((p["coverage"] as? [String: Any])?["segments"] as? [[String: Any]])?.first) }
            })
            #expect(progress.count == 2, "\(progress)")
            let driven = try #require(shares["A-1"] ?? nil, "\(progress)")
            #expect((driven["drivenMetres"] as? Double ?? 0) > 0.95 * (driven["lengthMetres"] as? Double ?? 1), "\(driven)")
            #expect(try await api.get("/api/v1/vehicles/S-1/coverage?from=\(Self.iso(yesterday.addingTimeInterval(-3 * 86_400)))", as: "operator").errorField == "from")

            // The leader's sweep measures the shift once it is over.
            let sweep = RouteCoverageSweep(store: api.city.platform.store, clock: api.city.clock)
            let first = try await sweep.run()
            #expect(first.measured.map(\.assignmentID).sorted() == ["A-1", "A-2"], "\(first)")
            #expect(first.events.map(\.kind) == [.coverageShort] && first.events.first?.time == shiftEnd, "\(first)")
            #expect(try await sweep.run().measured.isEmpty)
            let measured = try await api.get("/api/v1/route-coverage?vehicle=S-1&from=\(Self.iso(yesterday))", as: "leader").objects("")
            #expect(measured.count == 2, "\(measured)")
            let events = try await api.get("/api/v1/vehicle-events?vehicle=S-1", as: "operator").objects("")
            let short = try #require(events.compactMap { $0["event"] as? [String: Any] }.first { $0["kind"] as? String == "coverageShort" }, "\(events)")
            #expect(short["limit"] as? Double == 90 && short["measured"] as? Double == 0, "\(short)")
        }
    }
}
