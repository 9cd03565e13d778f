import Foundation

/// One Chromium driven over WebDriver: navigation, finding elements (with waiting), scripts, waits on page state,
/// screenshots, network emulation, the console log. Every method talks to chromedriver, so all are `async throws`
/// and throw `WebDriverError`.
///
/// The waits are the main tool for asserting page state:
/// ```swift
/// try await browser.navigate(to: base + "/#/login")
/// try await browser.find("#login-form input[name=username]").sendKeys("operator")
/// try await browser.waitUntil("location.hash.startsWith('#/intake')")
/// ```
public final class BrowserSession: Sendable {
    /// The WebDriver session ID.
    public let id: String
    /// The options it was started with (the default timeout lives here).
    public let options: BrowserOptions
    /// The capabilities chromedriver answered with (browser version, chromedriver version…).
    public let capabilities: JSONValue
    let transport: WebDriverTransport
    private let onQuit: @Sendable (String) -> Void
    private let ended = Locked(false)

    init(id: String, options: BrowserOptions, transport: WebDriverTransport, capabilities: JSONValue, onQuit: @escaping @Sendable (String) -> Void) {
        self.id = id
        self.options = options
        self.transport = transport
        self.capabilities = capabilities
        self.onQuit = onQuit
    }

    /// The browser's version, e.g. `156.0.8078.79`.
    public var browserVersion: String { capabilities["browserVersion"]?.string ?? "" }

    @discardableResult
    func command(_ method: String, _ path: String, _ body: JSONValue? = nil, timeout: TimeInterval? = nil) async throws -> JSONValue {
        try await transport.send(method, path.isEmpty ? "session/\(id)" : "session/\(id)/\(path)", body, timeout: timeout)
    }

    // MARK: navigation

    /// Loads a URL and waits for the page's load event (up to the page-load timeout).
    public func navigate(to url: String) async throws {
        try await command("POST", "url", ["url": .string(url)])
    }

    /// The address of the page shown now.
    public var currentURL: String {
        get async throws { try await command("GET", "url").string ?? "" }
    }

    /// The document's title.
    public var title: String {
        get async throws { try await command("GET", "title").string ?? "" }
    }

    /// The page's HTML as serialized now.
    public var pageSource: String {
        get async throws { try await command("GET", "source").string ?? "" }
    }

    /// Goes back in history.
    public func back() async throws { try await command("POST", "back") }
    /// Goes forward in history.
    public func forward() async throws { try await command("POST", "forward") }
    /// Reloads the page.
    public func refresh() async throws { try await command("POST", "refresh") }

    // MARK: elements

    /// The first element matching a CSS selector, polling until one exists (or, with `visible`, until one is
    /// displayed) for up to `timeout` (the session's default, 10 s, when nil). Throws `timeout` naming the selector.
    public func find(_ css: String, visible: Bool = false, timeout: Duration? = nil) async throws -> Element {
        if visible {
            let found = try await waitUntil(
                "Array.from(document.querySelectorAll(arguments[0])).find((e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden') || null",
                args: [.string(css)], timeout: timeout, description: "a visible element matching `\(css)`")
            return try element(from: found)
        }
        var last: (any Error)?
        return try await poll("an element matching `\(css)`", timeout: timeout, lastError: { last }) {
            do {
                let value = try await command("POST", "element", ["using": "css selector", "value": .string(css)])
                return try element(from: value)
            } catch let error as WebDriverError where error.code == WebDriverError.noSuchElement {
                last = error
                return nil
            }
        }
    }

    /// Every element matching a CSS selector now (no waiting; empty when none).
    public func findAll(_ css: String) async throws -> [Element] {
        let values = try await command("POST", "elements", ["using": "css selector", "value": .string(css)])
        return try (values.array ?? []).map(element(from:))
    }

    /// The first element matching a CSS selector whose text (`innerText`, or the value of an input) contains
    /// `text`, polling up to `timeout`. Handy for a row or button known by what it says.
    public func find(_ css: String, containing text: String, timeout: Duration? = nil) async throws -> Element {
        let found = try await waitUntil(
            "Array.from(document.querySelectorAll(arguments[0])).find((e) => ((e.innerText || '') + ' ' + (e.value || '')).includes(arguments[1])) || null",
            args: [.string(css), .string(text)], timeout: timeout, description: "an element matching `\(css)` containing \"\(text)\"")
        return try element(from: found)
    }

    /// Whether an element matching the selector exists now.
    public func exists(_ css: String) async throws -> Bool {
        try await executeScript("return document.querySelector(arguments[0]) !== null", [.string(css)]).bool ?? false
    }

    /// Waits until no element matches the selector (or none of them is displayed, with `visible`).
    public func waitForAbsence(_ css: String, visible: Bool = false, timeout: Duration? = nil) async throws {
        let js = visible
            ? "!Array.from(document.querySelectorAll(arguments[0])).some((e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')"
            : "document.querySelector(arguments[0]) === null"
        try await waitUntil(js, args: [.string(css)], timeout: timeout, description: "no element matching `\(css)`")
    }

    /// Waits until the element matching the selector exists and its text contains `text`; answers the whole text.
    @discardableResult
    public func waitForText(_ css: String, contains text: String, timeout: Duration? = nil) async throws -> String {
        let value = try await waitUntil(
            "(() => { const e = document.querySelector(arguments[0]); if (!e) return null; const t = (e.innerText || e.textContent || '') + (e.value !== undefined && typeof e.value === 'string' ? ' ' + e.value : ''); return t.includes(arguments[1]) ? t : null; })()",
            args: [.string(css), .string(text)], timeout: timeout, description: "`\(css)` to contain \"\(text)\"")
        return value.string ?? ""
    }

    /// The element that has the focus.
    public func activeElement() async throws -> Element {
        try element(from: try await command("GET", "element/active"))
    }

    /// An element from a WebDriver element reference (what a script returns for a DOM element).
    public func element(from value: JSONValue) throws -> Element {
        guard let id = value[Element.referenceKey]?.string else {
            throw WebDriverError(code: WebDriverError.noSuchElement, message: "not an element reference: \(value)")
        }
        return Element(id: id, session: self)
    }

    // MARK: scripts

    /// Runs JavaScript as the body of a function (use `return` to answer a value; `arguments[i]` are `args`, where
    /// `element.reference` passes a DOM element). DOM elements come back as element references (see `element(from:)`).
    @discardableResult
    public func executeScript(_ script: String, _ args: [JSONValue] = []) async throws -> JSONValue {
        try await command("POST", "execute/sync", ["script": .string(script), "args": .array(args)])
    }

    /// Runs asynchronous JavaScript: the last argument is a callback, and the value it is called with is answered
    /// (within the script timeout). E.g. `"const done = arguments[arguments.length - 1]; fetch('/health').then((r) => done(r.status))"`.
    @discardableResult
    public func executeAsyncScript(_ script: String, _ args: [JSONValue] = []) async throws -> JSONValue {
        try await command("POST", "execute/async", ["script": .string(script), "args": .array(args)])
    }

    /// Awaits a JavaScript expression that yields a promise (or a plain value) and answers what it resolves to;
    /// a rejection throws `javascript error` with its message. E.g. `evaluate("fetch('/health').then((r) => r.status)")`.
    @discardableResult
    public func evaluate(_ expression: String, args: [JSONValue] = []) async throws -> JSONValue {
        let reply = try await executeAsyncScript(
            """
            const done = arguments[arguments.length - 1];
            Promise.resolve().then(() => (\(expression))).then(
              (v) => done({ ok: true, value: v === undefined ? null : v }),
              (e) => done({ ok: false, failure: String(e && e.message || e) }));
            """, args)
        if reply["ok"]?.bool == true { return reply["value"] ?? .null }
        throw WebDriverError(code: WebDriverError.javascriptError, message: reply["failure"]?.string ?? "\(reply)")
    }

    // MARK: waiting

    /// Polls `condition` until it answers true, for up to `timeout` (the session's default when nil). Errors thrown
    /// while polling (an element re-rendered, a script reading what is not there yet) count as "not yet"; the last
    /// one is reported in the `timeout` error, which names `description`.
    public func waitUntil(
        _ description: String, timeout: Duration? = nil, condition: @escaping @Sendable () async throws -> Bool
    ) async throws {
        let last = Locked<(any Error)?>(nil)
        _ = try await poll(description, timeout: timeout, lastError: { last.withLock { $0 } }) { () async throws -> Bool? in
            do {
                return try await condition() ? true : nil
            } catch let error as WebDriverError where !Self.isFatal(error) {
                last.withLock { $0 = error }
                return nil
            }
        }
    }

    /// Polls a JavaScript expression (evaluated in the page; `arguments[i]` are `args`) until it is truthy, and
    /// answers its value (a DOM element comes back as an element reference). Script errors while polling count as
    /// "not yet". The `timeout` error names `description`, or the expression.
    @discardableResult
    public func waitUntil(
        _ expression: String, args: [JSONValue] = [], timeout: Duration? = nil, description: String? = nil
    ) async throws -> JSONValue {
        let script = "const v = (function () { return (\(expression)); }).apply(null, arguments); return [!!v, v === undefined ? null : v];"
        var last: (any Error)?
        return try await poll(description ?? "`\(expression)`", timeout: timeout, lastError: { last }) {
            do {
                let reply = try await executeScript(script, args)
                guard reply[0]?.bool == true else { return Optional<JSONValue>.none }
                return reply[1] ?? JSONValue.null
            } catch let error as WebDriverError where !Self.isFatal(error) {
                last = error
                return nil
            }
        }
    }

    /// Runs `attempt` every poll interval until it answers a value; throws `timeout` after `timeout`.
    func poll<T>(
        _ description: String, timeout: Duration?, lastError: () -> (any Error)?, _ attempt: () async throws -> T?
    ) async throws -> T {
        let limit = timeout ?? options.timeout
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while true {
            if let value = try await attempt() { return value }
            if clock.now >= deadline { break }
            try await Task.sleep(for: options.pollInterval)
        }
        var message = "timed out after \(limit.shortText)"
        if let error = lastError() { message += "; last error: \(error)" }
        if let url = try? await currentURL { message += "; page: \(url)" }
        throw WebDriverError(code: WebDriverError.timeout, message: message, waitedFor: description)
    }

    static func isFatal(_ error: WebDriverError) -> Bool {
        [WebDriverError.invalidSession, WebDriverError.transport, WebDriverError.sessionNotCreated].contains(error.code)
    }

    // MARK: screenshots

    /// A PNG of the viewport; with `fullPage`, of the whole document (through the DevTools protocol).
    public func screenshot(fullPage: Bool = false) async throws -> Data {
        let base64: String?
        if fullPage {
            let size = try await executeScript(
                "const d = document.documentElement; return [Math.max(d.scrollWidth, innerWidth), Math.max(d.scrollHeight, document.body ? document.body.scrollHeight : 0, innerHeight)];")
            let w = size[0]?.double ?? Double(options.width)
            let h = size[1]?.double ?? Double(options.height)
            let shot = try await cdp(
                "Page.captureScreenshot",
                ["format": "png", "captureBeyondViewport": true, "clip": ["x": 0, "y": 0, "width": .number(w), "height": .number(h), "scale": 1]])
            base64 = shot["data"]?.string
        } else {
            base64 = try await command("GET", "screenshot").string
        }
        guard let base64, let data = Data(base64Encoded: base64) else {
            throw WebDriverError(code: WebDriverError.transport, message: "the screenshot was not base64 PNG")
        }
        return data
    }

    /// Saves a PNG screenshot to a file (making its folder); answers the file's URL.
    @discardableResult
    public func saveScreenshot(to file: URL, fullPage: Bool = false) async throws -> URL {
        let png = try await screenshot(fullPage: fullPage)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try png.write(to: file)
        return file
    }

    // MARK: window, network, keyboard, dialogs

    /// The window's size in CSS pixels.
    public func windowSize() async throws -> (width: Int, height: Int) {
        let rect = try await command("GET", "window/rect")
        return (rect["width"]?.int ?? 0, rect["height"]?.int ?? 0)
    }

    /// Resizes the window.
    public func setWindowSize(width: Int, height: Int) async throws {
        try await command("POST", "window/rect", ["width": .number(Double(width)), "height": .number(Double(height))])
    }

    /// The viewport (`innerWidth` × `innerHeight`), which is what the page's CSS sees.
    public func viewportSize() async throws -> (width: Int, height: Int) {
        let v = try await executeScript("return [innerWidth, innerHeight]")
        return (v[0]?.int ?? 0, v[1]?.int ?? 0)
    }

    /// Resizes the window so that the viewport (what the page's CSS sees) is exactly this size: headless Chromium's
    /// window includes some browser chrome, so a 1366×900 window has a smaller viewport.
    public func setViewportSize(width: Int, height: Int) async throws {
        try await setWindowSize(width: width, height: height)
        let viewport = try await viewportSize()
        if viewport.width != width || viewport.height != height {
            try await setWindowSize(width: 2 * width - viewport.width, height: 2 * height - viewport.height)
        }
    }

    /// Takes the browser off the network (`offline: true`: requests fail, `navigator.onLine` is false and the
    /// `offline` event fires) or back on it with no throttling.
    public func setNetworkConditions(offline: Bool, latency: Int = 0) async throws {
        try await command(
            "POST", "chromium/network_conditions",
            ["network_conditions": [
                "offline": .bool(offline), "latency": .number(Double(latency)),
                "download_throughput": offline ? 0 : -1, "upload_throughput": offline ? 0 : -1,
            ]])
    }

    /// Presses keys on whatever has the focus (the Actions API): characters are typed, `Key` constants pressed;
    /// modifiers (`Key.shift`, `Key.control`, `Key.alt`, `Key.meta`) stay held until the end, so
    /// `press(Key.shift + Key.tab)` moves the focus backwards.
    public func press(_ keys: String) async throws {
        var actions: [JSONValue] = []
        var held: [String] = []
        for ch in keys.unicodeScalars.map({ String($0) }) {
            if Key.modifiers.contains(ch) {
                actions.append(["type": "keyDown", "value": .string(ch)])
                held.append(ch)
            } else {
                actions.append(["type": "keyDown", "value": .string(ch)])
                actions.append(["type": "keyUp", "value": .string(ch)])
            }
        }
        for ch in held.reversed() { actions.append(["type": "keyUp", "value": .string(ch)]) }
        try await command("POST", "actions", ["actions": [["type": "key", "id": "keyboard", "actions": .array(actions)]]])
        try await command("DELETE", "actions")
    }

    /// The text of the open `alert`/`confirm`/`prompt` (throws `no such alert` when none is open).
    public func alertText() async throws -> String { try await command("GET", "alert/text").string ?? "" }
    /// Accepts the open dialog (OK).
    public func acceptAlert() async throws { try await command("POST", "alert/accept") }
    /// Dismisses the open dialog (Cancel).
    public func dismissAlert() async throws { try await command("POST", "alert/dismiss") }

    // MARK: storage, logs, DevTools

    /// A `localStorage` item of the current page's origin.
    public func localStorageItem(_ key: String) async throws -> String? {
        try await executeScript("return localStorage.getItem(arguments[0])", [.string(key)]).string
    }

    /// Sets (or, with nil, removes) a `localStorage` item of the current page's origin.
    public func setLocalStorageItem(_ key: String, _ value: String?) async throws {
        if let value {
            try await executeScript("localStorage.setItem(arguments[0], arguments[1])", [.string(key), .string(value)])
        } else {
            try await executeScript("localStorage.removeItem(arguments[0])", [.string(key)])
        }
    }

    /// The browser console's messages (and failed loads) since the previous call: chromedriver hands each entry out once.
    public func consoleLog() async throws -> [ConsoleEntry] {
        let entries = try await command("POST", "se/log", ["type": "browser"])
        return (entries.array ?? []).map {
            ConsoleEntry(level: $0["level"]?.string ?? "", message: $0["message"]?.string ?? "", source: $0["source"]?.string ?? "", timestamp: $0["timestamp"]?.double ?? 0)
        }
    }

    /// Sends a Chrome DevTools Protocol command (e.g. `Emulation.setGeolocationOverride`) and answers its result.
    @discardableResult
    public func cdp(_ command: String, _ params: JSONValue = [:]) async throws -> JSONValue {
        try await self.command("POST", "goog/cdp/execute", ["cmd": .string(command), "params": params])
    }

    /// Pretends the device is at a place: `navigator.geolocation` answers these coordinates.
    public func setGeolocation(latitude: Double, longitude: Double, accuracy: Double = 10) async throws {
        try await cdp("Browser.grantPermissions", ["permissions": ["geolocation"]])
        try await cdp("Emulation.setGeolocationOverride", ["latitude": .number(latitude), "longitude": .number(longitude), "accuracy": .number(accuracy)])
    }

    // MARK: ending

    /// Whether `quit()` has run.
    public var hasQuit: Bool { ended.withLock { $0 } }

    /// Closes the browser and ends the session (errors are ignored: the browser may be gone already). Safe to call twice.
    public func quit() async {
        let first = ended.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        _ = try? await command("DELETE", "", timeout: 20)
        onQuit(id)
    }
}

/// One message of the browser console.
public struct ConsoleEntry: Sendable, Hashable, CustomStringConvertible {
    /// `SEVERE` (errors, failed loads), `WARNING`, `INFO`, `DEBUG`.
    public var level: String
    /// The message, prefixed by the script location that logged it.
    public var message: String
    /// `console-api`, `network`, `javascript`…
    public var source: String
    /// Milliseconds since 1970.
    public var timestamp: Double

    /// Creates an entry.
    public init(level: String, message: String, source: String, timestamp: Double) {
        self.level = level
        self.message = message
        self.source = source
        self.timestamp = timestamp
    }

    /// Whether it is an error (`SEVERE`).
    public var isError: Bool { level == "SEVERE" }

    /// `[SEVERE] message`.
    public var description: String { "[\(level)] \(message)" }

    /// The level and the message's first line (without the stack trace).
    public var summary: String { "[\(level)] \(message.split(separator: "\n", maxSplits: 1).first ?? "")" }
}
