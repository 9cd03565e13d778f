import CityLoopBrowser
import Foundation
import Testing

/// The AI cameras in the console, in a real browser: an administrator registers a camera on the camera page, is told
/// the server's reason beside the field it refused, draws a zone of four corners by clicking the camera's picture
/// and saves it, and the API then holds the zone; reopened after a detection, the camera's snapshot is the picture.
/// An operator's review queue shows a candidate posted after the page opened, and its growing count, without a reload.
@Suite(.serialized, .enabled(if: BrowserHarness.shouldRun, "needs /usr/bin/chromium and /usr/bin/chromedriver (set CI=true to make their absence fail)"))
struct CameraConsoleBrowserTests {
    /// A spot inside the city's grids: a demo device's.
    static func spot(_ h: BrowserHarness) async throws -> (lat: Double, lon: Double) {
        let devices = try await h.api(.GET, "/api/v1/devices?limit=50", as: .admin)
        let point = try #require(devices.body.array?.first { $0["gridCode"]?.string != nil }?["point"], "a device in a grid: \(devices.text.prefix(300))")
        return (try #require(point["lat"]?.double), try #require(point["lon"]?.double))
    }

    /// Clicks an element of the camera form after bringing it to the middle of the window: the form's sticky save bar
    /// covers what the browser scrolls just into view at the bottom.
    static func press(_ h: BrowserHarness, _ css: String) async throws {
        try await h.waitFor(css).scrollIntoView()
        try await h.click(css)
    }

    @Test func anAdminDrawsAZoneOnTheCameraPictureAndSavesIt() async throws {
        try await BrowserHarness.run { h in
            // setup: the administrator on the camera page
            let at = try await Self.spot(h)
            try await h.signInQuickly(.admin)
            try await h.open("#/admin")
            try await h.click("[data-testid=admin-tab-cameras]")
            try await h.waitForHash("#/admin/cameras")
            try await h.waitFor("[data-testid=cam-table] [data-testid=cam-row]")
            try await h.screenshot("cameras")

            // MUT: a new camera, placed by its coordinates, saved without a name
            try await h.click("[data-testid=cam-new]")
            try await h.waitFor("[data-testid=cam-form] [data-testid=cam-loc-map].leaflet-container")
            try await h.fill("[data-testid=cam-id]", "cam-1")
            try await h.fill("[data-testid=cam-heading]", "90")
            try await h.fill("[data-testid=cam-range]", "2")
            try await Self.press(h, "[data-testid=cam-map-box] .intake-coords summary")
            try await h.fill("[data-testid=cam-loc-lat]", String(at.lat))
            try await h.fill("[data-testid=cam-loc-lon]", String(at.lon))
            try await Self.press(h, "[data-testid=cam-loc-coords-go]")
            try await h.waitFor("[data-testid=cam-loc-grid]")
            try await Self.press(h, "[data-testid=cam-save]")

            // validate: the server's reason, beside the name
            try await h.waitForText("#cam-name-error", contains: "name")
            #expect(try await h.browser.exists("#cam-name[aria-invalid=true]"))

            // MUT: named, and a zone drawn by clicking four corners on the picture (grey: no snapshot yet)
            try await h.fill("[data-testid=cam-name]", "Renmin Road crossing")
            try await h.waitFor("[data-testid=cam-no-snapshot]")
            try await Self.press(h, "[data-testid=cam-zone-new]")
            let corners: [(Double, Double)] = [(0.2, 0.2), (0.8, 0.2), (0.8, 0.9), (0.2, 0.9)]
            for (i, c) in corners.enumerated() {
                try await h.waitFor("[data-testid=cam-frame].drawing").click(atFractionX: c.0, y: c.1)
                try await h.waitFor("[data-testid=cam-frame][data-draft='\(i + 1)']", visible: false)
            }
            #expect(try await h.browser.findAll("[data-testid=cam-dot]").count == 4)
            try await h.screenshot("drawing", showing: "[data-testid=cam-frame]")
            try await Self.press(h, "[data-testid=cam-zone-finish]")
            try await h.waitFor("[data-testid=cam-zone][data-points='4']")
            try await h.fill("[data-testid=cam-zone] [data-testid=cam-zone-name]", "Pavement")
            try await Self.press(h, "[data-testid=cam-zone-0-types-exposedGarbage]")
            try await Self.press(h, "[data-testid=cam-save]")

            // validate: listed, and the API holds the zone with its four corners where they were clicked
            try await h.waitFor("[data-testid=cam-row][data-id='cam-1'] [data-testid=cam-row-zones]")
            #expect(try await h.text("[data-testid=cam-row][data-id='cam-1'] [data-testid=cam-row-zones]") == "1")
            let saved = try await h.api(.GET, "/api/v1/cameras/cam-1", as: .admin)
            #expect(saved.status == 200, "\(saved.text)")
            let camera = saved.body["camera"]?["camera"]
            #expect(camera?["name"]?.string == "Renmin Road crossing" && camera?["heading"]?.double == 90, "\(saved.text.prefix(600))")
            let zone = try #require(camera?["zones"]?.array?.first, "\(saved.text.prefix(600))")
            #expect(zone["name"]?.string == "Pavement" && zone["types"]?.array?.compactMap(\.string) == ["exposedGarbage"], "\(zone)")
            let points = zone["points"]?.array ?? []
            #expect(points.count == 4, "\(zone)")
            for (p, c) in zip(points, corners) {
                // Whole pixels of a picture at least 400 px wide: within 1 %.
                #expect(abs((p["x"]?.double ?? -1) - c.0) < 0.01 && abs((p["y"]?.double ?? -1) - c.1) < 0.01, "\(p) for \(c)")
            }

            // MUT: the camera reports a scene inside the zone, and is opened again
            let photo = try await h.makePhoto("cam-1-frame", label: "cam-1", width: 640, height: 360)
            let posted = try await CameraFleetBrowserTests.postDetection(h, time: Date().addingTimeInterval(-60), snapshot: try Data(contentsOf: photo))
            #expect(posted.status == 201 && posted.body["outcome"]?.string == "opened", "\(posted.text)")
            try await Self.press(h, "[data-testid=cam-row][data-id='cam-1'] [data-testid=cam-edit]")

            // validate: its snapshot is the picture, with the zone over it
            _ = try await h.waitUntil("(document.querySelector('[data-testid=cam-snapshot]') || {}).naturalWidth > 0", "the camera's snapshot")
            _ = try await h.waitUntil("document.querySelectorAll('[data-testid=cam-frame] .cam-overlay polygon').length === 1", "the zone over it")
            #expect(try await h.browser.findAll("[data-testid=cam-zone]").count == 1)
            try await h.screenshot("snapshot", showing: "[data-testid=cam-frame]")

            // validate: in English too
            try await h.click(".lang-switch")
            try await h.waitForText("#admin-tab-cameras", contains: h.t("admin.tab.cameras", "en"))
            try await h.click(".lang-switch")
            try await h.waitUntil("document.documentElement.lang === 'zh-CN'")
            let errors = try await h.consoleErrors(network: false)
            #expect(errors.isEmpty, "console errors: \(errors.map(\.summary))")
        }
    }

    @Test func theReviewQueueShowsANewCandidateWithoutAReload() async throws {
        try await BrowserHarness.run { h in
            // setup: a camera, and the operator's queue of it open and following the live feed
            let at = try await Self.spot(h)
            let camera = try await h.api(
                .PUT, "/api/v1/cameras", as: .admin,
                json: #"[{"id": "cam-1", "name": "Renmin Road crossing", "location": {"lat": \#(at.lat), "lon": \#(at.lon)}, "heading": 90, "range": 2}]"#)
            #expect(camera.status == 200, "\(camera.text)")
            try await h.signInQuickly(.operator)
            try await h.open("#/detections?camera=cam-1")
            try await h.waitFor("[data-testid=det-empty]")
            try await h.waitFor("[data-testid=det-live][data-live=on]")
            try await h.browser.executeScript("window.__sameDocument = true")

            // MUT: the camera reports a scene
            let photo = try await h.makePhoto("cam-live-frame", label: "cam-1 live", width: 640, height: 360)
            let snapshot = try Data(contentsOf: photo)
            let first = try await CameraFleetBrowserTests.postDetection(h, time: Date().addingTimeInterval(-90), snapshot: snapshot)
            #expect(first.status == 201, "\(first.text)")
            let id = try #require(first.body["candidate"]?.string, "\(first.text)")

            // validate: its row appears, marked new, with its thumbnail, in the same document
            let row = "[data-testid=det-row][data-id='\(id)']"
            try await h.waitFor("\(row)[data-fresh=true]")
            #expect(try await h.text("\(row) [data-testid=det-count]") == "1")
            _ = try await h.waitUntil("(document.querySelector(arguments[0] + ' .det-thumb img') || {}).naturalWidth > 0", [.string(row)], "the thumbnail")
            try await h.screenshot("new-candidate", showing: row)

            // MUT: the scene seen again
            let second = try await CameraFleetBrowserTests.postDetection(h, time: Date().addingTimeInterval(-30), snapshot: snapshot)
            #expect(second.status == 201 && second.body["candidate"]?.string == id, "\(second.text)")

            // validate: its count grows where it stands
            try await h.waitForText("\(row) [data-testid=det-count]", contains: "2")
            #expect(try await h.browser.executeScript("return window.__sameDocument === true").bool == true, "the page was not reloaded")
            let errors = try await h.consoleErrors(network: false)
            #expect(errors.isEmpty, "console errors: \(errors.map(\.summary))")
        }
    }
}
