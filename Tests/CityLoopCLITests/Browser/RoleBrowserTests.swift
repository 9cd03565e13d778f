import CityLoopBrowser
import Foundation
import Testing

/// One thing each role relies on, in a real browser: the inspector's outbox without signal, the leader's live screen,
/// the operator's live queue, the administrator's accounts and imports, the public map, the printable case page in
/// English (and leaving it at once), and the handler's deadline order.
@Suite(.serialized, .enabled(if: BrowserHarness.shouldRun, "needs /usr/bin/chromium and /usr/bin/chromedriver (set CI=true to make their absence fail)"))
struct RoleBrowserTests {
    @Test func inspectorReportMadeOfflineIsQueuedAndSentOnceOnline() async throws {
        try await BrowserHarness.run(browser: .phone) { h in
            // setup: on patrol in the inspector's district, on the report page
            let district = try #require(try await h.api(.GET, "/api/v1/me", as: .inspector).body["gridScopes"]?[0]?.string)
            let spot = try await h.placeIn(district)
            let description = "井盖缺失 离线上报 E2E-\(UUID().uuidString.prefix(8))"
            try await h.setLocation(latitude: spot.lat, longitude: spot.lon)
            try await h.signInQuickly(.inspector)
            try await h.open("#/inspector/report")
            try await h.waitFor("#report-form")
            try await h.upload("#photos-camera", try await h.makePhoto("offline", label: "离线"))
            try await h.waitFor("[data-testid=photos-list] li img")
            try await h.waitForText("#loc-place", contains: spot.grid) // located by itself (permission granted)
            try await h.fill("#matter-search", "06010")
            try await h.click("[data-testid=matter-option-06010]")
            try await h.fill("#report-description", description)
            #expect(try await h.browser.find("#outbox-count").attribute("data-count") == "0")

            // MUT: no signal, report
            try await h.browser.setNetworkConditions(offline: true)
            try await h.waitUntil("!navigator.onLine", "the phone to be offline")
            try await h.click("#report-submit")

            // validate: kept on the phone — queued, one waiting in the header, listed in the outbox
            try await h.waitFor("#report-result[data-state=queued]")
            try await h.waitFor("#outbox-count[data-count=\"1\"]")
            try await h.waitForText("#outbox-count", contains: filled(try await h.t("outbox.waiting"), ["n": "1"]))
            try await h.waitForText("[data-testid=net-state]", contains: h.t("outbox.offline"))
            let waiting = try await h.browser.findAll("[data-testid=outbox-item]")
            #expect(waiting.count == 1)
            #expect(try await waiting.first?.attribute("data-status") == "pending")
            try await h.screenshot("queued-offline", showing: "#outbox")

            // MUT: signal again
            try await h.browser.setNetworkConditions(offline: false)

            // validate: sent by itself, the queue empty, exactly one case on the server, with its photo
            try await h.waitFor("#report-result[data-state=sent]")
            try await h.waitFor("#outbox-count[data-count=\"0\"]")
            try await h.waitFor("[data-testid=sent-item]")
            try await h.screenshot("sent-online", showing: "#report-result")
            let recent = try await h.api(.GET, "/api/v1/cases?state=pending_filing&source=inspector&limit=1000", as: .operator)
            #expect(recent.status == 200, "\(recent.text)")
            let mine = recent.body["items"]?.array?.filter { $0["description"]?.string == description } ?? []
            #expect(mine.count == 1, "cases with the description: \(mine.count)")
            #expect(mine.first?["evidence"]?.array?.count == 1)
            #expect(mine.first?["source"] == "inspector")
            if let number = mine.first?["number"]?.string {
                try await h.waitFor("[data-testid=sent-item][data-number=\"\(number)\"]")
            }
        }
    }

    @Test func leaderScreenMatchesTheDashboardAndFollowsANewCaseLive() async throws {
        try await BrowserHarness.run { h in
            // MUT: the leader's screen
            try await h.signInQuickly(.leader)
            try await h.waitFor("body[data-rendered=true]", visible: false)
            try await h.waitFor("#screen-live[data-state=open]")

            // validate: the figures are the dashboard's
            let dashboard = try await h.api(.GET, "/api/v1/dashboard", as: .leader)
            #expect(dashboard.status == 200, "\(dashboard.text)")
            let today = try #require(dashboard.body["today"])
            for key in ["reported", "filed", "closed", "overdue", "open"] {
                let shown = try await h.shownNumber("#kpi-\(key)")
                #expect(shown == today[key]?.int, "#kpi-\(key) shows \(String(describing: shown)), the dashboard says \(today[key] ?? .null)")
            }
            let states = try await h.browser.executeScript(
                "return Object.fromEntries([...document.querySelectorAll('[data-testid^=state-count-]')].map((e) => [e.dataset.testid.slice(12), e.textContent]))")
            let shownStates = states.object ?? [:]
            #expect(shownStates.count >= 8, "state counts: \(states)")
            for (state, text) in shownStates {
                let n = Int((text.string ?? "").filter(\.isNumber))
                #expect(n == (dashboard.body["states"]?[state]?.int ?? 0), "state-count-\(state) shows \(text), the dashboard says \(dashboard.body["states"]?[state] ?? .null)")
            }
            if let overdue = dashboard.body["overdue"]?.array, let first = overdue.first?["id"]?.string {
                try await h.waitFor("#screen-overdue [data-testid=overdue-row][data-id=\"\(first)\"]", visible: false)
            }
            try await h.screenshot("screen")

            // MUT: a case reported through the API while the screen is open
            let reported = try await h.shownNumber("#kpi-reported") ?? 0
            let renderedAt = try await h.browser.executeScript("window.__e2eSamePage = true; return window.cityloopRenderedAt")
            let spot = try await h.placeIn("")
            let created = try await h.api(
                .POST, "/api/v1/cases", as: .citizen,
                json: #"{"clientRequestID":"\#(UUID().uuidString)","matterCode":"06010","description":"大屏实时 E2E","lat":\#(spot.lat),"lon":\#(spot.lon)}"#)
            #expect(created.status == 201 || created.status == 200, "\(created.status) \(created.text)")
            let id = try #require(created.body["case"]?["id"]?.string)

            // validate: it reaches the screen live, without a reload
            try await h.waitUntil("window.cityloopLastLive && window.cityloopLastLive.id === arguments[0]", [.string(id)], "the new case on the screen")
            try await h.waitUntil("Number(document.getElementById('kpi-reported').textContent.replace(/\\D/g, '')) === arguments[0]", [.number(Double(reported + 1))], "#kpi-reported to grow by one")
            #expect(try await h.browser.executeScript("return window.__e2eSamePage === true && window.cityloopRenderedAt === arguments[0]", [renderedAt]).bool == true,
                    "the page was not reloaded")
            try await h.screenshot("screen-live")
            let errors = try await h.consoleErrors(network: false)
            #expect(errors.isEmpty, "console errors: \(errors.map(\.summary))")
        }
    }

    @Test func operatorQueueAlertsANewCitizenReportLive() async throws {
        try await BrowserHarness.run { h in
            // setup: the operator's intake queue, connected
            try await h.signInQuickly(.operator)
            try await h.waitFor("[data-testid=intake-live][data-state=open]")
            try await h.waitForIdle()
            #expect(try await h.browser.find("#intake-new-banner").isDisplayed == false)

            // MUT: a citizen reports through the API
            let spot = try await h.placeIn("")
            let created = try await h.api(
                .POST, "/api/v1/cases", as: .citizen,
                json: #"{"clientRequestID":"\#(UUID().uuidString)","matterCode":"06010","description":"队列提醒 E2E","lat":\#(spot.lat),"lon":\#(spot.lon)}"#)
            let number = try #require(created.body["case"]?["number"]?.string, "\(created.status) \(created.text)")

            // validate: the row appears marked new, with the banner
            let row = "[data-testid=queue-item][data-number=\"\(number)\"]"
            try await h.waitFor(row + ".fresh")
            #expect(try await h.browser.find(row).attribute("data-source") == "citizen")
            #expect(try await h.browser.find(row).attribute("data-state") == "pending_verification")
            try await h.waitForText("#intake-new-banner", contains: filled(try await h.t("intake.newCount"), ["n": "1"]))
            try await h.screenshot("queue-alert", showing: row)
            let errors = try await h.consoleErrors(network: false)
            #expect(errors.isEmpty, "console errors: \(errors.map(\.summary))")
        }
    }

    @Test func adminCreatesAnAccountThatSignsInAndImportsComponents() async throws {
        try await BrowserHarness.run { h in
            let tag = String(UUID().uuidString.prefix(6)).lowercased()
            let username = "op-e2e-\(tag)"
            let password = "pw-e2e-\(tag)-123"

            // MUT: a new operator account through the form
            try await h.signInQuickly(.admin)
            try await h.waitFor("#admin-users-table tr[data-username=admin]")
            try await h.click("#admin-user-new")
            try await h.fill("#admin-user-username", username)
            try await h.fill("#admin-user-displayname", "受理员 E2E")
            try await h.fill("#admin-user-role", "operator")
            try await h.fill("#admin-user-password", password)
            try await h.click("#admin-user-save")

            // validate: in the table, and it signs in to the operator's workspace
            let row = try await h.waitForText("#admin-users-table tr[data-username=\"\(username)\"]", contains: "受理员 E2E")
            #expect(row.contains(try await h.t("role.operator")), "\(row)")
            try await h.screenshot("user-created", showing: "#admin-users-table tr[data-username=\"\(username)\"]")
            try await h.signOut()
            try await h.signIn(username: username, password: password)
            try await h.waitForText("#who", contains: "受理员 E2E")
            try await h.waitForHash("#/intake")

            // MUT: a components CSV with one good row and one row outside the city
            let spot = try await h.placeIn("")
            // 17 digits: the district, the class (03001 public toilet), a serial
            let good = "\(spot.grid.prefix(6))030019\(String(format: "%05d", Int.random(in: 0...89999)))"
            let csv = """
                id,class_code,name,lat,lon,state,owner,maintainer,remark
                \(good),03001,E2E 公厕,\(spot.lat),\(spot.lon),intact,sanitation,sanitation,e2e
                \(spot.grid.prefix(6))03001999999,03001,E2E 城外,10.0,10.0,intact,,,

                """
            let file = h.server.data.appendingPathComponent("fixtures/components-\(tag).csv")
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(csv.utf8).write(to: file)
            try await h.signInQuickly(.admin)
            try await h.open("#/admin/import")
            try await h.upload("#admin-components-file", file)
            try await h.click("#admin-components-import")

            // validate: one accepted, the bad row (line 3) listed with its reason, the good one stored
            try await h.waitForText("#admin-components-summary", contains: filled(try await h.t("admin.import.components.summary"), ["accepted": "1", "rejected": "1"]))
            let rejected = try await h.browser.findAll("#admin-components-rejected tr[data-row]")
            #expect(rejected.count == 1)
            #expect(try await rejected.first?.attribute("data-row") == "3")
            let reason = try await rejected.first?.text ?? ""
            #expect(reason.contains("outside"), "\(reason)")
            try await h.screenshot("components-imported", showing: "#admin-components-result")
            let stored = try await h.api(.GET, "/api/v1/components/\(good)", as: .admin)
            #expect(stored.status == 200, "GET /api/v1/components/\(good): \(stored.status) \(stored.text)")
            #expect(stored.body["classCode"] == "03001" && stored.body["name"] == "E2E 公厕")
            #expect(stored.body["gridCode"]?.string == spot.grid)
        }
    }

    @Test func publicMapListsToiletsNearestFirst() async throws {
        try await BrowserHarness.run(browser: .phone) { h in
            // setup: a visitor (not signed in) somewhere in the city
            let spot = try await h.placeIn("")
            try await h.setLocation(latitude: spot.lat, longitude: spot.lon)
            try await h.open("#/map")

            // MUT: public toilets only
            try await h.click("[data-testid=map-class-03001]")
            try await h.waitFor("[data-testid=map-class-03001][aria-pressed=true]")
            try await h.waitUntil(
                "(() => { const r = [...document.querySelectorAll('[data-testid=map-result]')]; return r.length > 0 && r.every((e) => e.dataset.class === '03001'); })()", "only public toilets listed")
            #expect(try await h.browser.exists("#signin"), "signed out")
            try await h.screenshot("toilets")

            // MUT: nearest to me
            try await h.click("#map-near")

            // validate: distances shown, increasing, in the API's nearest-first order
            let listed = try await h.waitUntil(
                """
                (() => {
                  const r = [...document.querySelectorAll('[data-testid=map-result]')];
                  if (!r.length || r.some((e) => !e.querySelector('[data-testid=map-result-distance]'))) return null;
                  return r.map((e) => { const t = e.querySelector('[data-testid=map-result-distance]').textContent;
                    return { id: e.dataset.id, metres: parseFloat(t) * (/km|公里/.test(t) ? 1000 : 1) }; });
                })()
                """, "distances in the list")
            let rows = listed.array ?? []
            #expect(rows.count >= 2, "\(rows.count) toilets listed")
            let metres = rows.compactMap { $0["metres"]?.double }
            #expect(metres.count == rows.count)
            #expect(zip(metres, metres.dropFirst()).allSatisfy { $0 <= $1 }, "distances: \(metres.prefix(20))")
            let api = try await h.api(.GET, "/api/v1/public/facilities?class=03001&lat=\(spot.lat)&lon=\(spot.lon)&limit=300", as: nil)
            let expected = api.body["items"]?.array?.compactMap { $0["id"]?.string } ?? []
            #expect(rows.compactMap { $0["id"]?.string }.prefix(10) == expected.prefix(10), "the page's order is the API's nearest-first order")
            try await h.screenshot("toilets-nearest", showing: "[data-testid=map-result]")
        }
    }

    @Test func casePageInEnglishShowsTheTimelineAndPrints() async throws {
        try await BrowserHarness.run { h in
            // setup: a closed case with a long record (some closed cases were closed at filing, with two steps)
            let closed = try await h.api(.GET, "/api/v1/cases?state=closed&limit=30", as: .operator)
            var picked: (id: String, detail: JSONValue)?
            for item in closed.body["items"]?.array ?? [] {
                guard let id = item["id"]?.string else { continue }
                let detail = try await h.caseDetail(id, as: .operator)
                if (detail["timeline"]?.array?.count ?? 0) >= 5 { picked = (id, detail); break }
            }
            let (id, detail) = try #require(picked, "a closed case with five steps or more among the first 30")
            let number = try #require(detail["case"]?["number"]?.string)
            let timeline = detail["timeline"]?.array ?? []
            try await h.signInQuickly(.operator)
            try await h.open("#/case/\(id)")
            try await h.waitFor("#case-state[data-state=closed]")
            // The map has zoomed to the case: Leaflet 1.6 throws from a map removed during its first zoom (see the report).
            try await h.waitFor("#case-map .leaflet-marker-icon")
            try await h.waitForIdle()
            try await h.waitUntil("!document.querySelector('#case-map .leaflet-zoom-anim')", "the map to settle")

            // MUT: switch to English
            try await h.click(".lang-switch")

            // validate: the page in English, the whole timeline with the actions' English names, a print button
            try await h.waitUntil("document.documentElement.lang === 'en'")
            try await h.waitForText("#case-title", contains: filled(try await h.t("case.title", "en"), ["number": number]))
            try await h.waitForText("#case-timeline-h", contains: h.t("case.timeline", "en"))
            try await h.waitForText("#case-state", contains: h.t("state.closed", "en"))
            let actions = try await h.browser.executeScript(
                "return [...document.querySelectorAll('[data-testid=timeline-event]')].map((e) => [e.dataset.action, e.querySelector('.event-action').textContent])")
            let shown = actions.array ?? []
            #expect(shown.count == timeline.count, "\(shown.count) events shown, the case has \(timeline.count)")
            for (event, row) in zip(timeline, shown) {
                let action = event["action"]?.string ?? ""
                #expect(row[0]?.string == action)
                #expect(row[1]?.string == (try await h.t("action.\(action)", "en")), "the \(action) step reads \(row[1] ?? .null)")
            }
            let printButton = try await h.waitFor("#case-print")
            #expect(try await printButton.tagName == "button")
            #expect(try await printButton.text == (try await h.t("common.print", "en")))
            try await h.screenshot("case-en", fullPage: true)

            // validate: as printed, the buttons are gone and the print heading shows
            try await h.browser.cdp("Emulation.setEmulatedMedia", ["media": "print"])
            try await h.waitUntil("getComputedStyle(document.getElementById('case-print')).display === 'none'", "the print button hidden in print")
            #expect(try await h.browser.executeScript("return getComputedStyle(document.querySelector('.print-head')).display !== 'none'").bool == true)
            #expect(try await h.browser.executeScript("return [...document.querySelectorAll('#top, [data-testid=action-panel]')].every((e) => getComputedStyle(e).display === 'none')").bool == true,
                    "the top bar and the actions are not printed")
            try await h.screenshot("case-en-print", fullPage: true, settle: false)
            try await h.browser.cdp("Emulation.setEmulatedMedia", ["media": ""])
            let errors = try await h.consoleErrors(network: false)
            #expect(errors.isEmpty, "console errors: \(errors.map(\.summary))")
        }
    }

    @Test func leavingTheCasePageWhileItsMapZoomsLogsNoError() async throws {
        try await BrowserHarness.run { h in
            // setup: an open case, and a watcher that leaves its page the moment the map starts zooming to the case
            // (a user who clicks on at once: Leaflet's zoom ends by a timer that must not outlive the map)
            let open = try await h.api(.GET, "/api/v1/cases?state=dispatched,in_progress&limit=1", as: .operator)
            let id = try #require(open.body["items"]?[0]?["id"]?.string)
            try await h.signInQuickly(.operator)
            try await h.browser.executeScript(
                """
                window.__e2eLeft = false;
                const watch = new MutationObserver(() => {
                  if (!document.querySelector('#case-map .leaflet-zoom-anim')) return;
                  watch.disconnect(); window.__e2eLeft = true; location.hash = '#/cases';
                });
                watch.observe(document.getElementById('main'), { subtree: true, attributes: true, attributeFilter: ['class'] });
                """)

            // MUT: open the case page (left again during the map's first zoom; at once if the map does not animate)
            try await h.open("#/case/\(id)")
            if (try? await h.waitUntil("window.__e2eLeft", "the map to start zooming")) == nil {
                try await h.waitFor("#case-map .leaflet-marker-icon")
                try await h.open("#/cases")
            }

            // validate: the next page is there and nothing threw once the map was gone
            try await h.waitForHash("#/cases")
            try await h.waitFor("[data-testid=cases-row]")
            try await h.waitForIdle(quiet: .milliseconds(500))
            let errors = try await h.consoleErrors(network: false)
            #expect(errors.isEmpty, "console errors after leaving the case page: \(errors.map(\.summary))")
            try await h.screenshot("left-case-page")
        }
    }

    @Test func handlerTasksAreInDeadlineOrder() async throws {
        try await BrowserHarness.run { h in
            // setup: the department's open tasks, from the API
            let reply = try await h.api(.GET, "/api/v1/cases?state=dispatched,in_progress,return_requested&limit=1000", as: .handler)
            let me = try await h.api(.GET, "/api/v1/me", as: .handler)
            let dept = try #require(me.body["departmentID"]?.string)
            let tasks = (reply.body["items"]?.array ?? []).filter {
                $0["leadDepartmentID"]?.string == dept || ($0["assistingDepartmentIDs"]?.array ?? []).contains(.string(dept))
            }
            #expect(tasks.count >= 3, "the demo gives the handler \(tasks.count) tasks")
            let byID = Dictionary(tasks.compactMap { t in t["id"]?.string.map { ($0, t) } }, uniquingKeysWith: { a, _ in a })

            // MUT: the handler's task list
            try await h.signInQuickly(.handler)
            try await h.waitUntil("document.querySelectorAll('[data-testid=task]').length === arguments[0]", [.number(Double(tasks.count))], "\(tasks.count) tasks listed")

            // validate: every task, soonest (most overdue) deadline first; tasks waiting for a return answer last
            let order = try await h.browser.executeScript("return [...document.querySelectorAll('[data-testid=task]')].map((e) => e.dataset.case)").array?
                .compactMap(\.string) ?? []
            #expect(Set(order) == Set(byID.keys))
            let listed = order.compactMap { byID[$0] }
            let waitingLast = listed.map { $0["state"]?.string == "return_requested" }
            #expect(waitingLast == waitingLast.sorted { !$0 && $1 }, "return requests come last: \(waitingLast)")
            let dues = listed.filter { $0["state"]?.string != "return_requested" }.map { $0["stepDueAt"]?.string ?? "9999" }
            #expect(dues == dues.sorted(), "deadlines in list order: \(dues)")
            if let first = listed.first?["stepDueAt"]?.string, first < ISO8601DateFormatter().string(from: Date()) {
                #expect(try await h.browser.find("[data-testid=task]").attribute("class")?.contains("overdue") == true, "the first, overdue task is marked")
            }
            try await h.screenshot("tasks")
            let errors = try await h.consoleErrors(network: false)
            #expect(errors.isEmpty, "console errors: \(errors.map(\.summary))")
        }
    }
}

/// Fills `{name}` placeholders of a translation the way the console's t() does.
private func filled(_ text: String, _ params: [String: String]) -> String {
    params.reduce(text) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
}

extension BrowserHarness {
    /// The whole number an element shows (digits only: `2,628` → 2628), nil when it shows none.
    func shownNumber(_ css: String) async throws -> Int? {
        Int(try await browser.find(css, visible: false).text.filter(\.isNumber))
    }
}
