import Foundation

/// An error from the browser: a WebDriver error answered by chromedriver (`code` is the W3C error code such as
/// `no such element`, `element click intercepted`, `javascript error`, `timeout`), a wait that ran out
/// (`code` is `timeout` and `waitedFor` says for what), or a failure to start or reach chromedriver.
public struct WebDriverError: Error, Sendable, CustomStringConvertible {
    /// The W3C WebDriver error code, or one of this library's own codes (see the static constants).
    public var code: String
    /// The message, without chromedriver's stack trace and session info.
    public var message: String
    /// For a timed-out wait: what was waited for (an element, a condition, a script's result).
    public var waitedFor: String?
    /// The HTTP status chromedriver answered with, when the error came from it.
    public var httpStatus: Int?
    /// The WebDriver command that failed (`POST /session/…/element`), when known.
    public var command: String?

    /// Creates an error.
    public init(code: String, message: String, waitedFor: String? = nil, httpStatus: Int? = nil, command: String? = nil) {
        self.code = code
        self.message = message
        self.waitedFor = waitedFor
        self.httpStatus = httpStatus
        self.command = command
    }

    /// A human description: code, message, and what was waited for.
    public var description: String {
        var s = "WebDriverError(\(code)): \(message)"
        if let waitedFor { s += " — waiting for \(waitedFor)" }
        if let command { s += " [\(command)]" }
        return s
    }

    /// `no such element`: nothing matched the selector.
    public static let noSuchElement = "no such element"
    /// `stale element reference`: the element left the page (it was re-rendered).
    public static let staleElement = "stale element reference"
    /// `element click intercepted`: another element (a toast, an overlay) would receive the click.
    public static let clickIntercepted = "element click intercepted"
    /// `element not interactable`: the element is hidden, disabled or zero-sized.
    public static let notInteractable = "element not interactable"
    /// `javascript error`: a script threw.
    public static let javascriptError = "javascript error"
    /// `timeout`: a wait (this library's or chromedriver's) ran out.
    public static let timeout = "timeout"
    /// `script timeout`: an asynchronous script did not call back in time.
    public static let scriptTimeout = "script timeout"
    /// `no such alert`: no `alert`/`confirm`/`prompt` is open.
    public static let noSuchAlert = "no such alert"
    /// `unexpected alert open`: an open dialog blocks the command.
    public static let unexpectedAlert = "unexpected alert open"
    /// `invalid session id`: the session has ended.
    public static let invalidSession = "invalid session id"
    /// `session not created`: Chromium could not be started.
    public static let sessionNotCreated = "session not created"
    /// This library's code: chromedriver or Chromium is missing, or chromedriver did not start.
    public static let driverUnavailable = "driver unavailable"
    /// This library's code: chromedriver could not be reached or answered something that is not WebDriver JSON.
    public static let transport = "transport"

    /// Whether the error is one a retry can fix (the element re-rendered, was covered, or was not ready yet).
    public var isTransient: Bool {
        [Self.noSuchElement, Self.staleElement, Self.clickIntercepted, Self.notInteractable].contains(code)
    }
}
