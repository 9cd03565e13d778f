import CityLoopBrowser
import Foundation
import Testing

/// Rectification notices (整改通知) and the fleet's live positions in a real browser: a haulage company's truck is
/// tampered with yesterday, the server's morning sweep sends the company a notice, the company's handler finds it under
/// 整改通知 and replies (an empty reply is refused with the reason); the dispatcher sends the reply back with a note,
/// then, after the company replied again and someone else acted meanwhile, is told the notice changed, sees it read
/// again with both replies sent back, and closes it; the list shows it closed, in Chinese and in English. And a
/// dispatcher watching the fleet map sees a truck's new position arrive over the live feed, without a reload.
@Suite(.serialized, .enabled(if: BrowserHarness.shouldRun, "needs /usr/bin/chromium and /usr/bin/chromedriver (set CI=true to make their absence fail)"))
struct CompanyNoticeBrowserTests {
    /// The demo's haulage company and the login of its handler.
    static let company = "haulage-hengtong"
    static let companyHandler = "handler-\(company)"

    static func iso(_ d: Date) -> String { ISO8601DateFormatter().string(from: d) }

    /// The local day (UTC+8, `yyyy-MM-dd`) whose notices the server's sweep sends at its first run, and noon of it:
    /// yesterday — or the day before in the first 40 minutes after midnight, since the sweep waits 30 minutes after a
    /// day ends for late uploads before it notices that day.
    static func noticeDay(now: Date = Date()) -> (key: String, noon: Date) {
        let offset = 8.0 * 3600
        let day = Int(((now.timeIntervalSince1970 + offset - 2400) / 86_400).rounded(.down)) - 1
        let noon = Date(timeIntervalSince1970: Double(day) * 86_400 - offset + 12 * 3600)
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(secondsFromGMT: Int(offset))
        format.dateFormat = "yyyy-MM-dd"
        return (format.string(from: noon), noon)
    }

    /// A spot inside the city's grids (a device's), where trucks report from.
    static func spot(_ h: BrowserHarness) async throws -> (lat: Double, lon: Double) {
        let devices = try await h.api(.GET, "/api/v1/devices?limit=50", as: .admin)
        let point = try #require(devices.body.array?.first { $0["gridCode"]?.string != nil }?["point"], "a device in a grid: \(devices.text.prefix(300))")
        return (try #require(point["lat"]?.double), try #require(point["lon"]?.double))
    }

    /// Registers a muck truck of the haulage company.
    static func registerTruck(_ h: BrowserHarness, id: String, plate: String) async throws {
        let saved = try await h.api(
            .PUT, "/api/v1/vehicles", as: .admin,
            json: #"[{"id": "\#(id)", "plate": "\#(plate)", "kind": "muckTruck", "hasLoadSensor": true, "companyID": "\#(company)"}]"#)
        #expect(saved.status == 200, "\(saved.text)")
    }

    /// One position as a fleet platform posts it.
    static func position(_ vehicle: String, _ at: Date, _ spot: (lat: Double, lon: Double), speed: Double = 0, alarm: UInt32 = 0) -> String {
        #"{"vehicle": "\#(vehicle)", "at": "\#(iso(at))", "lat": \#(spot.lat), "lon": \#(spot.lon), "speed": \#(speed), "load": "empty", "alarm": \#(alarm)}"#
    }

    /// A template's `{name}` placeholders filled.
    static func filled(_ text: String, _ params: [String: String]) -> String {
        params.reduce(text) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }

    @Test func aCompanyRepliesToItsNoticeAndTheDispatcherClosesIt() async throws {
        try await BrowserHarness.run { h in
            // setup: first of all (the sweep runs 30 s after the server started, and notices each day once), a truck
            // of the company whose terminal's tamper bit (28, illegal displacement) was set yesterday at noon
            let day = Self.noticeDay()
            let spot = try await Self.spot(h)
            try await Self.registerTruck(h, id: "T-9", plate: "豫A54321")
            let posted = try await h.api(
                .POST, "/api/v1/vehicles/positions", as: .admin,
                json: #"{"positions": [\#(Self.position("T-9", day.noon, spot, alarm: 0)), \#(Self.position("T-9", day.noon.addingTimeInterval(30), spot, alarm: 268_435_456))]}"#)
            #expect(posted.status == 200 && posted.body["stored"]?.int == 2, "\(posted.text)")
            #expect((posted.body["events"]?.array ?? []).contains { $0["kind"]?.string == "tampered" }, "\(posted.text)")
            let id = "ZG-\(day.key)-\(Self.company)"

            // MUT: the server's sweep sends the notices of the day
            try await h.browser.waitUntil("the sweep to send \(id)", timeout: .seconds(300)) {
                let listed = try await h.api(.GET, "/api/v1/company-notices", as: .dispatcher)
                return listed.body.array?.contains { $0["notice"]?["id"]?.string == id } == true
            }

            // validate: the notice counts the tampering of T-9
            let sent = try await h.api(.GET, "/api/v1/company-notices/\(id)", as: .dispatcher)
            #expect(sent.body["notice"]?["state"]?.string == "issued" && sent.body["overdue"]?.bool == false, "\(sent.text.prefix(400))")
            #expect((sent.body["notice"]?["events"]?.array ?? []).contains { $0["event"]?["vehicleID"]?.string == "T-9" && $0["event"]?["kind"]?.string == "tampered" })
            let departments = try await h.api(.GET, "/api/v1/departments", as: .dispatcher).body.array ?? []
            let companyName = try #require(departments.first { $0["id"]?.string == Self.company }?["name"]?.string, "the demo's haulage company")

            // MUT: the company's handler opens the notices from the top bar
            let handlerToken = try await HTTP.login(h.client, h.base, Self.companyHandler, BrowserHarness.password)
            try await h.signInQuickly(username: Self.companyHandler, opening: "#/tasks")
            try await h.click(".topbar nav a[href='#/notices']")
            try await h.waitForHash("#/notices")
            let row = "[data-testid=notice-row][data-id='\(id)']"
            try await h.waitFor(row)

            // validate: the company, the day, the events by kind, the state, in Chinese
            #expect(try await h.text("\(row) [data-testid=notice-company]") == companyName)
            #expect(try await h.text("\(row) [data-testid=notice-day]") == day.key)
            #expect(try await h.text("\(row) [data-testid=notice-count][data-kind=tampered]").contains(try await h.t("vehicle.event.tampered")))
            #expect(try await h.text("\(row) [data-testid=notice-state]") == (try await h.t("notice.state.issued")))
            #expect(try await h.browser.findAll("\(row)[data-overdue=false]").count == 1, "due in three days")
            try await h.screenshot("company-list", showing: row)

            // MUT: the notice opened, an empty reply sent
            try await h.click("\(row) [data-testid=notice-open]")
            try await h.waitForHash("#/notices/\(id)")
            let tampered = "[data-testid=notice-event][data-kind=tampered][data-vehicle='T-9']"
            try await h.waitFor(tampered)
            #expect(try await h.text("\(tampered) [data-testid=notice-event-kind]") == (try await h.t("vehicle.event.tampered")))
            #expect(try await h.text("\(tampered) [data-testid=notice-vehicle]") == "T-9", "a company reads no fleet registry: the vehicle's ID")
            try await h.click("[data-testid=notice-reply-submit]")

            // validate: refused, with the reason at the reply box
            try await h.waitForText("[data-testid=notice-error]", contains: h.t("notice.textInvalid"))
            try await h.waitFor("[data-testid=notice-reply-input][aria-invalid=true]")

            // MUT: the reply written
            let firstReply = "已停用该车辆并检修终端"
            try await h.fill("[data-testid=notice-reply-input]", firstReply)
            try await h.click("[data-testid=notice-reply-submit]")

            // validate: replied, waiting for review
            try await h.waitFor("[data-testid=notice-page][data-state=replied]")
            #expect(try await h.text("[data-testid=notice-reply-text]") == firstReply)
            #expect(try await h.text("[data-testid=notice-waiting]") == (try await h.t("notice.waitingReview")))
            #expect(try await h.text("[data-testid=notice-facts] [data-testid=notice-state]") == (try await h.t("notice.state.replied")))
            try await h.screenshot("company-replied", fullPage: true)

            // MUT: the dispatcher lists the notices waiting for review, opens this one and sends it back without a note
            try await h.signInQuickly(.dispatcher)
            try await h.click(".topbar nav a[href='#/notices']")
            try await h.waitForHash("#/notices")
            try await h.fill("[data-testid=notice-filter-state]", "replied")
            try await h.waitFor("\(row)[data-state=replied]")
            #expect(try await h.text("\(row) [data-testid=notice-state]") == (try await h.t("notice.state.replied")))
            try await h.click("\(row) [data-testid=notice-open]")
            try await h.waitForHash("#/notices/\(id)")
            try await h.waitForText("[data-testid=notice-reply-text]", contains: firstReply)
            #expect(try await h.text("\(tampered) [data-testid=notice-vehicle]") == "豫A54321")
            #expect(try await h.browser.find("\(tampered) a[data-testid=notice-vehicle]").attribute("href") == "#/vehicle/T-9")
            try await h.click("[data-testid=notice-send-back]")
            try await h.waitForText("[data-testid=notice-error]", contains: h.t("notice.textInvalid"))

            // MUT: sent back with a note
            let note = "请附终端维修记录"
            try await h.fill("[data-testid=notice-note-input]", note)
            try await h.click("[data-testid=notice-send-back]")

            // validate: the company replies again; the reply sent back is in the history with the note
            try await h.waitFor("[data-testid=notice-page][data-state=issued]")
            try await h.waitForText("[data-testid=notice-rejection] [data-testid=notice-rejected-note]", contains: note)
            #expect(try await h.text("[data-testid=notice-rejection] [data-testid=notice-rejected-reply]") == firstReply)
            #expect(try await h.text("[data-testid=notice-waiting]") == (try await h.t("notice.waitingReply")))

            // MUT: the company replies again; the page read again; meanwhile the leader sends it back once more and the
            // company replies a third time; then the dispatcher, on the page as it was, closes it
            let secondReply = try await h.api(.POST, "/api/v1/company-notices/\(id)/reply", token: handlerToken, json: #"{"version": 3, "text": "附维修单"}"#)
            #expect(secondReply.status == 200, "\(secondReply.text)")
            try await h.open("#/notices/\(id)")
            try await h.waitFor("[data-testid=notice-page][data-state=replied][data-version='4']")
            let back = try await h.api(.POST, "/api/v1/company-notices/\(id)/send-back", as: .leader, json: #"{"version": 4, "text": "维修单不清楚"}"#)
            #expect(back.status == 200, "\(back.text)")
            let thirdReply = "附清晰的维修单 Repair order attached"
            let third = try await h.api(.POST, "/api/v1/company-notices/\(id)/reply", token: handlerToken, json: #"{"version": 5, "text": "\#(thirdReply)"}"#)
            #expect(third.status == 200, "\(third.text)")
            try await h.click("[data-testid=notice-close]")

            // validate: told it changed, and shown as it is now: the third reply, two replies sent back
            try await h.waitForText("[data-testid=notice-error]", contains: h.t("notice.reloaded"))
            try await h.waitFor("[data-testid=notice-page][data-state=replied][data-version='6']")
            #expect(try await h.text("[data-testid=notice-reply-text]") == thirdReply)
            #expect(try await h.browser.findAll("[data-testid=notice-rejection]").count == 2)
            try await h.screenshot("stale-close", fullPage: true)

            // MUT: closed
            try await h.click("[data-testid=notice-close]")

            // validate: closed, by the dispatcher; the list shows it closed, in Chinese and in English
            try await h.waitFor("[data-testid=notice-page][data-state=closed]")
            #expect(try await h.text("[data-testid=notice-facts] [data-testid=notice-state]") == (try await h.t("notice.state.closed")))
            #expect(try await h.text("[data-testid=notice-waiting]") == (try await h.t("notice.closedNote")))
            try await h.waitFor("[data-testid=notice-closed-by]")
            let closed = try await h.api(.GET, "/api/v1/company-notices/\(id)", as: .dispatcher)
            #expect(closed.body["notice"]?["state"]?.string == "closed" && closed.body["notice"]?["closedBy"]?.string?.contains("dispatcher") == true, "\(closed.text.prefix(300))")
            try await h.click("[data-testid=notice-page] a[href='#/notices']")
            try await h.waitFor("\(row)[data-state=closed]")
            #expect(try await h.text("\(row) [data-testid=notice-state]") == (try await h.t("notice.state.closed")))
            try await h.screenshot("closed-list", showing: row)
            try await h.click(".lang-switch")
            try await h.waitForText("\(row) [data-testid=notice-state]", contains: h.t("notice.state.closed", "en"))
            try await h.waitForText("\(row) [data-testid=notice-count][data-kind=tampered]", contains: h.t("vehicle.event.tampered", "en"))
            try await h.waitForText(".topbar nav a[href='#/notices']", contains: h.t("nav.notices", "en"))
            try await h.screenshot("closed-list-en", showing: row)
            try await h.click(".lang-switch")
            try await h.waitUntil("document.documentElement.lang === 'zh-CN'")
            let errors = try await h.consoleErrors(network: false)
            #expect(errors.isEmpty, "console errors: \(errors.map(\.summary))")
        }
    }

    @Test func theFleetMapMovesATruckFromTheLiveFeed() async throws {
        try await BrowserHarness.run { h in
            // setup: a truck that reported two minutes ago, standing
            let spot = try await Self.spot(h)
            try await Self.registerTruck(h, id: "T-8", plate: "豫A66688")
            let first = try await h.api(.POST, "/api/v1/vehicles/positions", as: .admin, json: #"{"positions": [\#(Self.position("T-8", Date().addingTimeInterval(-120), spot))]}"#)
            #expect(first.status == 200, "\(first.text)")

            // MUT: the dispatcher opens the fleet map
            try await h.signInQuickly(.dispatcher)
            try await h.open("#/fleet")
            let item = "[data-testid=fleet-vehicle][data-id='T-8']"
            try await h.waitFor(item)
            // connected to the feed, and past its first tick (the page reads all positions once more after it)
            try await h.waitFor("[data-testid=fleet-status][data-live=on][data-caught-up=true]")
            let speedText = try await h.t("fleet.speed")
            #expect(try await h.text("\(item) [data-testid=fleet-last]").contains(Self.filled(speedText, ["speed": "0"])))
            // A full load would drop this mark.
            try await h.browser.executeScript("window.__fleetPageKept = true")

            // MUT: the truck drives on; its terminal reports
            // (the feed's first tick after a console connects only notes where every vehicle is, so a report that
            // falls before it — on a machine slow enough — comes with a read instead: the truck reports again until
            // one comes live)
            var speed = 30
            var arrived = false
            for attempt in 1...6 {
                speed = 30 + attempt
                let moved = (lat: spot.lat + 0.001 * Double(attempt), lon: spot.lon)
                let posted = try await h.api(.POST, "/api/v1/vehicles/positions", as: .admin, json: #"{"positions": [\#(Self.position("T-8", Date(), moved, speed: Double(speed)))]}"#)
                #expect(posted.status == 200, "\(posted.text)")
                do {
                    try await h.waitUntil(
                        """
                        (() => { const row = document.querySelector(arguments[0]);
                          return window.__fleetPageKept === true && row?.dataset.via === 'live'
                            && row.querySelector('[data-testid=fleet-last]')?.textContent.includes(arguments[1]); })()
                        """, [.string(item), .string(Self.filled(speedText, ["speed": String(speed)]))], timeout: .seconds(20),
                        "the report at \(speed) km/h over the live feed")
                    arrived = true
                    break
                } catch let error as WebDriverError where error.code == WebDriverError.timeout && attempt < 6 {
                    continue
                }
            }

            // validate: the row shows the new speed without a reload, and the marker's popup the same
            #expect(arrived)
            try await h.click("\(item) [data-testid=fleet-locate]")
            try await h.waitForText(".leaflet-popup [data-testid=fleet-popup]", contains: Self.filled(speedText, ["speed": String(speed)]))
            #expect(try await h.browser.executeScript("return window.__fleetPageKept === true").bool == true, "the page was not reloaded")
            try await h.screenshot("fleet-live", showing: "#fleet-map")
            let errors = try await h.consoleErrors(network: false)
            #expect(errors.isEmpty, "console errors: \(errors.map(\.summary))")
        }
    }
}

extension BrowserHarness {
    /// Signs in as any demo account by its login name (a company's handler, say) without the form, the way
    /// `signInQuickly(_:)` does for the accounts named after their role, and opens `hash`.
    fileprivate func signInQuickly(username: String, opening hash: String) async throws {
        let reply = try await HTTP.post(client, base + "/api/v1/auth/login", token: nil, json: #"{"username":"\#(username)","password":"\#(Self.password)"}"#)
        guard reply.0 == 200, let token = reply.1["token"] as? String else { throw TestFailure("login of \(username) failed: \(reply.0)") }
        let stored = try JSONSerialization.data(withJSONObject: ["token": token, "user": reply.1["user"] ?? [:], "expiresAt": reply.1["expiresAt"] ?? NSNull()])
        if !(try await browser.currentURL).hasPrefix(base + "/") { try await open("#/report") }
        try await browser.setLocalStorageItem("cityloop.session", String(decoding: stored, as: UTF8.self))
        try await open(hash, reload: true)
        try await waitFor("#who")
        try await waitForHash(hash)
    }
}
