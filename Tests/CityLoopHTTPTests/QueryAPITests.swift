import CityLoopDomain
import Foundation
import Hummingbird
import Testing

/// Case queries, counts, deadlines, and the public reference endpoints (health, locate).
@Suite struct QueryAPITests {
    @Test func filtersNarrowTheList() async throws {
        try await TestCity.serve { api in
            _ = try await api.newCase(as: "citizen", garbageReport(at: api.city.point))
            let r = try await api.get("/api/v1/cases?state=pending_verification&area=410102&limit=3", as: "leader")
            #expect(r.status == .ok, "\(r)")
            let items = r.objects("items")
            let total = try #require(r.int("total"))
            #expect(!items.isEmpty && items.count <= 3)
            #expect(total >= items.count)
            #expect(items.allSatisfy { $0["state"] as? String == "pending_verification" })
            #expect(items.allSatisfy { (($0["placement"] as? [String: Any])?["gridCode"] as? String)?.hasPrefix("410102") == true })

            let two = try await api.get("/api/v1/cases?state=pending_verification,closed&limit=1000", as: "leader")
            #expect(two.objects("items").allSatisfy { ["pending_verification", "closed"].contains($0["state"] as? String ?? "") })
            let counts = try await api.get("/api/v1/cases/counts", as: "leader")
            #expect(two.int("total") == (counts.int("pending_verification") ?? -1) + (counts.int("closed") ?? -1))

            let all = try await api.get("/api/v1/cases?limit=1000", as: "leader")
            #expect(all.int("total") == (try await api.caseCount()))
            let page2 = try await api.get("/api/v1/cases?limit=5&offset=5", as: "leader")
            let firstTen = all.objects("items").prefix(10).map { $0["id"] as? String }
            #expect(page2.objects("items").map { $0["id"] as? String } == Array(firstTen.dropFirst(5)))

            let matter = try await api.get("/api/v1/cases?matter=06&source=citizen&limit=1000", as: "leader")
            #expect(matter.objects("items").allSatisfy {
                ($0["matterCode"] as? String)?.hasPrefix("06") == true && $0["source"] as? String == "citizen"
            })
            let today = try await api.get("/api/v1/cases?from=2026-11-24&limit=1000", as: "leader")
            #expect(today.objects("items").contains { $0["description"] as? String == "路边暴露垃圾一堆" })
        }
    }

    @Test func badFilterValuesNameTheParameter() async throws {
        try await TestCity.serve { api in
            let bad: [(String, String)] = [
                ("state=open", "state"), ("state=closed,nonsense", "state"), ("limit=0", "limit"), ("limit=1001", "limit"),
                ("limit=ten", "limit"), ("offset=-1", "offset"), ("matter=abc", "matter"), ("source=pigeon", "source"),
                ("overdue=yes", "overdue"), ("from=yesterday", "from"), ("to=2026-13-45", "to"),
            ]
            for (query, field) in bad {
                for path in ["/api/v1/cases", "/api/v1/cases/counts"] {
                    let r = try await api.get("\(path)?\(query)", as: "leader")
                    #expect(r.status == .unprocessableContent, "\(path)?\(query): \(r)")
                    #expect(r.errorField == field, "\(path)?\(query): \(r)")
                    #expect(r.errorMessage.contains(field), "\(path)?\(query): \(r)")
                }
            }
            let role = try await api.get("/api/v1/cases/deadlines?role=mayor", as: "leader")
            #expect(role.status == .unprocessableContent)
            #expect(role.errorField == "role")
            #expect(try await api.get("/api/v1/cases?limit=5", as: nil).status == .unauthorized)
        }
    }

    @Test func countsHaveEveryState() async throws {
        try await TestCity.serve { api in
            let before = try await api.get("/api/v1/cases/counts", as: "admin")
            #expect(before.status == .ok)
            let keys = Set((before.json as? [String: Any] ?? [:]).keys)
            #expect(keys == Set(CaseState.allCases.map(\.rawValue)))
            let sum = (before.json as? [String: Int] ?? [:]).values.reduce(0, +)
            #expect(sum == (try await api.caseCount()))

            _ = try await api.newCase(as: "citizen", garbageReport(at: api.city.point))
            let after = try await api.get("/api/v1/cases/counts", as: "admin")
            #expect(after.int("pending_verification") == (before.int("pending_verification") ?? 0) + 1)

            // Handlers count only their own department's cases; every state is still present.
            let handler = try await api.get("/api/v1/cases/counts", as: "handler")
            #expect(Set((handler.json as? [String: Any] ?? [:]).keys) == keys)
            #expect((handler.json as? [String: Int] ?? [:]).values.reduce(0, +) < sum)
            let filtered = try await api.get("/api/v1/cases/counts?state=closed", as: "admin")
            #expect(filtered.int("pending_verification") == 0)
            #expect(filtered.int("closed") == before.int("closed"))
        }
    }

    @Test func deadlinesListOverdueCasesAfterTheClockPassesTheLimit() async throws {
        try await TestCity.serve { api in
            let id = try await api.dispatchedCase()
            let accepted = try await api.step("accept", id, as: "handler")
            let due = try #require(accepted.date("case.handlingDueAt"))
            // 4 working hours from Tuesday 10:00 (UTC+8), with a lunch break 12:00–13:30: 15:30 the same day.
            #expect(due == TestCity.start.addingTimeInterval(5.5 * 3600))

            let early = try await api.get("/api/v1/cases/deadlines?role=handler", as: "handler")
            #expect(early.status == .ok, "\(early)")
            #expect(!early.objects("overdue").contains { $0["id"] as? String == id })
            #expect(accepted["overdue"] as? Bool == false)

            api.city.clock.set(due.addingTimeInterval(60))
            let late = try await api.get("/api/v1/cases/deadlines?role=handler", as: "handler")
            #expect(late.status == .ok, "\(late)")
            #expect(late.objects("overdue").contains { $0["id"] as? String == id })
            #expect((late.int("overdueTotal") ?? 0) >= 1)
            #expect(late.objects("overdue").allSatisfy { ["dispatched", "in_progress"].contains($0["state"] as? String ?? "") })
            #expect(late.objects("overdue").allSatisfy { $0["leadDepartmentID"] as? String == "sanitation"
                || ($0["assistingDepartmentIDs"] as? [String])?.contains("sanitation") == true })
            #expect(late.date("now") == due.addingTimeInterval(60))

            let forInspectors = try await api.get("/api/v1/cases/deadlines?role=inspector", as: "leader")
            #expect(!forInspectors.objects("overdue").contains { $0["id"] as? String == id })
            let byDepartment = try await api.get("/api/v1/cases/deadlines?department=sanitation", as: "dispatcher")
            #expect(byDepartment.objects("overdue").contains { $0["id"] as? String == id })

            let overdueList = try await api.get("/api/v1/cases?overdue=true&limit=1000", as: "leader")
            #expect(overdueList.objects("items").contains { $0["id"] as? String == id })
            let detail = try await api.get("/api/v1/cases/\(id)", as: "handler")
            #expect(detail["overdue"] as? Bool == true)

            // Finishing late is recorded as late in the timeline.
            let handled = try await api.step("report_handled", id, as: "handler", ["comment": "已清理"])
            let event = handled.objects("timeline").last
            #expect(event?["onTime"] as? Bool == false)
        }
    }

    @Test func healthAndLocate() async throws {
        try await TestCity.serve { api in
            let health = try await api.get("/health")
            #expect(health.status == .ok)
            #expect(health.string("status") == "ok")

            let grid = api.city.grid
            let p = api.city.point
            let found = try await api.get("/api/v1/locate?lat=\(p.lat)&lon=\(p.lon)")
            #expect(found.status == .ok, "\(found)")
            #expect(found.string("placement.gridCode") == grid.code)
            #expect(found.string("placement.communityCode") == grid.communityCode)
            #expect(found.string("placement.streetCode") == grid.streetCode)
            #expect(found.string("placement.districtCode") == "410102")
            #expect(found.array("names").count == 3)

            let outside = try await api.get("/api/v1/locate?lat=39.9&lon=116.4")
            #expect(outside.status == .notFound)
            #expect(outside.errorCode == "location.outside_city")
            for (query, field) in [("lon=\(p.lon)", "lat"), ("lat=\(p.lat)", "lon"), ("lat=abc&lon=\(p.lon)", "lat"), ("lat=nan&lon=1", "lat")] {
                let r = try await api.get("/api/v1/locate?\(query)")
                #expect(r.status == .unprocessableContent, "\(query): \(r)")
                #expect(r.errorField == field, "\(query): \(r)")
            }
        }
    }
}
