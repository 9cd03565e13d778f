import CityLoopBrowser
import Foundation
import Testing

/// The whole loop through the pages, as the people at each step see it: a citizen reports a problem from a phone, an
/// inspector verifies it on site, the operator files it, the dispatcher sends it to the department, the handler does
/// the work, the operator sends it for the on-site check, the inspector checks it, the shift lead closes it, and the
/// citizen follows it with the tracking code and rates it.
@Suite(.serialized, .enabled(if: BrowserHarness.shouldRun, "needs /usr/bin/chromium and /usr/bin/chromedriver (set CI=true to make their absence fail)"))
struct ClosedLoopBrowserTests {
    @Test func citizenReportTravelsTheWholeLoopToTheCitizensRating() async throws {
        try await BrowserHarness.run { h in
            let clock = ContinuousClock()
            let started = clock.now
            var lap = started
            func step(_ name: String) {
                print("[browser] closed loop: \(name) in \(BrowserHarness.ms(clock.now - lap))")
                lap = clock.now
            }

            // setup: manual dispatch (the demo files and dispatches in one go when the responsibility list has an
            // owner, as it has for exposed garbage), and a place in the demo inspector's district
            let policy = try await h.api(.GET, "/api/v1/policy", as: .admin)
            #expect(policy.status == 200, "\(policy.text)")
            let manual = try policy.body.setting(["workflowFlags", "autoDispatch"], to: false)
            let put = try await h.api(.PUT, "/api/v1/policy", as: .admin, json: manual.description)
            #expect(put.status == 200 && put.body["workflowFlags"]?["autoDispatch"] == .bool(false), "PUT /api/v1/policy: \(put.status) \(put.text)")
            let district = try #require(try await h.api(.GET, "/api/v1/me", as: .inspector).body["gridScopes"]?[0]?.string)
            let spot = try await h.placeIn(district)
            let tag = String(UUID().uuidString.prefix(8))
            let description = "小区门口垃圾堆放 E2E-\(tag)"
            let handledNote = "已清运完毕 E2E-\(tag)"

            // MUT 1: the citizen reports from a phone, with a photo and the phone's position
            let citizen = try await h.newBrowser(.phone)
            try await citizen.setLocation(latitude: spot.lat, longitude: spot.lon)
            try await citizen.signInQuickly(.citizen)
            try await citizen.waitFor("#report-form")
            let photo = try await citizen.makePhoto("citizen-garbage", label: "垃圾 \(tag)")
            try await citizen.upload("#photos-camera", photo)
            try await citizen.waitFor("[data-testid=photos-list] li img")
            try await citizen.click("#loc-gps")
            try await citizen.waitForText("#loc-place", contains: spot.grid)
            try await citizen.fill("#matter-search", "06010")
            try await citizen.click("[data-testid=matter-option-06010]")
            try await citizen.waitForText("#matter-selected", contains: "06010")
            try await citizen.fill("#report-description", description)
            try await citizen.click("#report-submit")
            try await citizen.waitUntil("document.querySelector('#report-result')?.dataset.state === 'sent'", "the report to be sent")
            let code = try await citizen.text("#tracking-code").trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(code.count >= 6, "tracking code \(code)")
            let tracked = try await h.api(.GET, "/api/v1/track/\(code)", as: nil)
            let number = try #require(tracked.body["caseNumber"]?.string, "GET /api/v1/track/\(code): \(tracked.text)")
            try await citizen.waitFor("[data-testid=sent-item][data-number=\"\(number)\"]")
            try await citizen.screenshot("1-citizen-report-sent", showing: "#report-result")
            let reported = try await h.caseDetail(number, as: .operator)
            let id = try #require(reported["case"]?["id"]?.string)
            #expect(reported["case"]?["state"] == "pending_verification", "a citizen's report waits for an inspector")
            #expect(reported["case"]?["description"]?.string == description)
            #expect(reported["case"]?["evidence"]?.array?.count == 1, "the photo went with the report")
            #expect(reported["case"]?["placement"]?["gridCode"]?.string == spot.grid)
            step("citizen reported \(number)")

            // MUT 2: the inspector verifies it on site, from the phone's task list
            let inspector = try await h.newBrowser(.phone)
            try await inspector.setLocation(latitude: spot.lat, longitude: spot.lon)
            try await inspector.signInQuickly(.inspector)
            let verifyTask = "[data-testid=task-item][data-id=\"\(id)\"]"
            try await inspector.waitFor(verifyTask + "[data-kind=verify]")
            try await inspector.screenshot("2-inspector-tasks", showing: verifyTask)
            try await inspector.click(verifyTask)
            try await inspector.waitFor("[data-testid=task-page][data-id=\"\(id)\"][data-state=pending_verification]")
            #expect(try await inspector.text("[data-testid=task-description]") == description)
            try await inspector.waitFor("[data-testid=task-photo] img[src^=blob]")
            try await inspector.upload("#evidence-camera", try await inspector.makePhoto("inspector-verify", label: "核实 \(tag)"))
            try await inspector.waitFor("[data-testid=evidence-list] li img")
            try await inspector.fill("#task-comment", "现场核实属实")
            try await inspector.screenshot("3-inspector-verify", showing: "#task-action-verify")
            try await inspector.click("#task-action-verify")
            try await inspector.waitForHash("#/inspector")
            try await inspector.waitForText("#toasts", contains: number)
            try await inspector.waitForIdle()
            try await inspector.waitForAbsence(verifyTask)
            #expect(try await h.caseDetail(id, as: .operator)["case"]?["state"] == "pending_filing")
            step("inspector verified")

            // MUT 3: the operator files it from the intake queue
            try await h.signInQuickly(.operator)
            try await h.waitFor("[data-testid=intake-live][data-state=open]")
            let queued = "[data-testid=queue-item][data-case-id=\"\(id)\"]"
            try await h.waitFor(queued + "[data-state=pending_filing]")
            try await h.click(queued + " .queue-open")
            try await h.waitFor("[data-testid=case-form][data-case-id=\"\(id)\"]")
            #expect(try await h.text("[data-testid=form-description]") == description)
            try await h.fill("[data-testid=form-comment]", "立案，交环卫处置")
            try await h.screenshot("4-operator-intake", showing: "[data-testid=action-file]")
            try await h.click("[data-testid=action-file]")
            try await h.waitForText("[data-testid=intake-done]", contains: number)
            try await h.waitForAbsence(queued)
            #expect(try await h.caseDetail(id, as: .operator)["case"]?["state"] == "pending_dispatch", "with autoDispatch off, filing leaves it to the dispatcher")
            step("operator filed")

            // MUT 4: the dispatcher dispatches it to the suggested department
            try await h.signInQuickly(.dispatcher)
            let pending = "[data-testid=list-pending] [data-testid=work-item][data-case=\"\(id)\"]"
            try await h.waitFor(pending)
            try await h.waitFor(pending + " [data-testid=suggestion][data-department=sanitation]")
            #expect(try await h.browser.find(pending + " select[data-testid=dispatch-department]").value == "sanitation", "the suggestion is preselected")
            try await h.screenshot("5-dispatcher-pending", showing: pending)
            try await h.click(pending + " [data-testid=dispatch-go]")
            try await h.waitForAbsence(pending)
            let dispatched = try await h.caseDetail(id, as: .operator)
            #expect(dispatched["case"]?["state"] == "dispatched")
            #expect(dispatched["case"]?["leadDepartmentID"] == "sanitation")
            step("dispatcher dispatched")

            // MUT 5: the handler accepts it and reports it handled with a photo
            try await h.signInQuickly(.handler)
            let task = "[data-testid=task][data-case=\"\(id)\"]"
            try await h.waitFor(task + "[data-state=dispatched]")
            try await h.clickCentred(task + " [data-testid=task-accept]")
            try await h.waitFor(task + "[data-state=in_progress]")
            try await h.clickCentred(task + " [data-testid=task-report]")
            try await h.waitFor(task + " [data-testid=action-form-report_handled]")
            try await h.upload(task + " input[data-testid=action-photos]", try await h.makePhoto("handler-done", label: "清运后 \(tag)"))
            try await h.waitFor(task + " [data-testid=action-photo-list] li[data-media]")
            try await h.fill(task + " [data-testid=action-comment]", handledNote)
            try await h.screenshot("6-handler-report", showing: task)
            try await h.clickCentred(task + " [data-testid=action-submit]")
            try await h.waitForAbsence(task)
            #expect(try await h.caseDetail(id, as: .operator)["case"]?["state"] == "handled")
            step("handler handled")

            // MUT 6: the operator sends it for the on-site check from the case page
            try await h.signInQuickly(.operator)
            try await h.open("#/case/\(id)")
            try await h.waitFor("#case-state[data-state=handled]")
            try await h.waitFor("[data-testid=photos-after] [data-testid=evidence-thumb]")
            try await h.click("#action-send_check")
            try await h.fill("[data-testid=action-form-send_check] [data-testid=action-comment]", "请核查")
            try await h.click("[data-testid=action-form-send_check] [data-testid=action-submit]")
            try await h.waitFor("#case-state[data-state=pending_check]")
            try await h.waitFor("[data-testid=timeline-event][data-action=send_check]")
            try await h.screenshot("7-operator-case-send-check", showing: "#case-state")
            step("operator sent for check")

            // MUT 7: the inspector checks it on site with a photo
            try await inspector.open("#/inspector")
            let checkTask = "[data-testid=task-item][data-id=\"\(id)\"]"
            try await inspector.waitFor(checkTask + "[data-kind=check]")
            try await inspector.click(checkTask)
            try await inspector.waitFor("[data-testid=task-page][data-id=\"\(id)\"][data-state=pending_check]")
            try await inspector.waitForText("[data-testid=task-handling-comment]", contains: handledNote)
            try await inspector.upload("#evidence-camera", try await inspector.makePhoto("inspector-check", label: "核查 \(tag)"))
            try await inspector.waitFor("[data-testid=evidence-list] li img")
            try await inspector.fill("#task-comment", "现场已清理干净")
            try await inspector.screenshot("8-inspector-check", showing: "#task-action-check_pass")
            try await inspector.click("#task-action-check_pass")
            try await inspector.waitForHash("#/inspector")
            try await inspector.waitForIdle()
            try await inspector.waitForAbsence(checkTask)
            #expect(try await h.caseDetail(id, as: .operator)["case"]?["state"] == "pending_close")
            step("inspector checked")

            // MUT 8: the shift lead closes it on the case page
            try await h.signInQuickly(.shiftlead)
            try await h.open("#/case/\(id)")
            try await h.waitFor("#case-state[data-state=pending_close]")
            try await h.click("#action-close")
            try await h.click("[data-testid=action-form-close] [data-testid=action-submit]")
            try await h.waitFor("#case-state[data-state=closed]")
            try await h.waitFor("[data-testid=timeline-event][data-action=close]")
            try await h.screenshot("9-shiftlead-case-closed", showing: "#case-state")
            step("shift lead closed")

            // MUT 9: the citizen follows it with the tracking code, sees it closed and rates it
            try await citizen.open("#/track")
            try await citizen.fill("#track-code", code)
            try await citizen.click("#track-submit")
            try await citizen.waitFor("[data-testid=track-progress][data-state=closed][data-number=\"\(number)\"]")
            try await citizen.waitForText("[data-testid=track-now]", contains: citizen.t("citizen.track.now.closed"))
            #expect(try await citizen.browser.findAll("[data-testid=track-step][data-action=close]").count == 1)
            try await citizen.waitFor("[data-testid=rate-form]")
            try await citizen.screenshot("10-citizen-track-closed", showing: "[data-testid=rate-form]")
            try await citizen.click("label[for^=rate-satisfied-]")
            try await citizen.click("[data-testid=rate-submit]")
            let rated = try await citizen.waitForText("[data-testid=track-rated]", contains: citizen.t("citizen.rate.satisfied"))
            #expect(!rated.isEmpty)
            try await citizen.waitFor("[data-testid=track-step][data-action=rate]")
            try await citizen.screenshot("11-citizen-rated", showing: "[data-testid=track-rated]")
            step("citizen rated")

            // validate: the record — closed, rated satisfied, every step of the loop in its timeline, in order
            let final = try await h.caseDetail(id, as: .operator)
            #expect(final["case"]?["state"] == "closed")
            #expect(final["case"]?["satisfaction"] == "satisfied")
            let actions = final["timeline"]?.array?.compactMap { $0["action"]?.string } ?? []
            let loop = ["report", "verify", "file", "dispatch", "accept", "report_handled", "send_check", "check_pass", "close", "rate"]
            #expect(actions.filter(loop.contains) == loop, "timeline: \(actions)")
            let evidence = final["timeline"]?.array?.filter { ["report", "verify", "report_handled", "check_pass"].contains($0["action"]?.string ?? "") }
                .map { "\($0["action"]?.string ?? ""):\($0["evidence"]?.array?.count ?? 0)" } ?? []
            #expect(evidence == ["report:1", "verify:1", "report_handled:1", "check_pass:1"], "photos per step: \(evidence)")
            let errors = try await h.consoleErrors(network: false) + citizen.consoleErrors(network: false) + inspector.consoleErrors(network: false)
            #expect(errors.isEmpty, "console errors: \(errors.map(\.summary))")

            // restore the policy
            let restored = try await h.api(.PUT, "/api/v1/policy", as: .admin, json: policy.body.description)
            #expect(restored.status == 200 && restored.body["workflowFlags"]?["autoDispatch"] == policy.body["workflowFlags"]?["autoDispatch"])
            print("[browser] closed loop: whole loop in \(BrowserHarness.ms(clock.now - started))")
        }
    }
}

extension BrowserHarness {
    /// Scrolls the element to the middle of the viewport, then clicks it: a click at the bottom edge of the window (where
    /// WebDriver scrolls an element to) lands on the toasts there and waits for them to fade.
    func clickCentred(_ css: String) async throws {
        try await browser.find(css, visible: true).scrollIntoView()
        try await click(css)
    }

    /// A case's detail (GET /api/v1/cases/{id or number}) as a demo account; throws unless it answers 200.
    func caseDetail(_ idOrNumber: String, as user: DemoUser) async throws -> JSONValue {
        let reply = try await api(.GET, "/api/v1/cases/\(idOrNumber)", as: user)
        guard reply.status == 200 else { throw TestFailure("GET /api/v1/cases/\(idOrNumber) as \(user): \(reply.status) \(reply.text)") }
        return reply.body
    }

    /// A point in the middle of a unit grid of an area (from the public map layers), and that grid's code as
    /// GET /api/v1/locate places the point.
    func placeIn(_ area: String) async throws -> (lat: Double, lon: Double, grid: String) {
        let layers = try await api(.GET, "/api/v1/map/layers", as: nil)
        let grids = layers.body["grids"]?.array?.filter { $0["code"]?.string?.hasPrefix(area) == true } ?? []
        // a grid in the middle of the list: away from the area's edge
        guard !grids.isEmpty, let ring = grids[grids.count / 2]["ring"]?.array, !ring.isEmpty else {
            throw TestFailure("no grid of \(area) in /api/v1/map/layers")
        }
        let points = ring.compactMap { p -> (Double, Double)? in
            guard let lat = p[0]?.double, let lon = p[1]?.double else { return nil }
            return (lat, lon)
        }
        let lat = points.map(\.0).reduce(0, +) / Double(points.count)
        let lon = points.map(\.1).reduce(0, +) / Double(points.count)
        let located = try await api(.GET, "/api/v1/locate?lat=\(lat)&lon=\(lon)", as: nil)
        guard let grid = located.body["placement"]?["gridCode"]?.string else {
            throw TestFailure("GET /api/v1/locate?lat=\(lat)&lon=\(lon): \(located.status) \(located.text)")
        }
        return (lat, lon, grid)
    }
}

extension JSONValue {
    /// A copy with the value at a path of object keys replaced.
    func setting(_ path: [String], to value: JSONValue) throws -> JSONValue {
        guard let key = path.first else { return value }
        guard var object = self.object else { throw TestFailure("not an object at \(key): \(self)") }
        object[key] = try (object[key] ?? .object([:])).setting(Array(path.dropFirst()), to: value)
        return .object(object)
    }
}
