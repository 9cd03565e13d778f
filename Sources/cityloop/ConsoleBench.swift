import ArgumentParser
import AsyncHTTPClient
import CityLoopBrowser
import CityLoopDemo
import CityLoopDomain
import CityLoopSQLite
import CityLoopServices
import Foundation
import NIOCore

extension BenchCommand {
    /// The leader's one screen in headless Chromium over the demo city: time to the first complete render (figures,
    /// charts, map layers and markers drawn, as the page itself reports), and how long a case change takes to reach
    /// the open page over the live feed.
    func consoleBench() async throws {
        guard ChromeDriver.isAvailable() else {
            throw ValidationError("the console benchmark needs /usr/bin/chromium and /usr/bin/chromedriver (scripts/bootstrap installs them)")
        }
        var figures: [ConsoleFigures] = []
        for kind in kinds {
            let city = try await demoCity(kind)
            do {
                figures.append(try await consoleFigures(city.platform))
            } catch {
                await city.dispose()
                throw error
            }
            await city.dispose()
        }
        print("== leader's one screen (一屏统览): \(figures[0].cases) cases, \(figures[0].grids) grids, headless Chromium 1920×1080 ==")
        compare("", kinds.map(\.rawValue) + ["target"])
        compare("first complete render, cold", figures.map { String(format: "%.0f ms", $0.renders[0]) } + ["2000 ms"])
        if renderRuns > 1 {
            compare("first complete render, median", figures.map { String(format: "%.0f ms", $0.warm[$0.warm.count / 2]) } + ["2000 ms"])
            compare("first complete render, worst", figures.map { String(format: "%.0f ms", $0.warm.last!) } + [""])
        }
        compare("live update on the page, median", figures.map { String(format: "%.0f ms", $0.live[$0.live.count / 2]) } + ["1000 ms"])
        compare("live update, worst of \(liveRuns)", figures.map { String(format: "%.0f ms", $0.live.last!) } + ["1000 ms"])
    }

    /// One store's console figures: page renders (the first cold) and live-update latencies, in milliseconds.
    struct ConsoleFigures {
        var cases: Int
        var grids: Int
        var renders: [Double]
        var live: [Double]
        var warm: [Double] { renders.count > 1 ? Array(renders.dropFirst()).sorted() : renders }
    }

    /// The leader's screen over `platform`'s city in headless Chromium: time to the first complete render (figures,
    /// charts, map layers and markers drawn, as the page itself reports), and how long a case change takes to reach
    /// the open page over the live feed.
    func consoleFigures(_ platform: Platform) async throws -> ConsoleFigures {
        let cases = try await platform.store.caseCount()
        let (base, server) = try await Self.startServer(platform)
        defer { server.cancel() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let driver = try await ChromeDriver.start()
        do {
            let session = try await loginReply(client, base, "leader")
            let browser = try await driver.newSession(BrowserOptions(width: 1920, height: 1080, timeout: .seconds(60)))
            try await browser.navigate(to: base + "/#/login")
            try await browser.setLocalStorageItem("cityloop.session", session)
            var renders: [Double] = []
            for _ in 0..<max(renderRuns, 1) {
                try await browser.navigate(to: "about:blank")
                try await browser.navigate(to: base + "/#/screen")
                _ = try await browser.waitUntil(
                    "document.body.dataset.rendered === 'true'", timeout: .seconds(60), description: "the screen's first complete render")
                renders.append(try await browser.evaluate("window.cityloopRenderedAt").double ?? .nan)
            }

            // Live updates: a report from the inspector; the page records when it applied the event.
            let inspector = try JSONSerialization.jsonObject(with: Data(try await loginReply(client, base, "inspector").utf8)) as? [String: Any]
            let token = inspector?["token"] as? String ?? ""
            let grids = platform.context.map.grids.filter { $0.code.hasPrefix("410102") }
            var latencies: [Double] = []
            for i in 0..<max(liveRuns, 1) {
                let p = grids[(i * 7919) % grids.count].boundary.interiorPoint
                let body = #"{"clientRequestID":"console-bench-\#(UUID().uuidString)","matterCode":"06010","description":"一屏统览实时推送测试","lat":\#(p.lat),"lon":\#(p.lon)}"#
                let sent = Date().timeIntervalSince1970 * 1000
                var req = HTTPClientRequest(url: base + "/api/v1/cases")
                req.method = .POST
                req.headers.add(name: "Authorization", value: "Bearer \(token)")
                req.headers.add(name: "Content-Type", value: "application/json")
                req.body = .bytes(ByteBuffer(string: body))
                let res = try await client.execute(req, timeout: .seconds(10))
                let reply = try await res.body.collect(upTo: 1 << 20)
                let obj = try JSONSerialization.jsonObject(with: Data(buffer: reply)) as? [String: Any]
                guard let id = (obj?["case"] as? [String: Any])?["id"] as? String else { throw ValidationError("report failed: \(res.status)") }
                let at = try await browser.waitUntil(
                    "window.cityloopLastLive && window.cityloopLastLive.id === arguments[0] ? window.cityloopLastLive.at : null",
                    args: [.string(id)], timeout: .seconds(10), description: "the live event of case \(id)")
                latencies.append((at.double ?? .nan) - sent)
            }
            await browser.quit()
            await driver.stop()
            try await client.shutdown()
            return ConsoleFigures(cases: cases, grids: platform.context.map.grids.count, renders: renders, live: latencies.sorted())
        } catch {
            await driver.stop()
            try? await client.shutdown()
            throw error
        }
    }

    /// The login reply (token, user, expiry) as JSON text, the way the console keeps it in localStorage.
    func loginReply(_ client: HTTPClient, _ base: String, _ username: String) async throws -> String {
        var req = HTTPClientRequest(url: base + "/api/v1/auth/login")
        req.method = .POST
        req.headers.add(name: "Content-Type", value: "application/json")
        req.body = .bytes(ByteBuffer(string: #"{"username":"\#(username)","password":"bench-password"}"#))
        let res = try await client.execute(req, timeout: .seconds(10))
        let body = try await res.body.collect(upTo: 1 << 20)
        guard res.status == .ok else { throw ValidationError("login of \(username) failed: \(res.status)") }
        return String(buffer: body)
    }
}
