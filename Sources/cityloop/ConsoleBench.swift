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
        let (folder, platform) = try await consolePlatform()
        defer { if reuse == nil { try? FileManager.default.removeItem(at: folder) } }
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

            print("== leader's one screen (一屏统览): \(cases) cases, \(platform.context.map.grids.count) grids, headless Chromium 1920×1080 ==")
            var renders: [Double] = []
            for _ in 0..<renderRuns {
                try await browser.navigate(to: "about:blank")
                try await browser.navigate(to: base + "/#/screen")
                _ = try await browser.waitUntil(
                    "document.body.dataset.rendered === 'true'", timeout: .seconds(60), description: "the screen's first complete render")
                renders.append(try await browser.evaluate("window.cityloopRenderedAt").double ?? .nan)
            }
            let warm = Array(renders.dropFirst()).sorted()
            row("first complete render, cold", String(format: "%.0f ms", renders[0]), "target 2000 ms", String(format: "%.2fx of target", renders[0] / 2000))
            if !warm.isEmpty {
                row("first complete render, median", String(format: "%.0f ms", warm[warm.count / 2]), "target 2000 ms",
                    String(format: "%.2fx of target", warm[warm.count / 2] / 2000))
                row("first complete render, worst", String(format: "%.0f ms", warm.last!), "", "")
            }

            // Live updates: a report from the inspector; the page records when it applied the event.
            let inspector = try JSONSerialization.jsonObject(with: Data(try await loginReply(client, base, "inspector").utf8)) as? [String: Any]
            let token = inspector?["token"] as? String ?? ""
            let grids = platform.context.map.grids.filter { $0.code.hasPrefix("410102") }
            var latencies: [Double] = []
            for i in 0..<liveRuns {
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
            latencies.sort()
            row("live update on the page, median", String(format: "%.0f ms", latencies[latencies.count / 2]), "target 1000 ms",
                String(format: "%.2fx of target", latencies[latencies.count / 2] / 1000))
            row("live update, worst of \(liveRuns)", String(format: "%.0f ms", latencies.last!), "target 1000 ms",
                String(format: "%.2fx of target", latencies.last! / 1000))
            await browser.quit()
        } catch {
            await driver.stop()
            try? await client.shutdown()
            throw error
        }
        await driver.stop()
        try await client.shutdown()
    }

    /// The demo city at `cases`: built into a scratch folder, or reused from `--reuse` (built there on first use).
    func consolePlatform() async throws -> (URL, Platform) {
        let folder: URL
        if let reuse {
            folder = URL(fileURLWithPath: reuse, isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } else {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        let store = try SQLiteStore(path: folder.appendingPathComponent("cityloop.sqlite").path)
        let media = try FileMediaStore(root: folder.appendingPathComponent("media"))
        let platform = try await Platform(store: store, media: media, passwords: Passwords(cost: 4))
        if try await store.caseCount() == 0 {
            let started = Date()
            _ = try await DemoCity.install(into: platform, scale: .forCases(cases), password: "bench-password") { phase, done, total in
                progressLine("\(phase) \(done)/\(total)", done: phase == "cases" && done == total)
            }
            print(String(format: "(demo city built in %.0f s)", Date().timeIntervalSince(started)))
        }
        return (folder, platform)
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
