import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import Testing

/// Alarms into cases by policy: a lifted cover files an urgent case on its grid with its component; the same
/// alarm again while that case is open opens no second case; recovery is recorded on the case; a noise alarm waits
/// for the inspector's verification; an offline device only shows.
@Suite struct AlarmCaseAPITests {
    static func post(_ api: API, key: String, _ entries: [[String: Any]]) async throws -> Reply {
        var h = HTTPFields()
        h[.authorization] = "Bearer \(key)"
        h[.contentType] = "application/json"
        return try await api.send(.post, "/api/v1/readings", raw: try JSONSerialization.data(withJSONObject: entries), headers: h)
    }

    static func cover(_ at: Date, _ state: String) -> [String: Any] {
        ["device": "MC-0001", "at": Int((at.timeIntervalSince1970 * 1000).rounded()), "measurements": ["coverState": state]]
    }

    @Test func aLiftedCoverFilesOneUrgentCaseAndItsRecoveryIsRecorded() async throws {
        try await TestCity.serve { api in
            let key = try await Open311APITests.key(api)
            let now = api.city.clock.now()
            let device = try await api.get("/api/v1/devices/MC-0001", as: "operator")
            let component = try #require(device.string("device.componentID"), "the demo's cover sensors watch covers: \(device)")
            let before = try await api.caseCount()
            let (feed, stop) = api.city.platform.live.subscribe()
            defer { stop() }

            // MUT: the cover is lifted
            let r = try await Self.post(api, key: key, [Self.cover(now.addingTimeInterval(-300), "open")])
            #expect(r.status == .ok && r.int("stored") == 1, "\(r)")
            let alarm = try #require(try await api.get("/api/v1/alarms?device=MC-0001&active=true", as: "operator").objects("").first)
            let caseID = try #require(alarm["caseID"] as? String, "the alarm carries its case: \(alarm)")
            let detail = try await api.get("/api/v1/cases/\(caseID)", as: "operator")
            #expect(detail.string("case.source") == "sensor" && detail.string("case.urgency") == "urgent", "\(detail)")
            #expect(detail.string("case.componentID") == component && detail.string("case.matterCode") == String(component.dropFirst(6).prefix(5)), "\(detail)")
            #expect(["pending_dispatch", "dispatched"].contains(detail.string("case.state") ?? ""), "filed at once: \(detail)")
            #expect((detail.string("case.description") ?? "").contains(alarm["id"] as? String ?? "?"), "\(detail)")
            #expect(detail.string("case.placement.gridCode") == device.string("device.gridCode"), "\(detail)")
            #expect(try await api.caseCount() == before + 1)
            // the operators' consoles heard of it, placed on the device's grid (published before the answer: the feed
            // is closed so that a missing event fails the test instead of waiting for it)
            stop()
            var heard: LiveEvent?
            for await item in feed where item.event.type == "alarm" {
                heard = item.event
                break
            }
            #expect(heard?.id == alarm["id"] as? String && heard?.action == "raised" && heard?.matterCode == "coverOpen", "\(String(describing: heard))")
            #expect(heard?.gridCode == device.string("device.gridCode") && heard?.number == "critical")

            // MUT: it closes (the alarm clears: the case hears of it), is lifted again while the case is open
            _ = try await Self.post(api, key: key, [Self.cover(now.addingTimeInterval(-200), "closed")])
            _ = try await Self.post(api, key: key, [Self.cover(now.addingTimeInterval(-100), "open")])
            let alarms = try await api.get("/api/v1/alarms?device=MC-0001", as: "operator").objects("")
            #expect(alarms.count == 2 && alarms.allSatisfy { $0["caseID"] as? String == caseID }, "one case for both: \(alarms)")
            #expect(try await api.caseCount() == before + 1)
            let timeline = try await api.get("/api/v1/cases/\(caseID)", as: "operator").objects("timeline").compactMap { $0["action"] as? String }
            #expect(timeline.contains("device_recovered"), "\(timeline)")
            // nobody but the platform records a recovery
            #expect(try await api.act("device_recovered", caseID, as: "shiftlead").status == .forbidden)
        }
    }

    @Test func aNoiseAlarmWaitsForTheInspectorAndAnOfflineDeviceOnlyShows() async throws {
        try await TestCity.serve { api in
            let key = try await Open311APITests.key(api)
            let now = api.city.clock.now()
            let before = try await api.caseCount()
            // eleven minutes above 70 dB(A)
            let loud: [[String: Any]] = (0...11).map { i in
                ["device": "NZ-0001", "at": Int((now.addingTimeInterval(Double(i - 12) * 60).timeIntervalSince1970 * 1000).rounded()),
                 "measurements": ["LAeq": 78, "LAmax": 90]]
            }
            _ = try await Self.post(api, key: key, loud)
            let alarm = try #require(try await api.get("/api/v1/alarms?device=NZ-0001&active=true", as: "operator").objects("").first)
            #expect(alarm["type"] as? String == "noiseOverLimit")
            let caseID = try #require(alarm["caseID"] as? String)
            let detail = try await api.get("/api/v1/cases/\(caseID)", as: "operator")
            #expect(detail.string("case.state") == "pending_verification" && detail.string("case.matterCode") == "08001", "\(detail)")

            // silent devices, two hours on: offline, and no case
            api.city.clock.advance(by: 7200)
            let raised = try await api.city.platform.deviceIngest.scanOffline(factor: 3)
            #expect(!raised.isEmpty)
            // the leader's counts: offline first by number, the noise alarm beside it
            let summary = try await api.get("/api/v1/alarms/summary", as: "leader").objects("types")
            #expect(summary.first { $0["type"] as? String == "offline" }?["count"] as? Int == raised.count, "\(summary)")
            #expect(summary.first { $0["type"] as? String == "noiseOverLimit" }?["labelZh"] as? String == "噪声超标", "\(summary)")
            #expect(try await api.get("/api/v1/alarms/summary", as: "citizen").status == .forbidden)
            try await AlarmCases(platform: api.city.platform).sweep()
            #expect(try await api.caseCount() == before + 1)
        }
    }

    @Test func rainOnThreeGaugesOfADistrictRaisesItsFloodWarning() async throws {
        try await TestCity.serve { api in
            let key = try await Open311APITests.key(api)
            let now = api.city.clock.now()
            let district = try #require(api.city.platform.context.map.place(api.city.point)?.gridCode.prefix(6)).description
            let grids = api.city.platform.context.map.grids.filter { $0.code.hasPrefix(district) }.prefix(3)
            for (i, g) in grids.enumerated() {
                let p = g.boundary.interiorPoint
                let r = try await api.send(.post, "/api/v1/devices", as: "admin", json: [
                    "id": "X-WL-\(i)", "profile": "waterLevel", "lat": p.lat, "lon": p.lon,
                    "attributes": ["referenceLevel": 5, "alertLevel": 0.3, "dangerLevel": 0.5],
                ])
                try #require(r.status == .created, "\(r)")
            }
            // Two gauges up: no warning yet.
            func rain(_ gauge: Int) async throws {
                let entries: [[String: Any]] = (0...6).map { m in
                    ["device": "X-WL-\(gauge)", "at": Int((now.addingTimeInterval(Double(m - 7) * 60).timeIntervalSince1970 * 1000).rounded()),
                     "measurements": ["measuredDistance": 4.6]]
                }
                let r = try await Self.post(api, key: key, entries)
                try #require(r.int("stored") == 14, "\(r)")
            }
            try await rain(0)
            try await rain(1)
            func floods() async throws -> [[String: Any]] {
                try await api.get("/api/v1/analytics/alerts", as: "leader").objects("").filter { ($0["id"] as? String)?.contains("|01004|") == true }
            }
            #expect(try await floods().isEmpty)
            #expect(try await api.get("/api/v1/alarms/summary", as: "leader").objects("flooding").isEmpty)
            // MUT: the third
            try await rain(2)
            let warnings = try await floods()
            #expect(warnings.count == 1 && warnings.first?["area"] as? String == district, "\(warnings)")
            #expect(warnings.first?["observed"] as? Int == 3 && warnings.first?["matterName"] as? String == "内涝 (flooding)", "\(warnings)")
            // the leader's screen names the district flooding now
            let flooding = try await api.get("/api/v1/alarms/summary", as: "leader").objects("flooding")
            #expect(flooding.count == 1 && flooding.first?["areaCode"] as? String == district && flooding.first?["gauges"] as? Int == 3, "\(flooding)")
            #expect(flooding.first?["areaName"] as? String != district && flooding.first?["severe"] as? Bool == false, "\(flooding)")
        }
    }

    @Test func anAdministratorChangesWhatAnAlarmTypeDoes() async throws {
        try await TestCity.serve { api in
            let policies = try await api.get("/api/v1/alarm-policies", as: "operator")
            #expect(policies.objects("").contains { $0["alarmType"] as? String == "coverOpen" && $0["action"] as? String == "file_case" }, "\(policies)")
            // MUT: a lifted cover now only shows
            let changed: [[String: Any]] = [["alarmType": "coverOpen", "action": "show_only", "matterCode": "01003", "urgency": "normal"]]
            var h = HTTPFields()
            h[.contentType] = "application/json"
            #expect(try await api.send(.put, "/api/v1/alarm-policies", as: "operator", raw: try JSONSerialization.data(withJSONObject: changed), headers: h).status == .forbidden)
            let saved = try await api.send(.put, "/api/v1/alarm-policies", as: "admin", raw: try JSONSerialization.data(withJSONObject: changed), headers: h)
            #expect(saved.status == .ok && saved.objects("").count == 1, "\(saved)")
            let before = try await api.caseCount()
            let key = try await Open311APITests.key(api)
            _ = try await Self.post(api, key: key, [Self.cover(api.city.clock.now().addingTimeInterval(-60), "open")])
            let alarm = try #require(try await api.get("/api/v1/alarms?device=MC-0001&active=true", as: "operator").objects("").first)
            let after = try await api.caseCount()
            #expect(alarm["caseID"] == nil && after == before, "\(alarm)")
            // bad policies change nothing
            for (bad, field) in [
                ([["alarmType": "coverOpen", "action": "file_case", "matterCode": "99999", "urgency": "normal"]], "[0].matterCode"),
                ([["alarmType": "a b", "action": "show_only", "matterCode": "", "urgency": "normal"]], "[0].alarmType"),
                ([["alarmType": "x", "action": "show_only", "matterCode": "", "urgency": "normal"], ["alarmType": "x", "action": "show_only", "matterCode": "", "urgency": "normal"]], "[1].alarmType"),
            ] as [([[String: Any]], String)] {
                let r = try await api.send(.put, "/api/v1/alarm-policies", as: "admin", raw: try JSONSerialization.data(withJSONObject: bad), headers: h)
                #expect(r.status == .unprocessableContent && r.errorField == field, "\(field): \(r)")
            }
            #expect(try await api.get("/api/v1/alarm-policies", as: "operator").objects("").count == 1)
        }
    }

    @Test func theSweepMakesAndFilesTheCaseAnInterruptedIngestOwed() async throws {
        try await TestCity.serve { api in
            let platform = api.city.platform
            let now = api.city.clock.now()
            // setup: the alarm stored without its case (the process stopped before), and a case reported for it but
            // not yet filed (stopped between the two)
            var batch = DeviceIngestBatch()
            batch.alarms = [
                Alarm(id: "a-crash", deviceID: "MC-0001", type: "coverOpen", severity: .critical, raisedAt: now, value: nil, state: "open")
            ]
            _ = try await platform.store.writeIngest(batch)
            let device = try #require(try await platform.store.device(id: "MC-0001"))
            let text = AlarmCasePolicy.description(of: batch.alarms[0], rule: DeviceProfile.manholeCover.rules.first { $0.type == "coverOpen" }, device: device)
            var input = ReportInput(matterCode: "01003", description: text, lat: device.point.lat, lon: device.point.lon, source: .sensor)
            input.clientRequestID = "alarm-a-crash"
            let half = try await CaseService(platform: platform).report(input, actor: .system)
            #expect(half.case.state == .pendingFiling)

            // MUT: the sweep
            let failed = try await AlarmCases(platform: platform).sweep()
            #expect(failed.isEmpty)
            let alarm = try #require(try await platform.store.alarm(id: "a-crash"))
            #expect(alarm.caseID == half.case.id)
            let filed = try await api.get("/api/v1/cases/\(half.case.id)", as: "operator")
            #expect(["pending_dispatch", "dispatched"].contains(filed.string("case.state") ?? ""), "\(filed)")
            // and again: nothing more
            let count = try await api.caseCount()
            _ = try await AlarmCases(platform: platform).sweep()
            #expect(try await api.caseCount() == count)
        }
    }

    @Test func anAdministratorRewritesADeviceTypesRulesAndTheNextReadingsFollowThem() async throws {
        try await TestCity.serve { api in
            let key = try await Open311APITests.key(api)
            let now = api.city.clock.now()
            var json = HTTPFields()
            json[.contentType] = "application/json"
            func put(_ rules: Any, profile: String = "noise", as user: String = "admin") async throws -> Reply {
                try await api.send(.put, "/api/v1/device-profiles/\(profile)/rules", as: user, raw: try JSONSerialization.data(withJSONObject: rules), headers: json)
            }
            let builtIn = try await api.get("/api/v1/device-profiles/noise", as: "operator")
            #expect(builtIn.objects("rules").first?["condition"] as? [String: Any] != nil, "\(builtIn)")
            #expect((builtIn.objects("rules").first?["condition"] as? [String: Any])?["sustained"] != nil, "the built-in rule waits ten minutes: \(builtIn)")

            // MUT: at once above 60 dB(A), and a rule of the city's own on the peak
            let rules: [[String: Any]] = [
                ["type": "noiseOverLimit", "labelZh": "噪声超标", "labelEn": "Noise over the limit", "measurement": "LAeq", "severity": "major",
                 "condition": ["above": ["raise": 60, "clear": 55]]],
                ["type": "noisePeak", "labelZh": "噪声峰值", "labelEn": "Noise peak", "measurement": "LAmax", "severity": "minor",
                 "condition": ["above": ["raise": 95, "clear": 90]]],
            ]
            let saved = try await put(rules)
            #expect(saved.status == .ok && saved.objects("rules").count == 2, "\(saved)")
            let r = try await Self.post(api, key: key, [["device": "NZ-0001", "at": Int((now.timeIntervalSince1970 * 1000).rounded()) - 1000,
                                                         "measurements": ["LAeq": 62, "LAmax": 96]]])
            #expect(r.int("accepted") == 2, "\(r)")

            // validate: both raised by the first reading; the leader's labels follow
            let up = Set(try await api.get("/api/v1/alarms?device=NZ-0001&active=true", as: "operator").objects("").compactMap { $0["type"] as? String })
            #expect(up.isSuperset(of: ["noiseOverLimit", "noisePeak"]), "\(up)")
            let summary = try await api.get("/api/v1/alarms/summary", as: "leader").objects("types")
            #expect(summary.first { $0["type"] as? String == "noisePeak" }?["labelZh"] as? String == "噪声峰值", "\(summary)")

            // bad rules and callers change nothing
            var bad = rules
            bad[0]["measurement"] = "rain"
            #expect(try await put(bad).errorField == "rules[0].measurement")
            #expect(try await put([rules[0], rules[0]]).errorField == "rules[1].type")
            bad = rules
            bad[1]["type"] = "offline"
            #expect(try await put(bad).errorField == "rules[1].type")
            bad = rules
            bad[1]["condition"] = ["above": ["raise": 95]]
            #expect(try await put(bad).status == .unprocessableContent)
            bad = rules
            bad[1]["labelEn"] = "Peak\u{7}"
            let control = try await put(bad)
            #expect(control.status == .unprocessableContent && control.errorField == "body[1].labelEn", "the edge refuses it: \(control)")
            bad[1]["labelEn"] = String(repeating: "x", count: 41)
            #expect(try await put(bad).errorField == "rules[1].labelEn")
            #expect(try await put(rules, as: "operator").status == .forbidden)
            #expect(try await put(rules, profile: "toaster").status == .notFound)
            #expect(try await api.get("/api/v1/device-profiles/noise", as: "operator").objects("rules").count == 2)

            // MUT: back to the built-in rules
            let reset = try await api.send(.delete, "/api/v1/device-profiles/noise/rules", as: "admin")
            #expect(reset.status == .ok && reset.objects("rules").map { $0["type"] as? String } == builtIn.objects("rules").map { $0["type"] as? String }, "\(reset)")
        }
    }

    @Test func aCoverClosedAgainPassesItsCasesCheckAndOneClosedByHandWaitsForTheInspector() async throws {
        try await TestCity.serve { api in
            let key = try await Open311APITests.key(api)
            let now = api.city.clock.now()
            let service = CaseService(platform: api.city.platform)
            /// The cover's case taken through the handling to its check, as its department would.
            func handled(_ device: String, lifted: Date) async throws -> (alarm: String, caseID: CaseID) {
                let ms = Int((lifted.timeIntervalSince1970 * 1000).rounded())
                _ = try await Self.post(api, key: key, [["device": device, "at": ms, "measurements": ["coverState": "open"]]])
                let alarm = try #require(try await api.get("/api/v1/alarms?device=\(device)&active=true", as: "operator").objects("").first)
                let id = CaseID(rawValue: try #require(alarm["caseID"] as? String))
                var c = try #require(try await api.city.platform.store.caseRecord(id: id))
                if c.state == .pendingDispatch {
                    let department = try #require(api.city.platform.context.departments.keys.sorted { $0.rawValue < $1.rawValue }.first)
                    c = try await service.act(.dispatch, caseID: id, input: ActionInput(departmentID: department), actor: .system)
                }
                for action in [CaseAction.accept, .reportHandled, .sendCheck] {
                    _ = try await service.act(action, caseID: id, input: ActionInput(comment: "修复 (repaired)"), actor: .system)
                }
                return (try #require(alarm["id"] as? String), id)
            }
            let (_, byDevice) = try await handled("MC-0001", lifted: now.addingTimeInterval(-600))
            let (byHandAlarm, byHand) = try await handled("MC-0002", lifted: now.addingTimeInterval(-600))

            // MUT: one cover reads closed again; the other's alarm is cleared by hand; the sweep runs
            _ = try await Self.post(api, key: key, [["device": "MC-0001", "at": Int((now.addingTimeInterval(-60).timeIntervalSince1970 * 1000).rounded()),
                                                     "measurements": ["coverState": "closed"]]])
            #expect(try await api.send(.post, "/api/v1/alarms/\(byHandAlarm)/clear", as: "operator").status == .ok)
            let checked = try await AlarmCases(platform: api.city.platform).checkByDevices()

            // validate: the device checked the first, with its reading in the timeline; the second waits for its inspector
            #expect(checked == [byDevice])
            let detail = try await api.get("/api/v1/cases/\(byDevice.rawValue)", as: "operator")
            #expect(detail.string("case.state") == "pending_close", "\(detail)")
            let pass = detail.objects("timeline").first { $0["action"] as? String == "check_pass" }
            let closedAt = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: (now.addingTimeInterval(-60).timeIntervalSince1970 * 1000).rounded() / 1000))
            #expect((pass?["comment"] as? String)?.contains("设备核查通过") == true && (pass?["comment"] as? String)?.contains(closedAt) == true, "\(String(describing: pass))")
            #expect(try await api.city.platform.store.caseRecord(id: byHand)?.state == .pendingCheck)
            #expect(try await AlarmCases(platform: api.city.platform).checkByDevices().isEmpty)
        }
    }
}
