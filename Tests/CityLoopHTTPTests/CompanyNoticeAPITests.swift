import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import Testing

/// Rectification notices over HTTP: the morning sweep sends the company of a truck that was tampered with yesterday
/// one notice (once, however often it runs); the company's handler sees and replies to its own notices only; a
/// supervisor sends the reply back and later closes it; stale versions get 409, an unanswered notice is overdue.
@Suite struct CompanyNoticeAPITests {
    @Test func aCompanyRepliesToItsNoticeAndTheSupervisorClosesIt() async throws {
        try await TestCity.serve { api in
            let truck: [String: Any] = ["id": "T-1", "plate": "豫A12345", "kind": "muckTruck", "hasLoadSensor": true, "companyID": "haulage-hengtong"]
            #expect(try await VehicleAPITests.array(api, .put, "/api/v1/vehicles", [truck]).status == .ok)
            // Yesterday at noon (the test city's clock stands at 10:00 on 24 November, UTC+8) the terminal's tamper bit is set.
            let noon = ISO8601DateFormatter().date(from: "2026-11-23T04:00:00Z")!
            let p = api.city.point
            let positions: [[String: Any]] = [
                ["vehicle": "T-1", "at": VehicleAPITests.iso(noon), "lat": p.lat, "lon": p.lon, "speed": 0, "alarm": 0],
                ["vehicle": "T-1", "at": VehicleAPITests.iso(noon.addingTimeInterval(30)), "lat": p.lat, "lon": p.lon, "speed": 0, "alarm": 1 << 28],
            ]
            let posted = try await api.send(.post, "/api/v1/vehicles/positions", as: "admin", json: ["positions": positions])
            #expect(posted.objects("events").contains { $0["kind"] as? String == "tampered" }, "\(posted)")

            let notices = CompanyNotices(platform: api.city.platform)
            let sent = try await notices.sweep()
            #expect(sent.map(\.id) == ["ZG-2026-11-23-haulage-hengtong"] && sent.first?.counts == [.tampered: 1], "\(sent)")
            #expect(try await notices.sweep().isEmpty)

            // Four days on (every session signs in again), unanswered: overdue.
            api.city.clock.advance(by: 4 * 86_400)
            let listed = try await api.get("/api/v1/company-notices", as: "dispatcher").objects("")
            #expect(listed.count == 1 && listed.first?["overdue"] as? Bool == true, "\(listed)")
            let id = "ZG-2026-11-23-haulage-hengtong"
            // Another company's handler sees none of it.
            #expect(try await api.get("/api/v1/company-notices", as: "handler").objects("").isEmpty)
            #expect(try await api.get("/api/v1/company-notices?company=haulage-hengtong", as: "handler").status == .forbidden)
            #expect(try await api.get("/api/v1/company-notices/\(id)", as: "handler").status == .notFound)
            #expect(try await api.get("/api/v1/company-notices/\(id)", as: "operator").status == .forbidden)

            let company = "handler-haulage-hengtong"
            #expect(try await api.get("/api/v1/company-notices", as: company).objects("").count == 1)
            let reply = try await api.send(.post, "/api/v1/company-notices/\(id)/reply", as: company, json: ["version": 1, "text": "已停用该车辆并检修终端 Truck stopped, terminal repaired"])
            #expect(reply.status == .ok && reply.string("notice.state") == "replied", "\(reply)")
            #expect(try await api.send(.post, "/api/v1/company-notices/\(id)/reply", as: company, json: ["version": 1, "text": "again"]).status == .conflict)
            #expect(try await api.send(.post, "/api/v1/company-notices/\(id)/close", as: company, json: ["version": 2]).status == .forbidden)
            let empty = try await api.send(.post, "/api/v1/company-notices/\(id)/send-back", as: "dispatcher", json: ["version": 2, "text": ""])
            #expect(empty.status == .unprocessableContent && empty.errorField == "text", "\(empty)")
            let back = try await api.send(.post, "/api/v1/company-notices/\(id)/send-back", as: "dispatcher", json: ["version": 2, "text": "请附维修记录"])
            #expect(back.string("notice.state") == "issued" && back.int("notice.version") == 3, "\(back)")

            #expect(try await api.get("/api/v1/company-notices/\(id)", as: "leader")["overdue"] as? Bool == false)
            let late = try await api.send(.post, "/api/v1/company-notices/\(id)/reply", as: company, json: ["version": 3, "text": "附维修单 Repair order attached"])
            #expect(late.string("notice.state") == "replied", "\(late)")
            let closed = try await api.send(.post, "/api/v1/company-notices/\(id)/close", as: "leader", json: ["version": 4])
            #expect(closed.string("notice.state") == "closed" && closed["overdue"] as? Bool == false, "\(closed)")
            #expect(try await api.send(.post, "/api/v1/company-notices/ZG-none/close", as: "leader", json: ["version": 1]).status == .notFound)
            #expect(try await api.get("/api/v1/company-notices?state=open", as: "leader").errorField == "state")
        }
    }
}
