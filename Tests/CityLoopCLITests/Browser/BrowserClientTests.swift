import CityLoopBrowser
import Foundation
import Testing

/// The WebDriver client itself, against a small local page (no server): waits and their errors, clicks on covered
/// elements, forms and file inputs, scripts, network emulation, phone emulation, screenshots and the console log.
@Suite(.serialized, .enabled(if: BrowserHarness.shouldRun, "needs /usr/bin/chromium and /usr/bin/chromedriver (set CI=true to make their absence fail)"))
struct BrowserClientTests {
    /// A page with a late element, a cover that goes away, a form, a file input and online/offline reporting.
    static let page = """
        <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>测试页</title></head>
        <body><h1 id="h">你好</h1>
        <input id="name" aria-label="name"><select id="sel" aria-label="choice"><option value="a">Alpha</option><option value="b">Beta</option></select>
        <input type="file" id="file" style="display:none"><p id="fileinfo"></p>
        <button id="later" onclick="setTimeout(() => { const p = document.createElement('p'); p.id = 'late'; p.textContent = 'arrived ' + document.getElementById('name').value; document.body.append(p); }, 400)">later</button>
        <button id="ask" onclick="document.getElementById('h').textContent = confirm('sure?') ? 'yes' : 'no'">ask</button>
        <div id="cover" style="position:fixed;inset:0;background:rgba(0,0,0,.2)"></div>
        <p id="online"></p>
        <script>
        document.getElementById('file').addEventListener('change', (e) => { const f = e.target.files[0]; document.getElementById('fileinfo').textContent = f.name + ':' + f.size; });
        document.getElementById('sel').addEventListener('change', (e) => { document.title = 'sel=' + e.target.value; });
        addEventListener('offline', () => { document.getElementById('online').textContent = 'offline'; });
        addEventListener('online', () => { document.getElementById('online').textContent = 'online'; });
        setTimeout(() => document.getElementById('cover').remove(), 800);
        console.error('page says hello');
        </script></body></html>
        """

    /// Runs `body` with a browser on the page, then stops everything.
    static func withPage(_ options: BrowserOptions = BrowserOptions(width: 1024, height: 700), _ body: (BrowserSession, URL) async throws -> Void) async throws {
        await BrowserGate.shared.acquire()
        defer { BrowserGate.shared.release() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-browser-client-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("page.html")
        try Data(page.utf8).write(to: file)
        let driver = try await ChromeDriver.start(chromium: BrowserHarness.chromium, driver: BrowserHarness.chromedriver)
        do {
            let browser = try await driver.newSession(options)
            try await browser.navigate(to: file.absoluteString)
            try await body(browser, folder)
        } catch {
            await driver.stop()
            throw error
        }
        await driver.stop()
        #expect(!driver.isRunning)
        #expect(!FileManager.default.fileExists(atPath: driver.workFolder.path))
    }

    @Test func waitsForElementsAndNamesWhatTimedOut() async throws {
        try await Self.withPage { browser, _ in
            // MUT: an element that appears later, and one that never does
            try await browser.find("#name").sendKeys("张三")
            try await browser.find("#later").click()
            let late = try await browser.find("#late", visible: true)
            let missing = await #expect(throws: WebDriverError.self) { try await browser.find("#never", timeout: .milliseconds(300)) }
            let stuck = await #expect(throws: WebDriverError.self) { try await browser.waitUntil("document.title === 'never'", timeout: .milliseconds(300)) }

            // validate
            #expect(try await late.text == "arrived 张三")
            #expect(missing?.code == WebDriverError.timeout)
            #expect(missing?.waitedFor?.contains("#never") == true, "\(String(describing: missing))")
            #expect(missing?.message.contains("no such element") == true, "the last error is reported: \(String(describing: missing))")
            #expect(stuck?.waitedFor == "`document.title === 'never'`")
            let thrown = await #expect(throws: WebDriverError.self) { try await browser.executeScript("throw new Error('boom')") }
            #expect(thrown?.code == WebDriverError.javascriptError)
            #expect(thrown?.message.contains("boom") == true)
        }
    }

    @Test func formsFilesScriptsAndDialogs() async throws {
        try await Self.withPage { browser, folder in
            // setup
            let upload = folder.appendingPathComponent("photo.jpg")
            try Data(repeating: 7, count: 1234).write(to: upload)

            // MUT: type, replace, choose, upload, script, answer a confirmation (accepted by default)
            try await browser.find("#name").sendKeys("first")
            try await browser.find("#name").sendKeys("second", clearFirst: true)
            try await browser.find("#sel").select(value: "b")
            let titleAfterValue = try await browser.title
            try await browser.find("#sel").select(label: "Alp")
            try await browser.find("#file").upload(file: upload)
            try await browser.find("#ask").click()

            // validate
            #expect(try await browser.find("#name").value == "second")
            #expect(titleAfterValue == "sel=b")
            #expect(try await browser.title == "sel=a")
            #expect(try await browser.waitForText("#fileinfo", contains: "photo.jpg:1234").contains("photo.jpg"))
            #expect(try await browser.waitForText("#h", contains: "yes") == "yes")
            let reply = try await browser.executeScript("return {n: arguments[0] + 1, list: [true, null, 'x'], el: document.getElementById('h')}", [41])
            #expect(reply["n"]?.int == 42)
            #expect(reply["list"] == [true, .null, "x"])
            #expect(try await browser.element(from: reply["el"]!).tagName == "h1")
            #expect(try await browser.evaluate("new Promise((r) => setTimeout(() => r('later'), 50))") == "later")
            #expect(try await browser.executeAsyncScript("const done = arguments[arguments.length - 1]; setTimeout(() => done(7), 20)") == 7)
            let log = try await browser.consoleLog()
            #expect(log.contains { $0.isError && $0.message.contains("page says hello") }, "\(log)")
        }
    }

    @Test func networkConditionsAndKeyboard() async throws {
        try await Self.withPage { browser, _ in
            // MUT: offline and back; Tab and Shift+Tab
            try await browser.setNetworkConditions(offline: true)
            try await browser.waitForText("#online", contains: "offline")
            let offline = try await browser.executeScript("return navigator.onLine")
            try await browser.setNetworkConditions(offline: false)
            try await browser.waitForText("#online", contains: "online")
            try await browser.find("#name").focus()
            try await browser.press(Key.tab)
            let afterTab = try await browser.activeElement().attribute("id")
            try await browser.press(Key.shift + Key.tab)
            let afterShiftTab = try await browser.activeElement().attribute("id")

            // validate
            #expect(offline == false)
            #expect(try await browser.executeScript("return navigator.onLine") == true)
            #expect(afterTab == "sel")
            #expect(afterShiftTab == "name")
        }
    }

    @Test func desktopAndPhoneViewportsAndScreenshots() async throws {
        try await Self.withPage(BrowserOptions(width: 1280, height: 800)) { browser, folder in
            // validate: the viewport is what was asked for, screenshots are PNGs of it
            let viewport = try await browser.viewportSize()
            #expect(viewport.width == 1280 && viewport.height == 800, "\(viewport)")
            let png = try await browser.screenshot()
            #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            let saved = try await browser.saveScreenshot(to: folder.appendingPathComponent("shots/page.png"))
            #expect(FileManager.default.fileExists(atPath: saved.path))
            try await browser.setViewportSize(width: 800, height: 600)
            let smaller = try await browser.viewportSize()
            #expect(smaller.width == 800 && smaller.height == 600, "\(smaller)")
        }
        try await Self.withPage(.phone) { browser, _ in
            let metrics = try await browser.executeScript("return [innerWidth, innerHeight, devicePixelRatio, navigator.userAgent.includes('Mobile')]")
            #expect(metrics == [390, 844, 3, true])
            try await browser.find("#later").click()
            #expect(try await browser.find("#late").text.hasPrefix("arrived"))
        }
    }

    @Test func geolocationOverride() async throws {
        try await Self.withPage { browser, _ in
            try await browser.setGeolocation(latitude: 34.7466, longitude: 113.6253)
            let position = try await browser.evaluate(
                "new Promise((ok, fail) => navigator.geolocation.getCurrentPosition((p) => ok([p.coords.latitude, p.coords.longitude]), (e) => fail(new Error(e.message)), {timeout: 5000}))")
            #expect(position == [34.7466, 113.6253])
        }
    }
}
