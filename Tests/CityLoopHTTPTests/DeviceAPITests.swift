import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import Testing

/// Devices over HTTP: the registry, credentials, readings in, alarms up, acknowledged and cleared, and readings
/// read back raw and in buckets. Bad input is refused naming the field and changes nothing.
@Suite struct DeviceAPITests {
    static func cover(_ api: API, id: String = "X-MC-1") -> [String: Any] {
        ["id": id, "profile": "manholeCover", "lat": api.city.point.lat, "lon": api.city.point.lon, "reportingIntervalSeconds": 60]
    }

    static func iso(_ d: Date) -> String { ISO8601DateFormatter().string(from: d) }

    @Test func devicesAreRegisteredOnTheirGridAndBadOnesRefusedNamingTheField() async throws {
        try await TestCity.serve { api in
            let created = try await api.send(.post, "/api/v1/devices", as: "admin", json: Self.cover(api))
            #expect(created.status == .created, "\(created)")
            let grid = api.city.platform.context.map.place(api.city.point)?.gridCode
            #expect(created.string("gridCode") == grid && grid != nil, "\(created)")
            #expect(try await api.send(.post, "/api/v1/devices", as: "admin", json: Self.cover(api)).status == .ok)

            for (body, field) in [
                (Self.cover(api).merging(["profile": "toaster"]) { $1 }, "profile"),
                (Self.cover(api).merging(["lat": 31.2304, "lon": 121.4737]) { $1 }, "lat"),
                (Self.cover(api).merging(["id": "bad id\u{7}"]) { $1 }, "id"),
                (Self.cover(api).merging(["reportingIntervalSeconds": 1]) { $1 }, "reportingIntervalSeconds"),
                (Self.cover(api).merging(["departmentID": "no-such"]) { $1 }, "departmentID"),
            ] {
                let r = try await api.send(.post, "/api/v1/devices", as: "admin", json: body)
                #expect(r.status == .unprocessableContent && r.errorField == field, "\(field): \(r)")
            }
            #expect(try await api.send(.post, "/api/v1/devices", as: "operator", json: Self.cover(api, id: "X")).status == .forbidden)
            #expect(try await api.get("/api/v1/devices/X", as: "operator").status == .notFound)
            #expect(try await api.get("/api/v1/devices?limit=5000", as: "operator").objects("").contains { $0["id"] as? String == "X-MC-1" })

            // A CSV file: good lines registered, bad ones listed by line.
            let p = api.city.point
            let csv = """
                id,profile,lat,lon,attributes
                X-WL-1,waterLevel,\(p.lat),\(p.lon),referenceLevel=5;alertLevel=1;dangerLevel=1.5
                X-WL-2,waterLevel,north,\(p.lon),
                X-WL-3,noSuchProfile,\(p.lat),\(p.lon),
                """
            var h = HTTPFields()
            h[.contentType] = "text/csv"
            let imported = try await api.send(.put, "/api/v1/devices", as: "admin", raw: Data(csv.utf8), headers: h)
            #expect(imported.status == .ok && imported.int("imported") == 1, "\(imported)")
            #expect(imported.objects("rejected").map { $0["line"] as? Int } == [3, 4], "\(imported)")
            let gauge = try await api.get("/api/v1/devices/X-WL-1", as: "leader")
            #expect(gauge.status == .ok && (gauge["device.attributes.alertLevel"] as? Double) == 1, "\(gauge)")

            // GeoJSON
            let geo: [String: Any] = ["type": "FeatureCollection", "features": [
                ["type": "Feature", "geometry": ["type": "Point", "coordinates": [p.lon, p.lat]], "properties": ["id": "X-NZ-1", "profile": "noise"]],
                ["type": "Feature", "geometry": ["type": "LineString", "coordinates": [[p.lon, p.lat], [p.lon, p.lat]]], "properties": ["id": "X-NZ-2", "profile": "noise"]],
            ]]
            h[.contentType] = "application/geo+json"
            let g = try await api.send(.put, "/api/v1/devices", as: "admin", raw: try JSONSerialization.data(withJSONObject: geo), headers: h)
            #expect(g.int("imported") == 1 && g.objects("rejected").first?["field"] as? String == "geometry", "\(g)")
            #expect(try await api.get("/api/v1/device-profiles", as: "operator").array("").count == DeviceProfile.builtIn.count)
        }
    }

    @Test func aDeviceTokenPostsItsReadingsAnAlarmRisesAndStaffAcknowledgeAndClearIt() async throws {
        try await TestCity.serve { api in
            _ = try await api.send(.post, "/api/v1/devices", as: "admin", json: Self.cover(api))
            _ = try await api.send(.post, "/api/v1/devices", as: "admin", json: Self.cover(api, id: "X-MC-2"))
            let issued = try await api.send(.post, "/api/v1/devices/X-MC-1/credentials", as: "admin")
            #expect(issued.status == .created, "\(issued)")
            let token = try #require(issued.string("token"))
            let now = api.city.clock.now()
            func post(_ body: Any, token: String) async throws -> Reply {
                var h = HTTPFields()
                h[.authorization] = "Bearer \(token)"
                h[.contentType] = "application/json"
                return try await api.send(.post, "/api/v1/readings", raw: try JSONSerialization.data(withJSONObject: body), headers: h)
            }

            // MUT: the cover opens, tilted; an entry for another device and a reading out of range are refused
            let r = try await post(["readings": [
                ["at": Self.iso(now.addingTimeInterval(-60)), "measurements": ["coverState": "closed", "tiltAngle": 0]],
                ["at": Self.iso(now.addingTimeInterval(-30)), "measurements": ["coverState": "open", "tiltAngle": 40]],
                ["device": "X-MC-2", "at": Self.iso(now), "measurements": ["coverState": "open"]],
                ["at": Self.iso(now), "measurements": ["tiltAngle": 900]],
            ]], token: token)
            #expect(r.status == .ok, "\(r)")
            #expect(r.int("accepted") == 4 && r.int("stored") == 4, "\(r)")
            #expect(Set(r.objects("rejected").compactMap { $0["reason"] as? String }) == ["malformed", "out_of_range"], "\(r)")

            let up = try await api.get("/api/v1/alarms?active=true", as: "operator")
            #expect(Set(up.objects("").compactMap { $0["type"] as? String }) == ["coverOpen", "coverTilted"], "\(up)")
            #expect(up.objects("").allSatisfy { $0["deviceID"] as? String == "X-MC-1" })
            let open = try #require(up.objects("").first { $0["type"] as? String == "coverOpen" }?["id"] as? String)
            let device = try await api.get("/api/v1/devices/X-MC-1", as: "operator")
            #expect(device.array("activeAlarms").count == 2 && device.string("lastSeen") != nil, "\(device)")
            #expect(device.objects("rejections").map { $0["reason"] as? String } == ["malformed", "out_of_range"], "\(device)")

            // bad tokens: 401, nothing stored
            #expect(try await post(["at": Self.iso(now), "measurements": ["coverState": "closed"]], token: "dk_wrong").status == .unauthorized)
            #expect(try await post(["at": Self.iso(now), "measurements": ["coverState": "closed"]], token: "nonsense").status == .unauthorized)
            // a replaced credential stops working
            _ = try await api.send(.post, "/api/v1/devices/X-MC-1/credentials", as: "admin")
            #expect(try await post(["at": Self.iso(now), "measurements": ["coverState": "closed"]], token: token).status == .unauthorized)

            // acknowledge, clear by hand, and the rules around them
            #expect(try await api.send(.post, "/api/v1/alarms/\(open)/acknowledge", as: "citizen").status == .forbidden)
            let (feed, stop) = api.city.platform.live.subscribe()
            defer { stop() }
            let acked = try await api.send(.post, "/api/v1/alarms/\(open)/acknowledge", as: "operator")
            #expect(acked.status == .ok && acked.string("acknowledgedAt") != nil && acked["active"] as? Bool == true, "\(acked)")
            let cleared = try await api.send(.post, "/api/v1/alarms/\(open)/clear", as: "shiftlead")
            #expect(cleared.status == .ok && cleared["active"] as? Bool == false && cleared.string("clearedBy") != nil, "\(cleared)")
            // every console showing the alarm heard of both hands on it (published before the answers: the feed is
            // closed so that a missing event fails the test instead of waiting for it)
            stop()
            var heard: [String] = []
            for await item in feed where item.event.type == "alarm" && item.event.id == open {
                heard.append(item.event.action ?? "")
            }
            #expect(heard == ["acknowledged", "cleared"])
            let again = try await api.send(.post, "/api/v1/alarms/\(open)/clear", as: "shiftlead")
            #expect(again.status == .conflict && again.errorCode == "alarm.not_active", "\(again)")
            #expect(try await api.send(.post, "/api/v1/alarms/nope/clear", as: "shiftlead").status == .notFound)
            #expect(try await api.get("/api/v1/alarms?active=true", as: "operator").objects("").count == 1)
            #expect(try await api.get("/api/v1/alarms?active=maybe", as: "operator").errorField == "active")
        }
    }

    @Test func gatewaysPostForAnyDeviceAndMalformedPayloadsChangeNothing() async throws {
        try await TestCity.serve { api in
            _ = try await api.send(.post, "/api/v1/devices", as: "admin", json: Self.cover(api))
            let key = try await Open311APITests.key(api)
            let now = api.city.clock.now()
            var h = HTTPFields()
            h[.authorization] = "Bearer \(key)"
            h[.contentType] = "application/json"
            for (payload, field) in [("not json", "body"), ("42", "body"), ("[\"x\"", "body")] {
                let r = try await api.send(.post, "/api/v1/readings", raw: Data(payload.utf8), headers: h)
                #expect(r.status == .unprocessableContent && r.errorField == field, "\(payload): \(r)")
            }
            let missing = try await api.send(
                .post, "/api/v1/readings", raw: try JSONSerialization.data(withJSONObject: [["at": Self.iso(now), "measurements": ["coverState": "open"]]]),
                headers: h)
            #expect(missing.status == .ok && missing.objects("rejected").first?["message"] as? String == "device: device is required", "\(missing)")
            let mixed: [[String: Any]] = [
                ["device": "X-MC-1", "at": Self.iso(now), "measurements": ["coverState": true]],
                ["device": "X-MC-1", "at": "yesterday", "measurements": ["coverState": "open"]],
                ["device": "GHOST-1", "at": Self.iso(now), "measurements": ["coverState": "open"]],
                ["device": "X-MC-1", "at": Self.iso(now.addingTimeInterval(3600)), "measurements": ["coverState": "open"]],
                ["device": "X-MC-1", "at": Self.iso(now), "measurements": ["coverState": "ajar"]],
                ["device": "X-MC-1", "at": Self.iso(now), "measurements": ["tiltAngle": 5], "units": ["tiltAngle": "rad"]],
            ]
            let r = try await api.send(.post, "/api/v1/readings", raw: try JSONSerialization.data(withJSONObject: ["readings": mixed]), headers: h)
            #expect(r.status == .ok && r.int("accepted") == 0 && r.int("stored") == 0, "\(r)")
            #expect(r.objects("rejected").compactMap { $0["reason"] as? String }.sorted()
                == ["in_future", "malformed", "malformed", "unknown_device", "unknown_state", "wrong_unit"], "\(r)")
            #expect(try await api.get("/api/v1/alarms", as: "operator").objects("").isEmpty)
            let ghosts = try await api.get("/api/v1/devices/_unknown/rejections", as: "operator").objects("")
            #expect(ghosts.map { "\($0["reason"]!)=\($0["count"]!)" } == ["unknown_device=1"] && (ghosts.first?["lastMessage"] as? String)?.hasPrefix("GHOST-1") == true, "\(ghosts)")
            let counts = try await api.get("/api/v1/devices/X-MC-1/rejections", as: "operator")
            #expect(counts.objects("").map { "\($0["reason"]!)=\($0["count"]!)" }
                == ["in_future=1", "malformed=2", "unknown_state=1", "wrong_unit=1"], "\(counts)")
            // a citizen may not post readings
            #expect(try await api.send(.post, "/api/v1/readings", as: "citizen", json: ["readings": []]).status == .forbidden)
        }
    }

    @Test func twoGatewaysCrossingAThresholdAtOnceRaiseExactlyOneAlarm() async throws {
        try await TestCity.serve { api in
            _ = try await api.send(.post, "/api/v1/devices", as: "admin", json: Self.cover(api))
            let key = try await Open311APITests.key(api)
            let now = api.city.clock.now()
            let sends = try (0..<2).map { i in
                try JSONSerialization.data(withJSONObject: [
                    ["device": "X-MC-1", "at": Int((now.timeIntervalSince1970 * 1000).rounded()) - 10 + i, "measurements": ["tiltAngle": 30 + i]] as [String: Any]
                ])
            }
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for body in sends {
                    group.addTask {
                        var h = HTTPFields()
                        h[.authorization] = "Bearer \(key)"
                        h[.contentType] = "application/json"
                        return try await api.send(.post, "/api/v1/readings", raw: body, headers: h)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.status == .ok && $0.int("stored") == 1 }, "\(replies)")
            let alarms = try await api.get("/api/v1/alarms", as: "operator").objects("")
            #expect(alarms.count == 1, "\(alarms)")
            // The later reading may be written first: the earlier one then comes late and moves nothing.
            #expect((1...2).contains(alarms.first?["count"] as? Int ?? 0) && alarms.first?["peak"] as? Double == 31, "\(alarms)")
        }
    }

    @Test func readingsComeBackRawAndInBuckets() async throws {
        try await TestCity.serve { api in
            let p = api.city.point
            _ = try await api.send(.post, "/api/v1/devices", as: "admin", json: [
                "id": "X-WL-1", "profile": "waterLevel", "lat": p.lat, "lon": p.lon, "attributes": ["referenceLevel": 5, "alertLevel": 1, "dangerLevel": 1.5],
            ])
            let key = try await Open311APITests.key(api)
            let now = api.city.clock.now()
            let start = now.addingTimeInterval(-7200)
            // two hours, one reading every 10 minutes, the distance falling 0.1 m each time
            let entries: [[String: Any]] = (0..<12).map { i in
                ["device": "X-WL-1", "at": Self.iso(start.addingTimeInterval(Double(i * 600))), "measurements": ["measuredDistance": 4.9 - Double(i) / 10]]
            }
            var h = HTTPFields()
            h[.authorization] = "Bearer \(key)"
            h[.contentType] = "application/json"
            let r = try await api.send(.post, "/api/v1/readings", raw: try JSONSerialization.data(withJSONObject: entries), headers: h)
            #expect(r.int("accepted") == 12 && r.int("stored") == 24, "stored with the derived water level: \(r)")
            let from = Self.iso(start).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let to = Self.iso(now).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let raw = try await api.get("/api/v1/devices/X-WL-1/readings?measurement=currentLevel&from=\(from)&to=\(to)", as: "leader")
            #expect(raw.objects("").count == 12, "\(raw)")
            #expect(abs((raw["11.value"] as? Double ?? 0) - 1.2) < 1e-9, "\(raw)")
            let hourly = try await api.get("/api/v1/devices/X-WL-1/readings?measurement=currentLevel&from=\(from)&to=\(to)&bucket=hour", as: "leader")
            #expect(hourly.objects("").map { $0["count"] as? Int } == [6, 6], "\(hourly)")
            #expect(abs((hourly["1.max"] as? Double ?? 0) - 1.2) < 1e-9 && abs((hourly["0.min"] as? Double ?? 0) - 0.1) < 1e-9, "\(hourly)")
            // the water stayed above its alert level long enough, and rose past danger
            let types = Set(try await api.get("/api/v1/alarms?device=X-WL-1", as: "operator").objects("").compactMap { $0["type"] as? String })
            #expect(types == ["waterAboveAlert", "waterRisingFast"] || types.isSuperset(of: ["waterAboveAlert"]), "\(types)")
            for (query, field) in [
                ("measurement=tiltAngle", "measurement"), ("measurement=currentLevel&bucket=fortnight", "bucket"), ("", "measurement"),
                ("measurement=currentLevel&from=\(to)&to=\(from)", "from"), ("measurement=currentLevel&bucket=1&from=\(Self.iso(now.addingTimeInterval(-30 * 86400)).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", "bucket"),
            ] {
                let bad = try await api.get("/api/v1/devices/X-WL-1/readings?\(query)", as: "leader")
                #expect(bad.status == .unprocessableContent && bad.errorField == field, "\(query): \(bad)")
            }
        }
    }

    @Test func aFileBackFillsReadingsThatRaiseNoAlarmAndCountsWhatItRefused() async throws {
        try await TestCity.serve { api in
            let p = api.city.point
            let gauge: [String: Any] = ["id": "X-WL-1", "profile": "waterLevel", "lat": p.lat, "lon": p.lon, "reportingIntervalSeconds": 60,
                                        "attributes": ["referenceLevel": 5, "alertLevel": 1, "dangerLevel": 1.5]]
            #expect(try await api.send(.post, "/api/v1/devices", as: "admin", json: gauge).status == .created)
            // A week ago the street flooded for twenty minutes (3 m below the gauge: 2 m of water, above danger).
            let week = api.city.clock.now().addingTimeInterval(-7 * 86400)
            let ms = { (m: Int) in Int((week.addingTimeInterval(Double(m) * 60).timeIntervalSince1970 * 1000).rounded()) }
            var csv = "device,at,measurement,value,unit\n" + (0..<20).map { "X-WL-1,\(ms($0)),measuredDistance,3,m" }.joined(separator: "\n")
            csv += "\nX-WL-1,\(ms(21)),measuredDistance,99,m\nX-NOPE,\(ms(21)),measuredDistance,3,m\nX-WL-1,last week,measuredDistance,3,m\n"
            var h = HTTPFields()
            h[.contentType] = "text/csv"

            // MUT: the file, twice
            let first = try await api.send(.put, "/api/v1/readings", as: "admin", raw: Data(csv.utf8), headers: h)
            let again = try await api.send(.put, "/api/v1/readings", as: "admin", raw: Data(csv.utf8), headers: h)

            // validate: kept (with the level worked out), once, and no alarm for the past
            #expect(first.status == .ok && first.int("accepted") == 20 && first.int("stored") == 40, "\(first)")
            #expect(first.int("rejected.out_of_range") == 1 && first.int("rejected.unknown_device") == 1 && first.int("rejected.malformed") == 1, "\(first)")
            #expect(first.objects("examples").contains { $0["line"] as? Int == 24 && $0["reason"] as? String == "malformed" }, "\(first)")
            #expect(again.status == .ok && again.int("accepted") == 20 && again.int("stored") == 0, "\(again)")
            #expect(try await api.get("/api/v1/alarms?device=X-WL-1", as: "operator").objects("").isEmpty)
            let from = Self.iso(week.addingTimeInterval(-60)).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let to = Self.iso(week.addingTimeInterval(3600)).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let levels = try await api.get("/api/v1/devices/X-WL-1/readings?measurement=currentLevel&from=\(from)&to=\(to)", as: "leader")
            #expect(levels.objects("").count == 20 && levels.objects("").allSatisfy { $0["value"] as? Double == 2 }, "\(levels)")
            let rejections = try await api.get("/api/v1/devices/X-WL-1/rejections", as: "operator")
            #expect(Set(rejections.objects("").compactMap { $0["reason"] as? String }) == ["out_of_range", "malformed"], "\(rejections)")

            // JSON as devices post it, and a live reading after the back-fill is judged on its own
            h[.contentType] = "application/json"
            let json = #"[{"device": "X-WL-1", "at": \#(ms(30)), "measurements": {"currentLevel": 0.5}}]"#
            let j = try await api.send(.put, "/api/v1/readings", as: "admin", raw: Data(json.utf8), headers: h)
            #expect(j.status == .ok && j.int("stored") == 1, "\(j)")

            // bad files and callers change nothing
            h[.contentType] = "text/csv"
            let headless = try await api.send(.put, "/api/v1/readings", as: "admin", raw: Data("X-WL-1,1,measuredDistance,3".utf8), headers: h)
            #expect(headless.status == .unprocessableContent && headless.errorField == "body", "\(headless)")
            #expect(try await api.send(.put, "/api/v1/readings", as: "operator", raw: Data(csv.utf8), headers: h).status == .forbidden)
            #expect(try await api.send(.put, "/api/v1/readings?format=xml", as: "admin", raw: Data(csv.utf8), headers: h).errorField == "format")
        }
    }
}
