import AsyncHTTPClient
import CityLoopBrowser
import Foundation
import NIOCore

/// Drives the web console end to end: a real `cityloop serve --demo` (over a copy of a demo city built once per test
/// run) on a free port, a real chromedriver and a headless Chromium, and helpers that read like a user's steps
/// (the selectors below illustrate the shape of a test):
///
/// ```swift
/// @Test func operatorFilesAReport() async throws {
///     try await BrowserHarness.run { h in
///         try await h.signIn(.operator)                     // through the login form; lands on #/intake
///         try await h.fill("#intake-description", "垃圾满溢")
///         try await h.click("#intake-submit")
///         try await h.waitForText("#toasts", contains: h.t("intake.saved"))
///         try await h.screenshot("filed")                   // .build/test-artifacts/screenshots/operatorFilesAReport-filed.png
///     }
/// }
/// ```
///
/// One harness runs at a time in the test process (two cores cannot host several Chromiums and servers at once);
/// `run` waits its turn, cleans up whatever happens, and on a thrown error saves a `failure` screenshot and prints
/// the page address, the browser's console errors and the end of the server log.
final class BrowserHarness: Sendable {
    // MARK: configuration

    /// Debian's Chromium.
    static let chromium = ChromeDriver.defaultChromium
    /// Debian's chromedriver.
    static let chromedriver = ChromeDriver.defaultDriver
    /// The demo accounts' password in browser tests.
    static let password = "browser-demo-pw-1"

    /// Whether Chromium and chromedriver are installed.
    static var browserInstalled: Bool { ChromeDriver.isAvailable(chromium: chromium, driver: chromedriver) }

    /// Whether this runs in CI (`CI` set to anything but `false`/`0`), where a missing browser is a failure, not a skip.
    static var inCI: Bool {
        guard let ci = ProcessInfo.processInfo.environment["CI"]?.lowercased(), !ci.isEmpty else { return false }
        return ci != "false" && ci != "0"
    }

    /// The condition for `.enabled(if:)`: run when the browser is installed, and always in CI (scripts/bootstrap
    /// installs it there, so a missing browser must fail loudly rather than skip).
    static var shouldRun: Bool { browserInstalled || inCI }

    /// The repository root (four levels above this file: Browser, CityLoopCLITests, Tests).
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Where screenshots go: `.build/test-artifacts/screenshots/`.
    static let screenshotFolder = repoRoot.appendingPathComponent(".build/test-artifacts/screenshots")

    // MARK: state

    /// The test's name (the artifacts' prefix).
    let name: String
    /// The `cityloop serve` process.
    let server: ServerProcess
    /// An HTTP client for API calls beside the browser.
    let client: HTTPClient
    /// chromedriver.
    let driver: ChromeDriver
    /// The browser.
    let browser: BrowserSession
    private let tokens = Locked<[String: String]>([:])
    private let tables = Locked<[String: [String: String]]>([:])
    private let console = Locked<[ConsoleEntry]>([])
    private let consoleSeen = Locked(0)

    /// The server's address, `http://127.0.0.1:PORT`.
    var base: String { server.base }

    private init(name: String, server: ServerProcess, client: HTTPClient, driver: ChromeDriver, browser: BrowserSession) {
        self.name = name
        self.server = server
        self.client = client
        self.driver = driver
        self.browser = browser
    }

    // MARK: running

    /// Starts a server over a fresh copy of the demo city, chromedriver and a browser (a desktop window, or
    /// `.phone`); runs `body`; then stops them all, whatever happened. `name` defaults to the calling test function.
    static func run(
        _ name: String = #function, browser options: BrowserOptions = BrowserOptions(width: 1440, height: 900),
        _ body: (BrowserHarness) async throws -> Void
    ) async throws {
        let testName = artifactName(name)
        guard browserInstalled else {
            throw TestFailure("\(chromium) or \(chromedriver) is missing (scripts/bootstrap installs them)")
        }
        await BrowserGate.shared.acquire()
        defer { BrowserGate.shared.release() }
        let clock = ContinuousClock()
        let started = clock.now

        // setup: the server over a copy of the demo city
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-browser-\(testName)-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: data) }
        try FileManager.default.copyItem(at: try await DemoTemplate.shared.folder(), to: data)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let port = try ChromeDriver.freePort()
        // The pages are the server's built-in copy, or the folder CITYLOOP_WEB names (the server reads it too).
        let arguments = ["serve", "--demo", "--demo-password", password, "--data", data.path, "--port", String(port), "--lang", "en"]
        let server: ServerProcess
        do {
            server = try ServerProcess(data: data, port: port, arguments: arguments)
        } catch {
            try? await client.shutdown()
            throw error
        }
        var driver: ChromeDriver?
        var harness: BrowserHarness?
        do {
            try await server.waitReady(client)
            let serverReady = clock.now
            // chromedriver and the browser
            driver = try await ChromeDriver.start(chromium: chromium, driver: chromedriver)
            let session = try await driver!.newSession(Self.patient(options))
            try await session.cdp("Page.addScriptToEvaluateOnNewDocument", ["source": .string(Self.requestTracker)])
            let h = BrowserHarness(name: testName, server: server, client: client, driver: driver!, browser: session)
            harness = h
            print("[browser] \(testName): server ready in \(ms(serverReady - started)), Chromium \(session.browserVersion) in \(ms(clock.now - serverReady)) — \(server.base)")
            // MUT: the test's steps
            try await body(h)
        } catch {
            if let harness { await harness.reportFailure(error) } else { print("[browser] \(testName) could not start: \(error)\n\(server.logTail())") }
            await driver?.stop()
            server.stop()
            try? await client.shutdown()
            throw error
        }
        await driver?.stop()
        server.stop()
        try await client.shutdown()
        print("[browser] \(testName): done in \(ms(clock.now - started))")
    }

    /// Saves a `failure` screenshot and prints what helps to understand a failed step.
    private func reportFailure(_ error: any Error) async {
        var lines = ["[browser] \(name) failed: \(error)"]
        if let url = try? await browser.currentURL { lines.append("  page: \(url)") }
        if let file = try? await screenshot("failure") { lines.append("  screenshot: \(file.path)") }
        if let errors = try? await consoleErrors(), !errors.isEmpty {
            lines.append("  console errors:")
            lines += errors.suffix(20).map { "    \($0.summary)" }
        }
        lines.append("  server log (end):\n" + server.logTail())
        print(lines.joined(separator: "\n"))
    }

    /// The options with waits long enough for a loaded 2-core CI machine: a page element may take far longer than
    /// the library's 10-second default to appear while the server and Chromium share the cores with other tests.
    static func patient(_ options: BrowserOptions) -> BrowserOptions {
        var o = options
        o.timeout = max(o.timeout, .seconds(90))
        o.pageLoadTimeout = max(o.pageLoadTimeout, .seconds(180))
        o.scriptTimeout = max(o.scriptTimeout, .seconds(120))
        return o
    }

    /// A second browser on the same server (e.g. the citizen's phone beside the command centre's desktop), with the
    /// same helpers; it closes with the test. `newBrowser(.phone)`.
    func newBrowser(_ options: BrowserOptions = BrowserOptions(width: 1440, height: 900)) async throws -> BrowserHarness {
        let session = try await driver.newSession(Self.patient(options))
        try await session.cdp("Page.addScriptToEvaluateOnNewDocument", ["source": .string(Self.requestTracker)])
        let other = BrowserHarness(name: name + "-" + (options.mobile ? "phone" : "browser2"), server: server, client: client, driver: driver, browser: session)
        other.tokens.withLock { $0 = self.tokens.withLock { $0 } }
        return other
    }

    /// Pretends the browser is at a place: the pages' `navigator.geolocation` answers it (an inspector on patrol).
    func setLocation(latitude: Double, longitude: Double) async throws {
        try await browser.setGeolocation(latitude: latitude, longitude: longitude)
    }

    // MARK: navigation

    /// Opens a console route (`#/intake`, `#/case/ID`): a full load the first time (or with `reload`), a hash change
    /// afterwards; waits until the console has rendered a page (which may be another one, e.g. `#/login`, when the
    /// route needs a sign-in).
    func open(_ hash: String, reload: Bool = false) async throws {
        let target = base + "/" + hash
        let current = try await browser.currentURL
        if current == target {
            try await browser.refresh()
        } else if reload || !current.hasPrefix(base + "/") {
            try await browser.navigate(to: target)
        } else {
            try await browser.executeScript("document.getElementById('main')?.removeAttribute('data-page'); location.hash = arguments[0]", [.string(hash)])
        }
        try await waitForPage()
    }

    /// Waits until the console has rendered a page (`main[data-page]` is set) and the language table is in.
    func waitForPage(timeout: Duration? = nil) async throws {
        try await browser.waitUntil(
            "document.readyState === 'complete' && !!document.querySelector('#main[data-page]')", timeout: timeout,
            description: "the console to render a page")
    }

    /// Counts the page's requests in flight (`fetch` and `XMLHttpRequest`), installed in every document before its
    /// own scripts run, so `waitForIdle` knows when a page has loaded its data.
    static let requestTracker = """
        (() => {
          window.__cityloopPending = 0; window.__cityloopLast = performance.now();
          const done = () => { window.__cityloopPending--; window.__cityloopLast = performance.now(); };
          const fetch0 = window.fetch;
          window.fetch = function (...args) {
            window.__cityloopPending++; window.__cityloopLast = performance.now();
            return fetch0.apply(this, args).finally(done);
          };
          const send0 = XMLHttpRequest.prototype.send;
          XMLHttpRequest.prototype.send = function (...args) {
            window.__cityloopPending++; window.__cityloopLast = performance.now();
            this.addEventListener('loadend', done, { once: true });
            return send0.apply(this, args);
          };
        })();
        """

    /// Waits until the page has rendered and has had no request in flight for `quiet` (its data is in and drawn).
    func waitForIdle(quiet: Duration = .milliseconds(300), timeout: Duration? = nil) async throws {
        try await waitForPage(timeout: timeout)
        try await browser.waitUntil(
            "(window.__cityloopPending || 0) === 0 && performance.now() - (window.__cityloopLast || 0) >= arguments[0]",
            args: [.number(Double(quiet.components.seconds) * 1000 + Double(quiet.components.attoseconds) / 1e15)], timeout: timeout,
            description: "the page to finish loading its data")
    }

    /// The hash now (`#/login?next=…`).
    func hash() async throws -> String {
        try await browser.executeScript("return location.hash").string ?? ""
    }

    /// The route now: the hash without its query (`#/login`).
    func route() async throws -> String {
        String(try await hash().split(separator: "?", maxSplits: 1).first ?? "")
    }

    /// Waits until the hash's route is `expected` (the part before `?`; when `expected` has a query too, the hash must
    /// start with it); answers the whole hash.
    @discardableResult
    func waitForHash(_ expected: String, timeout: Duration? = nil) async throws -> String {
        try await browser.waitUntil(
            "(arguments[0].includes('?') ? location.hash.startsWith(arguments[0]) : location.hash.split('?')[0] === arguments[0]) ? location.hash : null",
            args: [.string(expected)], timeout: timeout, description: "the page \(expected)"
        ).string ?? ""
    }

    // MARK: signing in and out

    /// Signs in through the login form and waits for the role's workspace and the top bar's `#who`; answers the hash.
    @discardableResult
    func signIn(_ user: DemoUser, password: String = BrowserHarness.password) async throws -> String {
        try await signIn(username: user.username, password: password)
        try await waitFor("#who")
        return try await waitForHash(user.home)
    }

    /// Fills and sends the login form with any username and password (no waiting for the outcome).
    func signIn(username: String, password: String) async throws {
        if try await browser.currentURL.hasPrefix(base + "/") {
            try await browser.setLocalStorageItem("cityloop.session", nil)
        }
        try await open("#/login")
        try await fill("#login-form input[name=username]", username)
        try await fill("#login-form input[name=password]", password)
        try await click("#login-form button[type=submit]")
    }

    /// Signs in without the form (an API login stored the way the console stores it), then opens the role's
    /// workspace — for long scenarios where the login page is not what is tested.
    @discardableResult
    func signInQuickly(_ user: DemoUser) async throws -> String {
        let reply = try await HTTP.post(client, base + "/api/v1/auth/login", token: nil, json: #"{"username":"\#(user.username)","password":"\#(Self.password)"}"#)
        guard reply.0 == 200, let token = reply.1["token"] as? String else { throw TestFailure("login of \(user) failed: \(reply.0)") }
        let stored = try JSONSerialization.data(withJSONObject: ["token": token, "user": reply.1["user"] ?? [:], "expiresAt": reply.1["expiresAt"] ?? NSNull()])
        if !(try await browser.currentURL).hasPrefix(base + "/") { try await open("#/report") }
        try await browser.setLocalStorageItem("cityloop.session", String(decoding: stored, as: UTF8.self))
        try await open(user.home, reload: true)
        try await waitFor("#who")
        return try await waitForHash(user.home)
    }

    /// Signs out with the top bar's button and waits for the login page.
    func signOut() async throws {
        try await click("#signout")
        try await waitForHash("#/login")
        try await waitFor("#login-form")
    }

    /// The bearer token the browser holds now (nil when signed out).
    func browserToken() async throws -> String? {
        try await browser.executeScript("const s = localStorage.getItem('cityloop.session'); return s ? JSON.parse(s).token : null").string
    }

    // MARK: elements

    /// Waits for a displayed element matching the selector (with `visible: false`, one that merely exists).
    @discardableResult
    func waitFor(_ css: String, visible: Bool = true, timeout: Duration? = nil) async throws -> Element {
        try await browser.find(css, visible: visible, timeout: timeout)
    }

    /// Waits until nothing matching the selector is displayed.
    func waitForAbsence(_ css: String, timeout: Duration? = nil) async throws {
        try await browser.waitForAbsence(css, visible: true, timeout: timeout)
    }

    /// Clicks the displayed element matching the selector, finding it again if the page re-rendered it meanwhile.
    func click(_ css: String, timeout: Duration? = nil) async throws {
        try await retryingStale(css, timeout: timeout) { try await $0.click(timeout: timeout) }
    }

    /// Clicks the displayed element matching the selector whose text contains `text` (a row, a button known by its label).
    func click(_ css: String, containing text: String, timeout: Duration? = nil) async throws {
        let element = try await browser.find(css, containing: text, timeout: timeout)
        try await element.click(timeout: timeout)
    }

    /// Types into the displayed input or textarea matching the selector (emptied first); for a `<select>`, chooses
    /// the option with this value, or else the one whose label contains it.
    func fill(_ css: String, _ text: String, timeout: Duration? = nil) async throws {
        try await retryingStale(css, timeout: timeout) { element in
            if try await element.tagName == "select" {
                do { try await element.select(value: text) } catch let error as WebDriverError where error.code == WebDriverError.noSuchElement {
                    try await element.select(label: text)
                }
            } else {
                try await element.sendKeys(text, clearFirst: true)
            }
        }
    }

    /// Chooses a file for the `<input type=file>` matching the selector (it may be hidden behind a styled label).
    func upload(_ css: String, _ file: URL, timeout: Duration? = nil) async throws {
        let input = try await browser.find(css, visible: false, timeout: timeout)
        try await input.upload(file: file)
    }

    /// Waits until the element matching the selector contains `text`; answers its whole text.
    @discardableResult
    func waitForText(_ css: String, contains text: String, timeout: Duration? = nil) async throws -> String {
        try await browser.waitForText(css, contains: text, timeout: timeout)
    }

    /// The text of the displayed element matching the selector.
    func text(_ css: String, timeout: Duration? = nil) async throws -> String {
        var result = ""
        try await retryingStale(css, timeout: timeout) { result = try await $0.text }
        return result
    }

    /// Polls a JavaScript expression until it is truthy (see `BrowserSession.waitUntil`).
    @discardableResult
    func waitUntil(_ expression: String, _ args: [JSONValue] = [], timeout: Duration? = nil, _ description: String? = nil) async throws -> JSONValue {
        try await browser.waitUntil(expression, args: args, timeout: timeout, description: description)
    }

    /// Polls `expression` until it is truthy, with the default (patient) timeout.
    @discardableResult
    func waitUntil(_ expression: String, _ description: String) async throws -> JSONValue {
        try await waitUntil(expression, [], timeout: nil, description)
    }

    /// Finds the element and runs `action` on it, finding it again when the page replaced it meanwhile.
    private func retryingStale(_ css: String, timeout: Duration?, _ action: (Element) async throws -> Void) async throws {
        var attempts = 0
        while true {
            let element = try await browser.find(css, visible: true, timeout: timeout)
            do {
                try await action(element)
                return
            } catch let error as WebDriverError where error.code == WebDriverError.staleElement && attempts < 5 {
                attempts += 1
            }
        }
    }

    // MARK: artifacts

    /// Saves a screenshot of the viewport as `.build/test-artifacts/screenshots/<test>-<step>.png` and prints its path.
    /// It first gives the page up to five seconds to finish loading its data (`waitForIdle`), unless `settle` is false;
    /// `showing` scrolls an element (the result of the step) to the middle of the viewport first; `fullPage` takes the
    /// whole document instead of the viewport.
    @discardableResult
    func screenshot(_ step: String, showing css: String? = nil, fullPage: Bool = false, settle: Bool = true) async throws -> URL {
        if settle { try? await waitForIdle(timeout: .seconds(5)) }
        if let css { try await browser.find(css).scrollIntoView() }
        let file = Self.screenshotFolder.appendingPathComponent("\(name)-\(Self.artifactName(step)).png")
        try await browser.saveScreenshot(to: file, fullPage: fullPage)
        print("[browser] screenshot: \(file.path)")
        return file
    }

    /// The browser console's errors since the test began (JavaScript exceptions and `console.error`; failed
    /// requests too unless `network` is false, since a refused sign-in is a 401 the console logs). The browser's own
    /// request for `/favicon.ico` is not counted.
    func consoleErrors(network: Bool = true) async throws -> [ConsoleEntry] {
        let fresh = try await browser.consoleLog()
        let all = console.withLock { log -> [ConsoleEntry] in
            log += fresh
            return log
        }
        return all.filter { $0.isError && (network || $0.source != "network") && !$0.message.contains("/favicon.ico") }
    }

    /// The console errors (as `consoleErrors`) logged since the previous call of this method: what the last steps caused.
    func newConsoleErrors(network: Bool = true) async throws -> [ConsoleEntry] {
        _ = try await consoleErrors(network: network)
        let all = console.withLock { $0 }
        let from = consoleSeen.withLock { seen -> Int in
            defer { seen = all.count }
            return seen
        }
        return all[from...].filter { $0.isError && (network || $0.source != "network") && !$0.message.contains("/favicon.ico") }
    }

    /// A real JPEG photo (drawn on a canvas in the browser: a coloured scene with `label` written on it), saved in the
    /// test's data folder, for upload fields.
    func makePhoto(_ name: String = "photo", label: String = "CityLoop", width: Int = 800, height: Int = 600) async throws -> URL {
        let dataURL = try await browser.executeScript(
            """
            const c = document.createElement('canvas'); c.width = arguments[1]; c.height = arguments[2];
            const g = c.getContext('2d');
            const sky = g.createLinearGradient(0, 0, 0, c.height); sky.addColorStop(0, '#8ec5ff'); sky.addColorStop(1, '#d9e7d0');
            g.fillStyle = sky; g.fillRect(0, 0, c.width, c.height);
            g.fillStyle = '#5d6d7e'; g.fillRect(0, c.height * 0.65, c.width, c.height * 0.35);
            g.fillStyle = '#2e7d32'; g.fillRect(c.width * 0.6, c.height * 0.35, c.width * 0.12, c.height * 0.32);
            g.fillStyle = '#111'; g.font = `${Math.round(c.height / 12)}px sans-serif`; g.fillText(arguments[0], c.width * 0.05, c.height * 0.15);
            return c.toDataURL('image/jpeg', 0.85);
            """, [.string(label), .number(Double(width)), .number(Double(height))]
        ).string ?? ""
        guard let comma = dataURL.firstIndex(of: ","), let jpeg = Data(base64Encoded: String(dataURL[dataURL.index(after: comma)...])) else {
            throw TestFailure("the canvas gave no JPEG")
        }
        let file = server.data.appendingPathComponent("fixtures/\(Self.artifactName(name)).jpg")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try jpeg.write(to: file)
        return file
    }

    // MARK: API and translations

    /// A bearer token of a demo account (signed in once over HTTP, then reused).
    func token(_ user: DemoUser) async throws -> String {
        if let token = tokens.withLock({ $0[user.username] }) { return token }
        let token = try await HTTP.login(client, base, user.username, Self.password)
        tokens.withLock { $0[user.username] = token }
        return token
    }

    /// Calls the API as a demo account (or anonymously with nil): `api(.POST, "/api/v1/cases/ID/actions/dispatch",
    /// as: .dispatcher, json: #"{"departmentID":"sanitation"}"#)`.
    @discardableResult
    func api(_ method: HTTP.Method, _ path: String, as user: DemoUser?, json: String? = nil) async throws -> APIReply {
        var token: String?
        if let user { token = try await self.token(user) }
        return try await api(method, path, token: token, json: json)
    }

    /// Calls the API with a given bearer token (or none).
    @discardableResult
    func api(_ method: HTTP.Method, _ path: String, token: String?, json: String? = nil) async throws -> APIReply {
        let (status, body) = try await HTTP.request(client, method, base + path, token: token, json: json)
        return APIReply(status: status, body: (try? JSONValue(parsing: body)) ?? .null, text: String(decoding: body, as: UTF8.self))
    }

    /// The console's text for a translation key in a language (`zh` or `en`), read from the server's tables, so tests
    /// assert what the user reads without repeating it.
    func t(_ key: String, _ lang: String = "zh") async throws -> String {
        if let table = tables.withLock({ $0[lang] }) { return table[key] ?? key }
        let (status, body) = try await HTTP.request(client, .GET, base + "/i18n/\(lang).json", token: nil, json: nil)
        guard status == 200, let table = try? JSONDecoder().decode([String: String].self, from: body) else {
            throw TestFailure("GET /i18n/\(lang).json answered \(status)")
        }
        tables.withLock { $0[lang] = table }
        return table[key] ?? key
    }

    // MARK: helpers

    static func artifactName(_ s: String) -> String {
        let trimmed = s.hasSuffix("()") ? String(s.dropLast(2)) : s
        return String(trimmed.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
    }

    static func ms(_ d: Duration) -> String {
        String(format: "%.1f s", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }
}
