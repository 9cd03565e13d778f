import Foundation

/// A DOM element found in a `BrowserSession`. It stays valid while the element is on the page; a re-rendered page
/// makes it stale (`stale element reference`): find it again.
public struct Element: Sendable, Hashable, CustomStringConvertible {
    /// The W3C key of an element reference in WebDriver JSON.
    public static let referenceKey = "element-6066-11e4-a52e-4f735466cecf"

    /// chromedriver's ID of the element.
    public let id: String
    /// The session it belongs to.
    public let session: BrowserSession

    init(id: String, session: BrowserSession) {
        self.id = id
        self.session = session
    }

    /// Two elements are equal when chromedriver says they are the same node reference.
    public static func == (a: Element, b: Element) -> Bool { a.id == b.id && a.session === b.session }
    /// Hashes the element ID.
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
    /// `Element(ID)`.
    public var description: String { "Element(\(id))" }

    /// The element as a script argument (`executeScript("arguments[0].scrollIntoView()", [element.reference])`).
    public var reference: JSONValue { [Self.referenceKey: .string(id)] }

    @discardableResult
    private func command(_ method: String, _ path: String, _ body: JSONValue? = nil) async throws -> JSONValue {
        try await session.command(method, path.isEmpty ? "element/\(id)" : "element/\(id)/\(path)", body)
    }

    // MARK: acting

    /// Clicks the element's centre (scrolling it into view first). While another element covers it (a toast, a
    /// fading overlay) or it is not interactable yet, retries for up to `timeout` (the session's default when nil).
    public func click(timeout: Duration? = nil) async throws {
        var last: WebDriverError?
        _ = try await session.poll("`\(id)` to take a click", timeout: timeout, lastError: { last }) { () async throws -> Bool? in
            do {
                try await command("POST", "click")
                return true
            } catch let error as WebDriverError where error.code == WebDriverError.clickIntercepted || error.code == WebDriverError.notInteractable {
                last = error
                return nil
            }
        }
    }

    /// Types text into the element (`Key` constants press special keys); with `clearFirst`, empties it before.
    public func sendKeys(_ text: String, clearFirst: Bool = false) async throws {
        if clearFirst { try await clear() }
        try await command("POST", "value", ["text": .string(text)])
    }

    /// Empties an input or textarea.
    public func clear() async throws {
        try await command("POST", "clear")
    }

    /// Chooses a file for an `<input type=file>` (which may be hidden behind a styled label): an absolute path.
    public func upload(file: URL) async throws {
        try await command("POST", "value", ["text": .string(file.standardizedFileURL.path)])
    }

    /// Chooses several files for an `<input type=file multiple>`.
    public func upload(files: [URL]) async throws {
        try await command("POST", "value", ["text": .string(files.map { $0.standardizedFileURL.path }.joined(separator: "\n"))])
    }

    /// Chooses the `<option>` of a `<select>` with this value, and fires `input` and `change` as a user would.
    public func select(value: String) async throws {
        let ok = try await session.executeScript(
            """
            const s = arguments[0], v = arguments[1];
            if (!Array.from(s.options).some((o) => o.value === v)) return false;
            s.value = v; s.dispatchEvent(new Event('input', { bubbles: true })); s.dispatchEvent(new Event('change', { bubbles: true }));
            return true;
            """, [reference, .string(value)])
        if ok.bool != true { throw WebDriverError(code: WebDriverError.noSuchElement, message: "no option with value \"\(value)\" in \(self)") }
    }

    /// Chooses the `<option>` of a `<select>` whose label contains this text, firing `input` and `change`.
    public func select(label: String) async throws {
        let ok = try await session.executeScript(
            """
            const s = arguments[0], t = arguments[1];
            const o = Array.from(s.options).find((o) => o.textContent.includes(t));
            if (!o) return false;
            s.value = o.value; s.dispatchEvent(new Event('input', { bubbles: true })); s.dispatchEvent(new Event('change', { bubbles: true }));
            return true;
            """, [reference, .string(label)])
        if ok.bool != true { throw WebDriverError(code: WebDriverError.noSuchElement, message: "no option labelled \"\(label)\" in \(self)") }
    }

    /// Clicks the mouse at a point of the element (the Actions API): `x` and `y` are fractions of its width and height
    /// from its top left corner, so `click(atFractionX: 0.25, y: 0.5)` clicks a quarter of the way across, half way
    /// down (a corner drawn on a picture). The element is scrolled into view first.
    public func click(atFractionX x: Double, y: Double) async throws {
        try await scrollIntoView()
        let r = try await rect()
        // A pointer's offset from an element counts from its centre, in whole CSS pixels.
        let dx = ((x - 0.5) * r.width).rounded(), dy = ((y - 0.5) * r.height).rounded()
        let pointer: JSONValue = [
            "type": "pointer", "id": "mouse", "parameters": ["pointerType": "mouse"],
            "actions": [
                ["type": "pointerMove", "origin": reference, "x": .number(dx), "y": .number(dy), "duration": 0],
                ["type": "pointerDown", "button": 0], ["type": "pointerUp", "button": 0],
            ],
        ]
        try await session.command("POST", "actions", ["actions": [pointer]])
        try await session.command("DELETE", "actions")
    }

    /// Scrolls the element to the middle of the viewport.
    public func scrollIntoView() async throws {
        try await session.executeScript("arguments[0].scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'})", [reference])
    }

    /// Gives the element the focus.
    public func focus() async throws {
        try await session.executeScript("arguments[0].focus()", [reference])
    }

    // MARK: reading

    /// The rendered text (`innerText`, as the user sees it).
    public var text: String {
        get async throws { try await command("GET", "text").string ?? "" }
    }

    /// An HTML attribute (nil when absent).
    public func attribute(_ name: String) async throws -> String? {
        try await command("GET", "attribute/\(name)").string
    }

    /// A DOM property (`value`, `checked`, `disabled`, `dataset`…).
    public func property(_ name: String) async throws -> JSONValue {
        try await command("GET", "property/\(name)")
    }

    /// The value of an input, select or textarea.
    public var value: String {
        get async throws { try await property("value").string ?? "" }
    }

    /// A computed CSS property (`color`, `display`…).
    public func cssValue(_ name: String) async throws -> String {
        try await command("GET", "css/\(name)").string ?? ""
    }

    /// The lower-case tag name.
    public var tagName: String {
        get async throws { try await command("GET", "name").string ?? "" }
    }

    /// Whether the element is shown (WebDriver's visibility rules).
    public var isDisplayed: Bool {
        get async throws { try await command("GET", "displayed").bool ?? false }
    }

    /// Whether a control is enabled.
    public var isEnabled: Bool {
        get async throws { try await command("GET", "enabled").bool ?? false }
    }

    /// Whether a checkbox, radio button or option is selected.
    public var isSelected: Bool {
        get async throws { try await command("GET", "selected").bool ?? false }
    }

    /// Position and size in CSS pixels, relative to the document.
    public func rect() async throws -> (x: Double, y: Double, width: Double, height: Double) {
        let r = try await command("GET", "rect")
        return (r["x"]?.double ?? 0, r["y"]?.double ?? 0, r["width"]?.double ?? 0, r["height"]?.double ?? 0)
    }

    /// A PNG of just this element.
    public func screenshot() async throws -> Data {
        guard let base64 = try await command("GET", "screenshot").string, let data = Data(base64Encoded: base64) else {
            throw WebDriverError(code: WebDriverError.transport, message: "the element screenshot was not base64 PNG")
        }
        return data
    }

    // MARK: inside

    /// The first descendant matching a CSS selector, polling up to `timeout`.
    public func find(_ css: String, timeout: Duration? = nil) async throws -> Element {
        var last: (any Error)?
        return try await session.poll("an element matching `\(css)` inside \(self)", timeout: timeout, lastError: { last }) {
            do {
                return try session.element(from: try await command("POST", "element", ["using": "css selector", "value": .string(css)]))
            } catch let error as WebDriverError where error.code == WebDriverError.noSuchElement {
                last = error
                return nil
            }
        }
    }

    /// Every descendant matching a CSS selector now.
    public func findAll(_ css: String) async throws -> [Element] {
        let values = try await command("POST", "elements", ["using": "css selector", "value": .string(css)])
        return try (values.array ?? []).map(session.element(from:))
    }
}

/// Special keys for `sendKeys` and `press` (WebDriver code points), e.g. `sendKeys("text" + Key.enter)`.
public enum Key {
    /// Backspace.
    public static let backspace = "\u{E003}"
    /// Tab.
    public static let tab = "\u{E004}"
    /// Enter (Return).
    public static let enter = "\u{E007}"
    /// Shift (held until the end of a `press`).
    public static let shift = "\u{E008}"
    /// Control (held until the end of a `press`).
    public static let control = "\u{E009}"
    /// Alt (held until the end of a `press`).
    public static let alt = "\u{E00A}"
    /// Escape.
    public static let escape = "\u{E00C}"
    /// Space.
    public static let space = "\u{E00D}"
    /// Page up.
    public static let pageUp = "\u{E00E}"
    /// Page down.
    public static let pageDown = "\u{E00F}"
    /// End.
    public static let end = "\u{E010}"
    /// Home.
    public static let home = "\u{E011}"
    /// Arrow left.
    public static let left = "\u{E012}"
    /// Arrow up.
    public static let up = "\u{E013}"
    /// Arrow right.
    public static let right = "\u{E014}"
    /// Arrow down.
    public static let down = "\u{E015}"
    /// Delete.
    public static let delete = "\u{E017}"
    /// Meta (Command on a Mac; held until the end of a `press`).
    public static let meta = "\u{E03D}"

    static let modifiers: Set<String> = [shift, control, alt, meta]
}
