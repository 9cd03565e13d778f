import CityLoopBrowser
import Foundation
import Testing

/// The leader's evaluation and analytics pages in a real browser, against the demo city's history: last
/// month's department ranking as the API computes it, the cases behind one number (paged to the end), the page in
/// English, the contractors' credit, and the trend, hotspots, forecast and early warnings (live, and one made a
/// supervision task) of #/analytics.
@Suite(.serialized, .enabled(if: BrowserHarness.shouldRun, "needs /usr/bin/chromium and /usr/bin/chromedriver (set CI=true to make their absence fail)"))
struct EvaluationBrowserTests {
    @Test func leaderRanksDepartmentsOpensTheCasesBehindANumberAndReadsTheTrends() async throws {
        try await BrowserHarness.run { h in
            // setup: the leader, through the login form
            try await h.signIn(.leader)
            let thisMonth = try await h.api(.GET, "/api/v1/evaluation?subject=department", as: .leader)
            #expect(thisMonth.status == 200, "\(thisMonth.text)")
            let lastMonth = try #require(thisMonth.body["period"]?["previous"]?.string)

            // MUT: the evaluation page (this month by default), then the period before with the picker
            try await h.click(".topbar nav a[href='#/evaluation']")
            try await h.waitFor("#evaluation[data-loaded=true]", visible: false)
            try await h.waitForText("#eval-summary", contains: try #require(thisMonth.body["period"]?["name"]?.string))
            try await h.click("#eval-period-prev")
            try await h.waitForText("#eval-summary", contains: lastMonth)
            try await h.waitFor("#evaluation[data-loaded=true]", visible: false)
            #expect(try await h.hash().contains("period=\(lastMonth)"), "the address keeps the period")

            // validate: the department ranking is the API's, row by row, with scores
            let report = try await h.api(.GET, "/api/v1/evaluation?period=\(lastMonth)&subject=department", as: .leader)
            let rows = try #require(report.body["rows"]?.array)
            #expect(rows.contains { $0["score"]?.double != nil }, "no department has a score in \(lastMonth): \(report.text.prefix(300))")
            let shown = try await h.browser.executeScript(
                "return [...document.querySelectorAll('[data-testid=eval-row]')].map((r) => [r.dataset.subject, r.querySelector('[data-testid=eval-score]').textContent])")
            #expect(shown.array?.count == rows.count, "rows shown: \(shown.array?.count ?? 0), the API has \(rows.count)")
            for row in rows {
                let id = try #require(row["subject"]?.string)
                let text = shown.array?.first { $0[0]?.string == id }?[1]?.string ?? "missing"
                if let score = row["score"]?.double {
                    #expect(abs((Double(text.replacingOccurrences(of: ",", with: "")) ?? -1) - score) < 0.006, "\(id) shows \(text), the API says \(score)")
                } else {
                    #expect(text == "\u{2014}", "\(id) has no score but shows \(text)")
                }
            }

            // MUT: a numerator the API can list case by case (preferring one long enough to page)
            let pick = try await h.countToList(rows, period: lastMonth)
            try await h.click("[data-testid=eval-row][data-subject=\"\(pick.subject)\"] td[data-indicator=\"\(pick.indicator)\"] [data-testid=eval-num]")

            // validate: exactly that many cases, the API's, each linking to its case page
            var pages = 1
            while try await h.browser.executeScript("return document.getElementById('eval-cases').dataset.complete").string != "true" {
                try await h.waitUntil("document.getElementById('eval-cases').getAttribute('aria-busy') === null", "a page of cases")
                if try await h.browser.find("#eval-cases-more", visible: false).isDisplayed {
                    try await h.click("#eval-cases-more")
                    pages += 1
                }
            }
            #expect(pick.figure <= 50 || pages > 1, "\(pick.figure) cases came in \(pages) page(s) of at most 50")
            let listed = try await h.browser.executeScript(
                "return [...document.querySelectorAll('[data-testid=eval-case]')].map((r) => [r.dataset.number, r.querySelector('a').getAttribute('href'), r.dataset.caseId])")
            let numbers = listed.array?.compactMap { $0[0]?.string } ?? []
            #expect(numbers.count == pick.figure, "listed \(numbers.count) cases behind \(pick.indicator) = \(pick.figure)")
            #expect(numbers == pick.numbers, "the listed cases are not the API's")
            for row in listed.array ?? [] {
                #expect(row[1]?.string == "#/case/" + (row[2]?.string ?? "?"), "link \(row)")
            }
            try await h.waitForText("#eval-cases-summary", contains: String(pick.figure))
            try await h.screenshot("cases-behind-a-number", showing: "#eval-cases")
            try await h.click("[data-testid=eval-case-link]")
            try await h.waitForHash("#/case/\(try #require(listed.array?.first?[2]?.string))")
            try await h.waitFor("#case-title")

            // MUT: back to the ranking by its address, in English
            try await h.open("#/evaluation?period=\(lastMonth)&subject=department")
            try await h.waitFor("#evaluation[data-loaded=true]", visible: false)
            try await h.click(".lang-switch")
            try await h.waitForText("#main h1", contains: try await h.t("evaluation.heading", "en"))
            try await h.waitFor("#evaluation[data-loaded=true]", visible: false)

            // validate: English headings, the indicators' English names
            let headings = try await h.browser.executeScript("return [...document.querySelectorAll('#eval-table thead th')].map((th) => th.textContent)")
            let headText = headings.array?.compactMap(\.string).joined(separator: " | ") ?? ""
            for key in ["evaluation.col.rank", "evaluation.col.score", "evaluation.col.grade", "evaluation.col.change"] {
                #expect(headText.contains(try await h.t(key, "en")), "\(key) not among \(headText)")
            }
            for indicator in report.body["indicators"]?.array ?? [] {
                // headings start with a capital letter; the API's English names do not
                #expect(headText.lowercased().contains((indicator["nameEn"]?.string ?? "?").lowercased()), "\(indicator["nameEn"] ?? .null) not among \(headText)")
            }
            #expect(try await h.browser.findAll("[data-testid=eval-row]").count == rows.count)
            try await h.screenshot("evaluation-en", fullPage: true)

            // MUT + validate: the contractors' credit ranking, as the API has it
            let credit = try await h.api(.GET, "/api/v1/evaluation/contractors?period=\(lastMonth)", as: .leader)
            try await h.click("#eval-tab-contractors")
            try await h.waitForText("#eval-credit-summary", contains: lastMonth)
            #expect(try await h.browser.findAll("[data-testid=eval-credit-row]").count == (credit.body.array?.count ?? -1), "\(credit.text.prefix(300))")

            // MUT: the analytics page
            try await h.open("#/analytics")
            try await h.waitFor("#analytics[data-loaded=true]", visible: false)
            #expect(try await h.text("#main h1") == h.t("analytics.heading", "en"))

            // validate: the trend chart has the API's series, the hotspot table its rows, the forecast its backtest
            let trend = try await h.api(.GET, "/api/v1/analytics/trend?days=90&group=day", as: .leader)
            let points = try #require(trend.body["series"]?.array?.count)
            try await h.waitFor("#an-trend-chart[data-points=\"\(points)\"]")
            #expect(try await h.browser.executeScript("return !!Chart.getChart(document.getElementById('an-trend-chart'))").bool == true)
            try await h.waitFor("[data-testid=an-trend-wow]")
            let hot = try await h.api(.GET, "/api/v1/analytics/hotspots?days=90&limit=10", as: .leader)
            let hotspots = try #require(hot.body["hotspots"]?.array)
            #expect(!hotspots.isEmpty, "no hotspots in 90 days: \(hot.text.prefix(200))")
            let hotRows = try await h.browser.executeScript(
                "return [...document.querySelectorAll('[data-testid=an-hotspot]')].map((r) => [r.dataset.grid, r.dataset.matter, Number(r.dataset.count)])")
            #expect(hotRows.array?.count == hotspots.count)
            for (shownRow, api) in zip(hotRows.array ?? [], hotspots) {
                #expect(shownRow[0]?.string == api["gridCode"]?.string && shownRow[2]?.int == api["count"]?.int, "\(shownRow) vs \(api)")
            }
            #expect((Int(try await h.browser.find("#an-map").attribute("data-circles") ?? "") ?? 0) > 0, "no heat circles on the map")
            let forecast = try await h.api(.GET, "/api/v1/analytics/forecast?days=14", as: .leader)
            let backtest = try #require(forecast.body["backtest"])
            let shownBacktest = try await h.text("#an-backtest")
            #expect(shownBacktest.contains("model MAE") && shownBacktest.contains("same-as-last-week"), "\(shownBacktest)")
            #expect(Double(try await h.browser.find("#an-backtest").attribute("data-model") ?? "") == backtest["modelMAE"]?.double)
            #expect(Double(try await h.browser.find("#an-backtest").attribute("data-naive") ?? "") == backtest["naiveMAE"]?.double)
            if let ratio = backtest["ratio"]?.double {
                #expect(Double(try await h.browser.find("[data-testid=an-backtest-ratio]").attribute("data-ratio") ?? "") == ratio)
            }
            try await h.waitFor("#an-forecast-chart[data-days=\"14\"]")
            #expect(try await h.browser.findAll("#an-pattern tbody tr").count == 7)
            try await h.screenshot("analytics-en", fullPage: true)

            // setup: thresholds loose enough that yesterday's ordinary variation raises warnings (the demo city has no
            // anomaly to find), set by the administrator while the leader's page stays open
            let policy = try await h.api(
                .PUT, "/api/v1/analytics/warning-policy", as: .admin,
                json: #"{"alertPValue":0.99,"warningPValue":0.5,"severePValue":0.1,"minimumCount":1,"minimumRatio":1,"expectedFloor":0.1}"#)
            #expect(policy.status == 200, "\(policy.text)")
            try await h.browser.executeScript("window.__e2eSamePage = true")

            // MUT: a scan, as another user would run it
            let scan = try await h.api(.POST, "/api/v1/analytics/alerts/scan", as: .leader)
            #expect(scan.status == 200, "\(scan.text)")

            // validate: the new warnings arrive live, at the top, without a reload (the server's own scan may have
            // raised them first: then they came live too)
            let alerts = try await h.api(.GET, "/api/v1/analytics/alerts", as: .leader).body.array ?? []
            #expect(!alerts.isEmpty, "no warning raised even with loose thresholds")
            try await h.waitUntil("document.querySelectorAll('#an-alerts > li').length === arguments[0]", [.number(Double(alerts.count))],
                                  "the \(alerts.count) warnings listed")
            let raised = scan.body.array?.compactMap { $0["id"]?.string } ?? []
            if !raised.isEmpty {
                try await h.waitUntil(
                    "((top) => arguments[0].every((id) => top.includes(id)))([...document.querySelectorAll('#an-alerts > li')].slice(0, arguments[0].length).map((li) => li.dataset.id))",
                    [.array(raised.map { .string($0) })], "the \(raised.count) new warnings at the top")
            }
            #expect(try await h.browser.executeScript("return window.__e2eSamePage === true").bool == true, "the page was reloaded")

            // MUT: one warning becomes a supervision task
            let open = try #require(alerts.first { $0["taskCaseID"]?.string == nil }?["id"]?.string)
            let item = "[data-testid=an-alert][data-id=\"\(open)\"]"
            try await h.click("\(item) [data-testid=an-alert-make-task]")

            // validate: the page shows the new case's number, linking to it
            try await h.waitFor("\(item) [data-testid=an-alert-task-link]")
            let made = try await h.api(.GET, "/api/v1/analytics/alerts", as: .leader).body.array?.first { $0["id"]?.string == open }
            let number = try #require(made?["taskCaseNumber"]?.string)
            let caseID = try #require(made?["taskCaseID"]?.string)
            #expect(try await h.text("\(item) [data-testid=an-alert-task-link]") == number)
            #expect(try await h.browser.find("\(item) [data-testid=an-alert-task-link]").attribute("href") == "#/case/\(caseID)")
            try await h.screenshot("warning-task", showing: item)
            let errors = try await h.consoleErrors(network: false)
            #expect(errors.isEmpty, "console errors: \(errors.map(\.summary))")
        }
    }
}

extension BrowserHarness {
    /// A department's count that the API lists case by case (every case once): the subject, the indicator, the figure
    /// and the case numbers. Prefers a figure over one page of the panel (50), so that "more" is exercised.
    func countToList(_ rows: [JSONValue], period: String) async throws -> (subject: String, indicator: String, figure: Int, numbers: [String]) {
        var fallback: (String, String, Int, [String])?
        for indicator in ["closingRate", "onTimeClosingRate", "filed"] {
            for row in rows {
                guard let subject = row["subject"]?.string, let figure = row["indicators"]?[indicator]?["numerator"]?.int, figure > 0, figure <= 1000 else { continue }
                let listed = try await api(.GET, "/api/v1/evaluation/cases?period=\(period)&subject=department&id=\(subject)&indicator=\(indicator)&part=numerator&limit=1000", as: .leader)
                let numbers = listed.body.array?.compactMap { $0["number"]?.string } ?? []
                guard numbers.count == figure else { continue }
                if figure > 50 { return (subject, indicator, figure, numbers) }
                if fallback == nil { fallback = (subject, indicator, figure, numbers) }
            }
        }
        guard let fallback else { throw TestFailure("no department numerator in \(period) lists as many cases as it counts") }
        return fallback
    }
}
