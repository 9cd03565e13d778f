import CityLoopDomain
import CityLoopServices
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Hotspots, trends, forecasts and early warnings through the API of a live server over the tiny demo city.
@Suite("Analytics API")
struct AnalyticsAPITests {
    @Test("trend, hotspots, heat and patterns agree with each other over the same days")
    func figuresAgree() async throws {
        try await TestCity.serve { api in
            let trend = try await api.get("/api/v1/analytics/trend?days=14", as: "leader")
            #expect(trend.status == .ok, "\(trend)")
            let total = try #require(trend.int("total"))
            #expect(total > 50, "the demo's two weeks of reports")
            #expect(trend.objects("series").count == 14)
            #expect(trend.objects("series").reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == total)
            let hot = try await api.get("/api/v1/analytics/hotspots?days=14&limit=5", as: "leader")
            #expect(hot.int("total") == total)
            let spots = hot.objects("hotspots").map { $0["count"] as? Int ?? 0 }
            #expect(spots.count == 5 && spots == spots.sorted(by: >))
            let heat = try await api.get("/api/v1/analytics/heat?days=14", as: "leader")
            #expect(heat.objects("").reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == total)
            #expect(heat.objects("").allSatisfy { $0["lat"] is Double && $0["lon"] is Double })
            let patterns = try await api.get("/api/v1/analytics/patterns?days=14", as: "leader")
            #expect((patterns.array("byWeekday") as? [Int])?.reduce(0, +) == total)
            #expect((patterns.array("byHour") as? [Int])?.count == 24)
            // A district and a class narrow every figure the same way.
            let district = try await api.get("/api/v1/analytics/trend?days=14&area=410102&matter=06", as: "dispatcher")
            let districtHot = try await api.get("/api/v1/analytics/hotspots?days=14&area=410102&matter=06&limit=500", as: "dispatcher")
            #expect(district.int("total") == districtHot.int("total"))
            #expect(districtHot.objects("hotspots").allSatisfy { ($0["gridCode"] as? String)?.hasPrefix("410102") == true })
            let weekly = try await api.get("/api/v1/analytics/trend?days=14&group=week", as: "leader")
            #expect(weekly.objects("series").reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == total)
        }
    }

    @Test("bad filters are refused naming the field; people outside the command centre get 403")
    func badInput() async throws {
        try await TestCity.serve { api in
            for (query, field) in [
                ("area=999999", "area"), ("matter=99999", "matter"), ("matter=77", "matter"), ("days=0", "days"), ("days=abc", "days"),
                ("period=2026-13", "period"), ("group=year", "group"),
            ] {
                let r = try await api.get("/api/v1/analytics/trend?\(query)", as: "leader")
                #expect(r.status == .unprocessableContent && r.errorField == field, "\(query): \(r)")
            }
            #expect(try await api.get("/api/v1/analytics/hotspots?limit=0", as: "leader").errorField == "limit")
            #expect(try await api.get("/api/v1/analytics/forecast?days=91", as: "leader").errorField == "days")
            for user in ["handler", "inspector", "citizen"] {
                #expect(try await api.get("/api/v1/analytics/hotspots", as: user).status == .forbidden, "\(user)")
            }
            #expect(try await api.get("/api/v1/analytics/alerts").status == .unauthorized)
        }
    }

    @Test("a forecast for the coming days comes with its backtest against the same-as-last-week forecast")
    func forecast() async throws {
        try await TestCity.serve { api in
            let r = try await api.get("/api/v1/analytics/forecast?days=7&area=410102", as: "leader")
            #expect(r.status == .ok, "\(r)")
            let days = r.objects("forecast")
            #expect(days.count == 7)
            #expect(days.allSatisfy { d in
                let (e, lo, hi) = (d["expected"] as? Double ?? -1, d["low"] as? Double ?? -1, d["high"] as? Double ?? -1)
                return e >= 0 && lo <= e && e <= hi
            })
            #expect(r.objects("history").count == 56)
            #expect(r["backtest.modelMAE"] is Double && r["backtest.naiveMAE"] is Double)
        }
    }

    @Test("a burst of reports raises an early warning once, on the live feed too, and it becomes one supervision task")
    func earlyWarning() async throws {
        try await TestCity.serve { api in
            let city = api.city
            // setup: fifteen exposed-garbage reports in one street today, far above its usual day
            for i in 0..<15 {
                let p = city.point.offset(eastMetres: Double(i) * 7, northMetres: 0)
                _ = try await api.newCase(as: "operator", ["matterCode": "06010", "description": "垃圾堆积 \(i)", "lat": p.lat, "lon": p.lon])
            }
            city.clock.advance(by: 86_400)
            let (events, cancel) = city.platform.live.subscribe()
            defer { cancel() }
            // MUT
            let scan = try await api.send(.post, "/api/v1/analytics/alerts/scan", as: "leader")
            // validate
            #expect(scan.status == .ok, "\(scan)")
            let raised = scan.objects("")
            let district = try #require(raised.first { $0["area"] as? String == "410102" && $0["matter"] as? String == "06" }, "\(scan)")
            #expect(district["observed"] as? Int ?? 0 >= 15)
            #expect((district["expected"] as? Double ?? 99) < 10)
            #expect(["watch", "warning", "severe"].contains(district["severity"] as? String ?? ""))
            let seen = try await within(300, "the alert on the live feed") { () -> LiveEvent? in
                for await item in events where item.event.type == "alert" { return item.event }
                return nil
            }
            #expect(seen?.districtCode == "410102" || seen?.districtCode == nil)
            // A second scan of the same day raises nothing new; the list keeps it.
            #expect(try await api.send(.post, "/api/v1/analytics/alerts/scan", as: "leader").objects("").isEmpty)
            let list = try await api.get("/api/v1/analytics/alerts", as: "dispatcher")
            let id = try #require(district["id"] as? String)
            #expect(list.objects("").contains { $0["id"] as? String == id })
            // The alert becomes a case for an inspector to verify, once.
            let encoded = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let task = try await api.send(.post, "/api/v1/analytics/alerts/\(encoded)/task", as: "shiftlead")
            #expect(task.status == .ok, "\(task)")
            let number = try #require(task.string("taskCaseNumber"))
            let again = try await api.send(.post, "/api/v1/analytics/alerts/\(encoded)/task", as: "leader")
            #expect(again.string("taskCaseNumber") == number)
            let caseID = try #require(task.string("taskCaseID"))
            let detail = try await api.get("/api/v1/cases/\(caseID)", as: "leader")
            #expect(detail.string("case.state") == "pending_verification" || detail.string("state") == "pending_verification", "\(detail)")
            #expect(try await api.send(.post, "/api/v1/analytics/alerts/nope/task", as: "leader").status == .notFound)
            // (The operator signed in a day ago: the session has expired; the dispatcher signs in now.)
            let refused = try await api.send(.post, "/api/v1/analytics/alerts/\(encoded)/task", as: "dispatcher")
            #expect(refused.status == .forbidden, "\(refused)")
        }
    }
}
