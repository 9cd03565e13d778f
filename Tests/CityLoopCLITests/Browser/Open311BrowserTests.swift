import CityLoopBrowser
import Foundation
import Testing

/// The catalog in English on a citizen's phone, and an operator making a report photo public for Open311.
@Suite(.serialized, .enabled(if: BrowserHarness.shouldRun, "needs /usr/bin/chromium and /usr/bin/chromedriver (set CI=true to make their absence fail)"))
struct Open311BrowserTests {
    @Test func englishCatalogAndAReportPhotoMadePublic() async throws {
        try await BrowserHarness.run { h in
            // setup: a place in the demo inspector's district
            let district = try #require(try await h.api(.GET, "/api/v1/me", as: .inspector).body["gridScopes"]?[0]?.string)
            let spot = try await h.placeIn(district)

            // MUT 1: a citizen in English reports exposed garbage with a photo
            let citizen = try await h.newBrowser(.phone)
            try await citizen.open("#/login")
            try await citizen.click(".lang-switch")
            try await citizen.waitUntil("document.documentElement.lang === 'en'")
            try await citizen.setLocation(latitude: spot.lat, longitude: spot.lon)
            try await citizen.signInQuickly(.citizen)
            try await citizen.waitFor("#report-form")
            try await citizen.upload("#photos-camera", try await citizen.makePhoto("open311-photo", label: "garbage"))
            try await citizen.waitFor("[data-testid=photos-list] li img")
            try await citizen.click("#loc-gps")
            try await citizen.waitForText("#loc-place", contains: spot.grid, timeout: .seconds(15))
            try await citizen.fill("#matter-search", "06010")
            // validate: the catalog tree shows the English name
            try await citizen.waitForText("[data-testid=matter-option-06010]", contains: "Exposed garbage")
            try await citizen.click("[data-testid=matter-option-06010]")
            try await citizen.fill("#report-description", "Garbage at the gate E2E-\(UUID().uuidString.prefix(8))")
            try await citizen.click("#report-submit")
            try await citizen.waitUntil("document.querySelector('#report-result')?.dataset.state === 'sent'", timeout: .seconds(20), "the report to be sent")
            let code = try await citizen.text("#tracking-code").trimmingCharacters(in: .whitespacesAndNewlines)
            let number = try #require(try await h.api(.GET, "/api/v1/track/\(code)", as: nil).body["caseNumber"]?.string)
            let detail = try await h.api(.GET, "/api/v1/cases/\(number)", as: .operator)
            let id = try #require(detail.body["case"]?["id"]?.string, "\(detail.text)")
            let before = try await h.api(.GET, "/open311/v2/requests/\(number).json", as: nil)
            #expect(before.body[0]?["media_url"] == .null, "\(before.text)")

            // MUT 2: the operator makes the report photo public on the case page
            try await h.signInQuickly(.operator)
            try await h.open("#/case/\(id)")
            try await h.waitForText("[data-testid=photo-public-toggle]", contains: h.t("case.photoMakePublic"))
            try await h.click("[data-testid=photo-public-toggle]")
            try await h.waitForText("[data-testid=photo-public-toggle]", contains: h.t("case.photoMakePrivate"))
            try await h.waitFor("[data-testid=photo-public-link]")
            try await h.screenshot("photo-public", showing: "[data-testid=case-photos]")

            // validate: the link is Open311's media_url, and it serves the photo to anyone
            let href = try #require(try await h.browser.find("[data-testid=photo-public-link]").attribute("href"))
            let after = try await h.api(.GET, "/open311/v2/requests/\(number).json", as: nil)
            #expect(after.body[0]?["media_url"]?.string == href, "\(after.text)")
            let path = try #require(href.range(of: "/open311/v2/").map { String(href[$0.lowerBound...]) })
            #expect(try await h.api(.GET, path, as: nil).status == 200)
        }
    }
}
