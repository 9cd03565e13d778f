import CityLoopBrowser
import Foundation
import Testing

/// The fleet's administration in the console, in a real browser: an administrator draws a construction site's outline
/// on the city map by clicking its corners, gives it opening hours and saves it, and the API holds it as drawn; issues a
/// transport permit to a truck with a corridor drawn between that site and a disposal site, is told beside the date
/// that it ends before it starts, saves it with the right days, and later deletes it after confirming; registers a
/// driver (a bad licence number refused beside its field) and makes them a truck's driver from the truck's page.
@Suite(.serialized, .enabled(if: BrowserHarness.shouldRun, "needs /usr/bin/chromium and /usr/bin/chromedriver (set CI=true to make their absence fail)"))
struct FleetAdminBrowserTests {
    /// Clicks an element after bringing it to the middle of the window: a form's sticky save bar covers what the
    /// browser scrolls just into view at the bottom.
    static func press(_ h: BrowserHarness, _ css: String) async throws {
        try await h.waitFor(css).scrollIntoView()
        try await h.click(css)
    }

    /// Clicks the map at fractions of its width and height, and waits until the shape on it has `corners` corners.
    static func clickMap(_ h: BrowserHarness, _ map: String, _ x: Double, _ y: Double, corners: Int) async throws {
        try await h.waitFor("\(map).leaflet-container").click(atFractionX: x, y: y)
        try await h.waitFor("\(map)[data-corners='\(corners)']", visible: false)
    }

    /// Sets a date field as its picker does (the keys a date field takes depend on the browser's locale).
    static func setDate(_ h: BrowserHarness, _ css: String, _ ymd: String) async throws {
        try await h.browser.executeScript(
            """
            const el = document.querySelector(arguments[0]);
            el.value = arguments[1];
            el.dispatchEvent(new Event('input', { bubbles: true }));
            el.dispatchEvent(new Event('change', { bubbles: true }));
            """, [.string(css), .string(ymd)])
    }

    /// "lat, lon" lines as points.
    static func corners(_ text: String) -> [(lat: Double, lon: Double)] {
        text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }
    }

    /// The mean of an open ring's corners (where the console starts and ends a corridor).
    static func centre(_ ring: [JSONValue]) -> (lat: Double, lon: Double) {
        let points = ring.map { ($0["lat"]?.double ?? 0, $0["lon"]?.double ?? 0) }
        return (points.map(\.0).reduce(0, +) / Double(points.count), points.map(\.1).reduce(0, +) / Double(points.count))
    }

    @Test func anAdminDrawsASiteAndIssuesAPermitAlongACorridorBetweenTwoSites() async throws {
        try await BrowserHarness.run { h in
            // setup: the administrator on the sites tab
            try await h.signInQuickly(.admin)
            try await h.open("#/admin")
            try await h.click("[data-testid=admin-tab-sites]")
            try await h.waitForHash("#/admin/sites")
            try await h.waitFor("[data-testid=site-table] [data-testid=site-row]")

            // MUT: a new construction site, its four corners clicked on the map, the first clicked again to close it
            try await h.click("[data-testid=site-new]")
            let map = "[data-testid=site-map]"
            try await h.waitFor("\(map).leaflet-container")
            try await h.fill("[data-testid=site-id]", "CS-T1")
            try await h.fill("[data-testid=site-name]", "Browser test site")
            for (i, c) in [(0.42, 0.42), (0.58, 0.42), (0.58, 0.58), (0.42, 0.58)].enumerated() {
                try await Self.clickMap(h, map, c.0, c.1, corners: i + 1)
            }
            try await h.click("[data-testid=site-boundary-vertex][data-index='0']")
            try await h.waitFor("\(map)[data-drawing=false]", visible: false)
            #expect(try await h.browser.findAll("[data-testid=site-boundary-mid]").count == 4, "a midpoint marker on each side")
            try await Self.press(h, "[data-testid=site-opening-add]")
            try await h.fill("[data-testid=site-opening-from]", "06:30")
            try await h.fill("[data-testid=site-opening-to]", "21:00")
            let drawn = Self.corners(try await h.waitFor("[data-testid=site-boundary-text]").value)
            #expect(drawn.count == 4, "\(drawn)")
            try await h.screenshot("site-drawn", showing: map)
            try await Self.press(h, "[data-testid=site-save]")

            // validate: listed, and the API holds the outline as drawn (an open ring, as the domain keeps rings) with its hours
            try await h.fill("[data-testid=site-search]", "CS-T1")
            try await h.waitFor("[data-testid=site-row][data-id='CS-T1']")
            #expect(try await h.text("[data-testid=site-row][data-id='CS-T1'] [data-testid=site-row-hours]") == "06:30-21:00")
            let sites = try await h.api(.GET, "/api/v1/vehicle-sites", as: .admin)
            let site = try #require(sites.body.array?.first { $0["id"]?.string == "CS-T1" }, "\(sites.text.prefix(300))")
            #expect(site["name"]?.string == "Browser test site" && site["kind"]?.string == "constructionSite", "\(site)")
            #expect(site["openingHours"]?.array?.compactMap(\.string) == ["06:30-21:00"], "\(site)")
            let ring = site["boundary"]?["outer"]?.array ?? []
            #expect(ring.count == 4 && ring.first != ring.last, "an open ring of four corners: \(ring)")
            for (p, c) in zip(ring, drawn) {
                #expect(abs((p["lat"]?.double ?? 0) - c.lat) < 1e-9 && abs((p["lon"]?.double ?? 0) - c.lon) < 1e-9, "\(p) for \(c)")
            }
            let lats = Set(drawn.map(\.lat)), lons = Set(drawn.map(\.lon))
            #expect(lats.count == 2 && lons.count == 2, "a square on the screen is a rectangle of two latitudes and two longitudes: \(drawn)")

            // MUT: a permit for a truck from the new site to a disposal site, its corridor drawn between them
            try await h.click("[data-testid=admin-tab-permits]")
            try await h.waitForHash("#/admin/permits")
            try await h.waitFor("[data-testid=permit-table] [data-testid=permit-row]")
            try await h.click("[data-testid=permit-new]")
            let permitMap = "[data-testid=permit-map]"
            try await h.waitFor("\(permitMap).leaflet-container")
            try await h.fill("[data-testid=permit-id]", "ZY-T1")
            try await h.fill("[data-testid=permit-vehicle]", "ZT-0002")
            try await h.fill("[data-testid=permit-origin]", "CS-T1")
            try await h.browser.press(Key.tab)
            try await h.fill("[data-testid=permit-destination]", "DS-01")
            try await h.browser.press(Key.tab)
            try await h.waitFor("\(permitMap)[data-ends='2']", visible: false)
            try await Self.clickMap(h, permitMap, 0.45, 0.35, corners: 1)
            try await Self.clickMap(h, permitMap, 0.55, 0.65, corners: 2)
            try await Self.press(h, "[data-testid=permit-corridor-finish]")
            try await Self.press(h, "[data-testid=permit-connect]")
            try await h.waitFor("\(permitMap)[data-corners='4']", visible: false)
            try await h.fill("[data-testid=permit-width]", "150")
            try await Self.press(h, "[data-testid=permit-hours-add]")
            try await h.fill("[data-testid=permit-hours-from]", "22:00")
            try await h.fill("[data-testid=permit-hours-to]", "06:00")
            // the last day before the first
            try await Self.setDate(h, "[data-testid=permit-from]", "2026-12-10")
            try await Self.setDate(h, "[data-testid=permit-to]", "2026-12-01")
            try await Self.press(h, "[data-testid=permit-save]")

            // validate: the server's reason, beside the last day
            try await h.waitForText("#permit-to-error", contains: "validTo")
            #expect(try await h.browser.exists("#permit-to[aria-invalid=true]"))
            try await h.screenshot("permit-refused", showing: "#permit-to")

            // MUT: the last day after the first
            try await Self.setDate(h, "[data-testid=permit-to]", "2027-06-30")
            try await Self.press(h, "[data-testid=permit-save]")

            // validate: listed, and the API holds the corridor from the site's middle to the disposal site's, the city's days
            try await h.fill("[data-testid=permit-search]", "ZY-T1")
            try await h.waitFor("[data-testid=permit-row][data-id='ZY-T1']")
            let permits = try await h.api(.GET, "/api/v1/transport-permits?vehicle=ZT-0002", as: .admin)
            let permit = try #require(permits.body.array?.first { $0["id"]?.string == "ZY-T1" }, "\(permits.text.prefix(300))")
            #expect(permit["originSiteID"]?.string == "CS-T1" && permit["destinationSiteID"]?.string == "DS-01", "\(permit)")
            #expect(permit["corridorMetres"]?.double == 150 && permit["dailyHours"]?.array?.compactMap(\.string) == ["22:00-06:00"], "\(permit)")
            // Days of a city 8 hours ahead of UTC: from the first day's midnight to the last day's last second.
            #expect(permit["validFrom"]?.string == "2026-12-09T16:00:00Z" && permit["validTo"]?.string == "2027-06-30T15:59:59Z", "\(permit)")
            let corridor = permit["corridor"]?.array ?? []
            #expect(corridor.count == 4, "\(permit)")
            let disposal = try #require(sites.body.array?.first { $0["id"]?.string == "DS-01" })
            for (point, expected) in [(corridor.first, Self.centre(ring)), (corridor.last, Self.centre(disposal["boundary"]?["outer"]?.array ?? []))] {
                #expect(abs((point?["lat"]?.double ?? 0) - expected.lat) < 1e-6 && abs((point?["lon"]?.double ?? 0) - expected.lon) < 1e-6,
                        "\(point ?? .null) for \(expected) in \(corridor)")
            }

            // MUT: the permit is revoked, after confirming
            try await Self.press(h, "[data-testid=permit-row][data-id='ZY-T1'] [data-testid=permit-edit]")
            try await Self.press(h, "[data-testid=permit-delete]")
            try await h.click("[data-testid=permit-delete-confirm]")

            // validate: gone from the list and the API
            try await h.waitForAbsence("[data-testid=permit-row][data-id='ZY-T1']")
            let after = try await h.api(.GET, "/api/v1/transport-permits?vehicle=ZT-0002", as: .admin)
            #expect(after.body.array?.contains { $0["id"]?.string == "ZY-T1" } == false, "\(after.text.prefix(300))")
            let errors = try await h.consoleErrors(network: false)
            #expect(errors.isEmpty, "console errors: \(errors.map(\.summary))")
        }
    }

    @Test func anAdminRegistersADriverAndMakesThemATrucksDriver() async throws {
        try await BrowserHarness.run { h in
            // setup: the administrator on the drivers tab
            try await h.signInQuickly(.admin)
            try await h.open("#/admin/drivers")
            try await h.waitFor("[data-testid=driver-table] [data-testid=driver-row]")

            // MUT: a new driver of the truck's company, with a licence number too short
            try await h.click("[data-testid=driver-new]")
            try await h.waitFor("[data-testid=df-form]")
            try await h.fill("[data-testid=df-id]", "SJ-T1")
            try await h.fill("[data-testid=df-name]", "Browser Driver")
            try await h.fill("[data-testid=df-licence]", "12")
            try await h.fill("[data-testid=df-phone]", "13900001111")
            try await h.fill("[data-testid=df-company]", "haulage-hengtong")
            try await Self.press(h, "[data-testid=df-save]")

            // validate: the server's reason, beside the licence number
            try await h.waitForText("#driver-form-licence-error", contains: "licence")
            #expect(try await h.browser.exists("#driver-form-licence[aria-invalid=true]"))

            // MUT: a good licence number
            try await h.fill("[data-testid=df-licence]", "A1234567")
            try await Self.press(h, "[data-testid=df-save]")

            // validate: listed with the phone in full, and registered
            try await h.fill("[data-testid=driver-search]", "SJ-T1")
            try await h.waitForText("[data-testid=driver-row][data-id='SJ-T1'] [data-testid=driver-row-phone]", contains: "13900001111")
            let driver = try await h.api(.GET, "/api/v1/drivers/SJ-T1", as: .admin)
            #expect(driver.body["driver"]?["companyID"]?.string == "haulage-hengtong" && driver.body["driver"]?["licenceNumber"]?.string == "A1234567", "\(driver.text)")

            // MUT: from the truck's page to its form; a bad terminal number first, then the new driver
            try await h.open("#/vehicle/ZT-0001")
            try await h.click("[data-testid=vehicle-edit]")
            try await h.waitForHash("#/admin/vehicles?id=ZT-0001")
            try await h.waitFor("[data-testid=vf-form][data-drivers]", visible: false)
            let phone = try await h.waitFor("[data-testid=vf-phone]").value
            try await h.fill("[data-testid=vf-phone]", "12ab")
            try await h.fill("[data-testid=vf-driver]", "SJ-T1")
            try await Self.press(h, "[data-testid=vf-save]")
            try await h.waitForText("#vehicle-form-phone-error", contains: "terminal")
            #expect(try await h.browser.exists("#vehicle-form-phone[aria-invalid=true]"))
            try await h.fill("[data-testid=vf-phone]", phone)
            try await Self.press(h, "[data-testid=vf-save]")

            // validate: the list shows the new driver, and the API has the truck with them
            try await h.waitForText("[data-testid=vehicle-row][data-id='ZT-0001'] [data-testid=vehicle-row-driver]", contains: "Browser Driver")
            let truck = try await h.api(.GET, "/api/v1/vehicles/ZT-0001", as: .admin)
            #expect(truck.body["vehicle"]?["driverID"]?.string == "SJ-T1" && truck.body["vehicle"]?["terminalPhone"]?.string == phone, "\(truck.text.prefix(400))")
            try await h.screenshot("vehicle-saved")

            // validate: in English too
            try await h.click(".lang-switch")
            try await h.waitForText("#admin-tab-drivers", contains: h.t("admin.tab.drivers", "en"))
            try await h.click(".lang-switch")
            try await h.waitUntil("document.documentElement.lang === 'zh-CN'")
            let errors = try await h.consoleErrors(network: false)
            #expect(errors.isEmpty, "console errors: \(errors.map(\.summary))")
        }
    }
}
