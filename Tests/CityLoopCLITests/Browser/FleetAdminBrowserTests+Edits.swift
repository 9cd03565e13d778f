import CityLoopBrowser
import Foundation
import Testing

/// What the fleet administration's forms keep and reach: a forbidden zone's opening hours the form does not show, a
/// permit numbered in Chinese deleted by its encoded path, a vehicle ID with `:` found in use, a driver taken off a
/// truck staying off when the company changes, and a company added on the departments tab offered without a reload;
/// the vehicle pager and the one-form slot wait for what they started.
extension FleetAdminBrowserTests {
    /// The value of a form control.
    static func value(_ h: BrowserHarness, _ css: String) async throws -> String {
        try await h.browser.executeScript("return document.querySelector(arguments[0])?.value ?? null", [.string(css)]).string ?? "-"
    }

    @Test func editsKeepWhatTheFormsDoNotShowAndReachIDsOfAnyText() async throws {
        try await BrowserHarness.run { h in
            // setup: through the API, a forbidden zone with opening hours as well, a permit numbered as the city writes
            // them, a truck registered under an ID with ':'
            try await h.signInQuickly(.admin)
            let zone = #"""
                [{"id": "FZ-T", "name": "Browser zone", "kind": "forbiddenZone", "openingHours": ["08:00-18:00"], "forbiddenHours": ["07:00-22:00"],
                  "boundary": {"outer": [{"lat": 34.75, "lon": 113.62}, {"lat": 34.75, "lon": 113.621}, {"lat": 34.751, "lon": 113.621}], "holes": []}}]
                """#
            #expect(try await h.api(.PUT, "/api/v1/vehicle-sites", as: .admin, json: zone).status == 200)
            let number = "郑渣准字〔2026〕第 0012:T 号"
            let permit = #"""
                [{"id": "\#(number)", "vehicleID": "ZT-0002", "originSiteID": "CS-001", "destinationSiteID": "DS-01",
                  "corridor": [{"lat": 34.75, "lon": 113.62}, {"lat": 34.76, "lon": 113.64}], "validFrom": "2026-01-01T00:00:00Z", "validTo": "2027-12-31T00:00:00Z"}]
                """#
            let issued = try await h.api(.PUT, "/api/v1/transport-permits", as: .admin, json: permit)
            #expect(issued.status == 200, "\(issued.text)")
            let truck = #"[{"id": "JT808:T1", "plate": "豫A00001", "kind": "muckTruck", "hasLoadSensor": true}]"#
            #expect(try await h.api(.PUT, "/api/v1/vehicles", as: .admin, json: truck).status == 200)

            // MUT: the zone renamed in its form, which shows its forbidden hours only
            try await h.open("#/admin/sites?id=FZ-T")
            try await h.waitFor("[data-testid=site-map].leaflet-container")
            try await h.fill("[data-testid=site-name]", "Browser zone renamed")
            try await Self.press(h, "[data-testid=site-save]")
            try await h.waitForAbsence("[data-testid=site-form]")

            // validate: renamed, both kinds of hours as they were
            let sites = try await h.api(.GET, "/api/v1/vehicle-sites", as: .admin).body.array ?? []
            let saved = try #require(sites.first { $0["id"]?.string == "FZ-T" })
            #expect(saved["name"]?.string == "Browser zone renamed", "\(saved)")
            #expect(saved["openingHours"]?.array?.compactMap(\.string) == ["08:00-18:00"], "\(saved)")
            #expect(saved["forbiddenHours"]?.array?.compactMap(\.string) == ["07:00-22:00"], "\(saved)")

            // MUT: the permit opened by its number and revoked, after confirming
            let query = try #require(number.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")))
            try await h.open("#/admin/permits?id=\(query)")
            try await h.waitFor("[data-testid=permit-map].leaflet-container")
            #expect(try await Self.value(h, "[data-testid=permit-id]") == number)
            try await Self.press(h, "[data-testid=permit-delete]")
            try await h.click("[data-testid=permit-delete-confirm]")
            try await h.waitForAbsence("[data-testid=permit-form]")

            // validate: gone from the API
            let permits = try await h.api(.GET, "/api/v1/transport-permits?vehicle=ZT-0002", as: .admin)
            #expect(permits.body.array?.contains { $0["id"]?.string == number } == false, "\(permits.text.prefix(300))")

            // MUT: a new vehicle under the ID the truck has
            try await h.open("#/admin/vehicles")
            try await h.click("[data-testid=vehicle-new]")
            try await h.waitFor("[data-testid=vf-form][data-drivers]", visible: false)
            try await h.fill("[data-testid=vf-id]", "JT808:T1")
            try await h.fill("[data-testid=vf-plate]", "豫B99999")
            try await Self.press(h, "[data-testid=vf-save]")

            // validate: refused beside the ID, the truck as it was
            try await h.waitForText("#vehicle-form-id-error", contains: "JT808:T1")
            let kept = try await h.api(.GET, "/api/v1/vehicles/JT808%3AT1", as: .admin)
            #expect(kept.body["vehicle"]?["plate"]?.string == "豫A00001", "\(kept.text.prefix(300))")

            // MUT: a truck's driver taken off, then its company changed
            try await h.open("#/admin/vehicles?id=ZT-0003")
            try await h.waitFor("[data-testid=vf-form][data-drivers]", visible: false)
            #expect(try await Self.value(h, "[data-testid=vf-driver]") == "SJ-0003")
            try await h.fill("[data-testid=vf-driver]", "")
            try await h.fill("[data-testid=vf-company]", "haulage-jiejing")
            try await h.waitUntil(
                "!document.querySelector('#vehicle-form-driver').disabled && !!document.querySelector('#vehicle-form-driver option[value=\"SJ-0002\"]')",
                "the other company's drivers")

            // validate: still no driver, and saved so
            #expect(try await Self.value(h, "[data-testid=vf-driver]") == "")
            try await Self.press(h, "[data-testid=vf-save]")
            try await h.waitForAbsence("[data-testid=vf-form]")
            let moved = try await h.api(.GET, "/api/v1/vehicles/ZT-0003", as: .admin)
            #expect(moved.body["vehicle"]?["companyID"]?.string == "haulage-jiejing" && moved.body["vehicle"]?["driverID"]?.string == nil, "\(moved.text.prefix(400))")

            // MUT: a haulage company added on the departments tab
            try await h.open("#/admin/departments")
            try await h.click("#admin-dept-add")
            try await h.fill("#admin-dept-table tr[data-id=new] td:nth-child(1) input", "haulage-t1")
            try await h.fill("#admin-dept-table tr[data-id=new] td:nth-child(2) input", "Browser Haulage")
            try await h.click("#admin-dept-table tr[data-id=new] td:nth-child(6) input")
            try await Self.press(h, "#admin-dept-save")
            try await h.waitFor("#admin-dept-table tr[data-id='haulage-t1']")

            // validate: a choice of the vehicle form, without reloading the page
            try await h.open("#/admin/vehicles")
            try await h.click("[data-testid=vehicle-new]")
            try await h.waitFor("#vehicle-form-company option[value='haulage-t1']", visible: false)
            let errors = try await h.consoleErrors(network: false)
            #expect(errors.isEmpty, "console errors: \(errors.map(\.summary))")
        }
    }

    @Test func theVehiclePagerAndTheFormSlotWaitForWhatTheyStarted() async throws {
        try await BrowserHarness.run { h in
            // setup: 100 vehicles after the demo's, two full pages from the first of them
            try await h.signInQuickly(.admin)
            let trucks = (1...100).map { n in
                let id = "ZZ-" + String(String(1000 + n).dropFirst())
                return #"{"id": "\#(id)", "plate": "豫Z\#(90000 + n)", "kind": "sweeper", "hasLoadSensor": false}"#
            }
            let registered = try await h.api(.PUT, "/api/v1/vehicles", as: .admin, json: "[\(trucks.joined(separator: ","))]")
            #expect(registered.status == 200, "\(registered.text.prefix(300))")
            try await h.open("#/admin/vehicles")
            try await h.waitFor("[data-testid=vehicle-row]")
            try await h.fill("[data-testid=vehicle-from-id]", "ZZ-001")
            try await h.click("[data-testid=vehicle-from-go]")
            try await h.waitForText("[data-testid=vehicle-page-status]", contains: "ZZ-050")
            let next = "document.querySelector('[data-testid=vehicle-pager-next]')", prev = "document.querySelector('[data-testid=vehicle-pager-prev]')"
            try await h.waitUntil("!\(next).disabled && \(prev).disabled", "Next on, Previous off on the first page")

            // MUT: Next clicked twice at once
            try await h.browser.executeScript("\(next).click(); \(next).click();")

            // validate: the second page, which is the last and exactly full: Next off
            try await h.waitForText("[data-testid=vehicle-page-status]", contains: "ZZ-100")
            #expect(try await h.text("[data-testid=vehicle-page-status]").contains("ZZ-051"))
            try await h.waitUntil("\(next).disabled && !\(prev).disabled", "Next off on the exactly full last page")
            #expect(try await h.browser.findAll("[data-testid=vehicle-row]").count == 50)

            // MUT: Previous once
            try await h.click("[data-testid=vehicle-pager-prev]")

            // validate: the first page
            try await h.waitForText("[data-testid=vehicle-page-status]", contains: "ZZ-001")
            try await h.waitUntil("!\(next).disabled && \(prev).disabled", "back on the first page")

            // MUT: a form closed while it is still drawing, in a slot of its own
            let slot = try await h.browser.evaluate(
                """
                (async () => {
                  const { formSlot } = await import('/js/views/admin-common.js');
                  const box = document.createElement('div');
                  document.body.append(box);
                  const slot = formSlot(box);
                  let release;
                  const loaded = new Promise((resolve) => { release = resolve; });
                  let removed = false;
                  const opened = slot.open(async (place) => {
                    await loaded;
                    place.replaceChildren(Object.assign(document.createElement('form'), { id: 'late-form' }));
                    return () => { removed = true; };
                  });
                  slot.close();
                  release();
                  await opened;
                  const shown = box.querySelector('#late-form') !== null;
                  box.remove();
                  return { shown, removed };
                })()
                """)

            // validate: the form never shows, and what it drew is removed
            #expect(slot["shown"]?.bool == false && slot["removed"]?.bool == true, "\(slot)")

            // MUT: a site's form closed as soon as its outline editor is drawn
            try await h.open("#/admin/sites")
            try await h.waitFor("[data-testid=site-row]")
            try await h.browser.executeScript(
                """
                const box = document.getElementById('site-form-box');
                new MutationObserver((_, observer) => {
                  if (!box.querySelector('[data-testid=site-boundary-status]')) return;
                  observer.disconnect();
                  setTimeout(() => box.querySelector('[data-testid=site-close]')?.click(), 0);
                }).observe(box, { childList: true, subtree: true });
                document.querySelector('[data-testid=site-new]').click();
                """)

            // validate: gone, and nothing fails afterwards (its map is measured before it can be removed)
            try await h.waitForAbsence("[data-testid=site-form]")
            // The map is remeasured on the next animation frame: two frames later anything it would do has been done.
            try await h.browser.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))")
            #expect(try await h.browser.findAll("#site-form-box .leaflet-container").isEmpty)
            let errors = try await h.consoleErrors(network: false)
            #expect(errors.isEmpty, "console errors: \(errors.map(\.summary))")
        }
    }
}
