import Foundation

/// How a Chromium session is started: window size, phone emulation, language, and the default wait.
public struct BrowserOptions: Sendable {
    /// The viewport width in CSS pixels (the window is made as much larger as the browser's own chrome needs);
    /// under phone emulation the viewport is 390×844 whatever this says.
    public var width: Int
    /// The viewport height in CSS pixels.
    public var height: Int
    /// Phone emulation: a 390×844 viewport at device pixel ratio 3, touch and a mobile user agent.
    public var mobile: Bool
    /// Headless (`--headless=new`); turn off only to watch a test on a desktop.
    public var headless: Bool
    /// The browser's UI and `Accept-Language` language, e.g. `zh-CN` or `en-US`; nil keeps Chromium's default.
    public var language: String?
    /// How long `find`, `waitUntil` and the other waits poll by default.
    public var timeout: Duration
    /// How often the waits poll.
    public var pollInterval: Duration
    /// How long a navigation may take before chromedriver gives up.
    public var pageLoadTimeout: Duration
    /// How long a script (in particular an asynchronous one) may run.
    public var scriptTimeout: Duration
    /// What happens to an `alert`/`confirm`/`prompt` that a command runs into: `accept` (default: a confirmation
    /// the test clicked its way into is confirmed), `dismiss`, `ignore` (the test handles it with `acceptAlert()`),
    /// or the `… and notify` variants, which also fail the command.
    public var unhandledPromptBehavior: String
    /// More Chromium command-line switches.
    public var extraArguments: [String]

    /// Options for a desktop window (1366×900 by default) or, with `mobile`, an emulated phone.
    public init(
        width: Int = 1366, height: Int = 900, mobile: Bool = false, headless: Bool = true, language: String? = nil,
        timeout: Duration = .seconds(10), pollInterval: Duration = .milliseconds(100), pageLoadTimeout: Duration = .seconds(60),
        scriptTimeout: Duration = .seconds(30), unhandledPromptBehavior: String = "accept", extraArguments: [String] = []
    ) {
        self.width = width
        self.height = height
        self.mobile = mobile
        self.headless = headless
        self.language = language
        self.timeout = timeout
        self.pollInterval = pollInterval
        self.pageLoadTimeout = pageLoadTimeout
        self.scriptTimeout = scriptTimeout
        self.unhandledPromptBehavior = unhandledPromptBehavior
        self.extraArguments = extraArguments
    }

    /// A phone: 390×844 CSS pixels, pixel ratio 3, touch, mobile user agent.
    public static var phone: BrowserOptions { BrowserOptions(width: 390, height: 844, mobile: true) }

    /// The Chromium command line.
    public func arguments(profile: String) -> [String] {
        var args = [
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=\(width),\(height)",
            "--user-data-dir=\(profile)", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-sync", "--disable-component-update", "--password-store=basic",
            "--disable-features=Translate,MediaRouter,OptimizationHints", "--mute-audio", "--hide-scrollbars",
        ]
        if headless { args.insert("--headless=new", at: 0) }
        if let language { args.append("--lang=\(language)") }
        return args + extraArguments
    }

    /// The W3C capabilities asking chromedriver for this browser.
    func capabilities(chromium: String, profile: String) -> JSONValue {
        var chrome: [String: JSONValue] = [
            "binary": .string(chromium),
            "args": .array(arguments(profile: profile).map(JSONValue.string)),
        ]
        if let language { chrome["prefs"] = ["intl.accept_languages": .string(language)] }
        if mobile {
            chrome["mobileEmulation"] = [
                "deviceMetrics": ["width": 390, "height": 844, "pixelRatio": 3, "mobile": true, "touch": true],
                "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36",
            ]
        }
        return [
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "strictFileInteractability": false,
            "unhandledPromptBehavior": .string(unhandledPromptBehavior),
            "timeouts": ["implicit": 0, "pageLoad": .number(pageLoadTimeout.seconds * 1000), "script": .number(scriptTimeout.seconds * 1000)],
            "goog:loggingPrefs": ["browser": "ALL"],
            "goog:chromeOptions": .object(chrome),
        ]
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }

    /// `2.5 s`.
    var shortText: String { String(format: "%.1f s", seconds) }
}
