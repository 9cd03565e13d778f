import Foundation
import Testing

/// The device pages in a real browser: an operator's alarm list hears of a lifted cover as it happens, and the
/// operator acknowledges and clears it; the device's page shows its last report, its alarm and its charts.
@Suite(.serialized) struct DeviceBrowserTests {
    @Test func anOperatorSeesALiftedCoverArriveAcknowledgesAndClearsItAndOpensTheDevice() async throws {
        try await BrowserHarness.run { h in
            // setup: the operator's alarm list open
            try await h.signInQuickly(.operator)
            try await h.open("#/alarms")
            try await h.waitFor("#alarm-list", visible: false)
            _ = try await h.waitUntil("Number(document.getElementById('device-map')?.dataset.devices || 0) > 0", "the device layer")

            // MUT: the cover MC-0001 is lifted (a reading in, as a gateway would post it)
            let ms = Int64((Date().timeIntervalSince1970 * 1000).rounded())
            let posted = try await h.api(
                .POST, "/api/v1/readings", as: .admin,
                json: #"[{"device": "MC-0001", "at": \#(ms), "measurements": {"coverState": "open", "tiltAngle": 35, "displacement": 80}}]"#)
            #expect(posted.status == 200, "\(posted.text)")

            // validate: it arrives without a reload, labelled in the console's language, with its case
            let row = "[data-testid=alarm][data-type=coverOpen]"
            try await h.waitFor(row)
            try await h.waitForText("\(row) [data-testid=alarm-type]", contains: "井盖开启")
            try await h.waitFor("\(row) [data-testid=alarm-case]")
            _ = try await h.waitUntil("Number(document.getElementById('device-map').dataset.alarmed) >= 1", "the lifted cover red on the map")
            try await h.screenshot("alarm-arrived", showing: row)

            // MUT: acknowledged, then cleared
            try await h.click("\(row) [data-testid=alarm-ack]")
            try await h.waitFor("\(row)[data-acked='1'] [data-testid=alarm-acked]")
            try await h.click("\(row) [data-testid=alarm-clear]")
            _ = try await h.waitUntil("!document.querySelector(\"[data-testid=alarm][data-type=coverOpen][data-active=true]\")", "the cleared alarm to leave the list")
            let api = try await h.api(.GET, "/api/v1/alarms?device=MC-0001", as: .operator)
            let stored = api.body.array?.first { $0["type"]?.string == "coverOpen" }
            #expect(stored?["active"]?.bool == false && stored?["acknowledgedBy"]?.string != nil && stored?["clearedBy"]?.string != nil, "\(api.text)")

            // validate: the device's page
            try await h.open("#/device/MC-0001")
            try await h.waitForText("[data-testid=device-title]", contains: "MC-0001")
            _ = try await h.waitUntil("document.querySelectorAll('[data-testid=device-chart]').length >= 2", "a chart per numeric measurement")
            #expect(try await h.text("[data-testid=device-profile]") == "井盖传感器")
            #expect(try await h.text("[data-testid=device-last-seen]") != (try await h.t("device.never")))
            try await h.screenshot("device-page", fullPage: true)
            let errors = try await h.consoleErrors(network: false)
            #expect(errors.isEmpty, "console errors: \(errors.map(\.summary))")
        }
    }

    @Test func theLeadersScreenCountsAlarmsByTypeAndNamesTheDistrictUnderWater() async throws {
        try await BrowserHarness.run { h in
            // setup: the leader's screen, and three gauges of one district
            try await h.signInQuickly(.leader)
            try await h.open("#/screen")
            _ = try await h.waitUntil("document.body.dataset.rendered === 'true'", "the screen drawn")
            _ = try await h.waitUntil("!!document.querySelector('#screen-alarms [data-testid=screen-alarm], #screen-alarms .muted')", "the alarm card filled")
            let devices = try await h.api(.GET, "/api/v1/devices?limit=5000", as: .admin)
            let gauges = (devices.body.array ?? []).filter { $0["profileID"]?.string == "waterLevel" && $0["gridCode"]?.string != nil }
            let byDistrict = Dictionary(grouping: gauges) { String($0["gridCode"]?.string?.prefix(6) ?? "") }
            let (district, three) = try #require(byDistrict.first { $0.value.count >= 3 }.map { ($0.key, $0.value.prefix(3)) }, "three gauges in a district")

            // MUT: the water rises above the danger level at all three
            let ms = Int64((Date().timeIntervalSince1970 * 1000).rounded())
            let entries = three.compactMap { $0["id"]?.string }.map { #"{"device": "\#($0)", "at": \#(ms), "measurements": {"currentLevel": 0.9}}"# }
            let posted = try await h.api(.POST, "/api/v1/readings", as: .admin, json: "[\(entries.joined(separator: ","))]")
            #expect(posted.status == 200, "\(posted.text)")

            // validate: without a reload, the count of the type and the flooding district in red
            _ = try await h.waitUntil("Number(document.querySelector('[data-testid=screen-alarm-count-waterAboveDanger]')?.textContent) >= 3", "the gauges counted")
            try await h.waitForText("[data-testid=screen-alarm][data-type=waterAboveDanger]", contains: "水位超危险")
            try await h.waitFor("[data-testid=screen-flood][data-area='\(district)']")
            try await h.waitForText("[data-testid=screen-flood][data-area='\(district)']", contains: "内涝")
            try await h.screenshot("screen-alarms", showing: "#screen-alarms-card")
            let errors = try await h.consoleErrors(network: false)
            #expect(errors.isEmpty, "console errors: \(errors.map(\.summary))")
        }
    }
}
