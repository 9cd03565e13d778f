import CityLoopBrowser
import Foundation
import Testing

/// The web console in a real headless Chromium against a real `cityloop serve --demo`: the sign-in page, each staff
/// role's workspace, the language switch, signing out, and sessions that end behind the browser's back.
@Suite(.serialized, .enabled(if: BrowserHarness.shouldRun, "needs /usr/bin/chromium and /usr/bin/chromedriver (set CI=true to make their absence fail)"))
struct ConsoleSmokeTests {
    @Test func loginPageRendersInChineseByDefault() async throws {
        try await BrowserHarness.run { h in
            // MUT: a first visit
            try await h.open("#/login")

            // validate: Chinese page, form with labelled fields, language switch offering English
            try await h.waitFor("#login-form")
            #expect(try await h.hash() == "#/login")
            #expect(try await h.browser.executeScript("return document.documentElement.lang").string == "zh-CN")
            #expect(try await h.text("#login-form h1") == h.t("login.title"))
            #expect(try await h.text("#login-form button[type=submit]") == h.t("login.submit"))
            let labels = try await h.browser.executeScript(
                "return Array.from(document.querySelectorAll('#login-form label')).map((l) => l.textContent + '→' + (document.getElementById(l.htmlFor)?.name || ''))")
            let usernameLabel = try await h.t("login.username")
            let passwordLabel = try await h.t("login.password")
            #expect(labels == [.string("\(usernameLabel)→username"), .string("\(passwordLabel)→password")], "every field has its label")
            #expect(try await h.text(".lang-switch") == "English")
            #expect(try await h.text("#signin") == h.t("nav.signIn"))
            #expect(try await h.browser.title.contains(h.t("login.title")))
            let focused = try await h.browser.activeElement()
            #expect(try await focused.attribute("name") == "username", "the username field has the focus")
            let errors = try await h.consoleErrors()
            #expect(errors.isEmpty, "console errors: \(errors.map(\.summary))")
            try await h.screenshot("login")
        }
    }

    @Test func wrongPasswordShowsTheErrorAndStaysOnLogin() async throws {
        try await BrowserHarness.run { h in
            // MUT: a wrong password
            try await h.signIn(username: DemoUser.operator.username, password: "not-the-password")

            // validate: the message, still on the login page, no session stored
            try await h.waitForText("#login-error", contains: h.t("login.wrong"))
            #expect(try await h.hash() == "#/login")
            #expect(try await h.browserToken() == nil)
            #expect(try await h.browser.find("#login-form input[name=password]").property("value") == .string("not-the-password"))
            let errors = try await h.consoleErrors(network: false)
            #expect(errors.isEmpty, "console errors: \(errors.map(\.summary))")
            try await h.screenshot("wrong-password")
        }
    }

    @Test func eachStaffRoleLandsOnItsWorkspace() async throws {
        try await BrowserHarness.run { h in
            for user in [DemoUser.operator, .shiftlead, .dispatcher, .handler, .inspector, .leader, .admin] {
                do {
                    // MUT: sign in through the form
                    let clock = ContinuousClock()
                    let started = clock.now
                    try await h.signIn(user)
                    let landed = clock.now - started
                    try await h.waitForIdle()
                    let loaded = clock.now - started

                    // validate: the role's page, the top bar naming the role, a rendered workspace without script errors
                    #expect(try await h.route() == user.home, "\(user)")
                    let who = try await h.text("#who")
                    #expect(who.contains(try await h.t("role.\(user.role)")), "\(user): top bar says \(who)")
                    #expect(try await h.browser.executeScript("return document.getElementById('main').dataset.page").string == String(user.home.dropFirst()), "\(user)")
                    #expect(try await h.browserToken() != nil, "\(user)")
                    print("[browser] \(user) landed on \(user.home) in \(BrowserHarness.ms(landed)), its data loaded in \(BrowserHarness.ms(loaded))")
                    try await h.screenshot("\(user.role)-workspace")
                    let errors = try await h.newConsoleErrors(network: false)
                    #expect(errors.isEmpty, "\(user) on \(user.home): console errors \(errors.map(\.summary))")
                    try await h.signOut()
                } catch {
                    Issue.record(error, "\(user)")
                    _ = try? await h.screenshot("\(user.role)-failure", settle: false)
                }
            }
        }
    }

    @Test func languageSwitchTurnsTheConsoleEnglish() async throws {
        try await BrowserHarness.run { h in
            // setup
            try await h.open("#/login")
            try await h.waitFor("#login-form")

            // MUT: switch to English
            try await h.click(".lang-switch")

            // validate: the page and the top bar are English, and stay so after a reload and signing in
            try await h.waitUntil("document.documentElement.lang === 'en'")
            try await h.waitForText("#login-form h1", contains: h.t("login.title", "en"))
            #expect(try await h.text(".lang-switch") == "中文")
            #expect(try await h.text("#login-form button[type=submit]") == h.t("login.submit", "en"))
            try await h.screenshot("login-en")
            try await h.open("#/login", reload: true)
            try await h.waitForText("#login-form h1", contains: h.t("login.title", "en"))
            try await h.signIn(.dispatcher)
            #expect(try await h.text("#who").contains(h.t("role.dispatcher", "en")))
            #expect(try await h.text("#signout") == h.t("nav.signOut", "en"))
            try await h.screenshot("dispatch-en")

            // MUT: and back to Chinese
            try await h.click(".lang-switch")
            try await h.waitUntil("document.documentElement.lang === 'zh-CN'")
            try await h.waitForText("#who", contains: h.t("role.dispatcher"))
            #expect(try await h.route() == DemoUser.dispatcher.home)
        }
    }

    @Test func signingOutReturnsToLoginAndEndsTheSession() async throws {
        try await BrowserHarness.run { h in
            // setup
            try await h.signIn(.dispatcher)
            let token = try #require(try await h.browserToken())

            // MUT: sign out from the top bar
            try await h.signOut()

            // validate: signed-out top bar, no stored session, the token no longer works, pages ask for a sign-in again
            try await h.waitFor("#signin")
            #expect(try await h.browser.exists("#who") == false)
            #expect(try await h.browserToken() == nil)
            #expect(try await h.api(.GET, "/api/v1/me", token: token).status == 401)
            try await h.open(DemoUser.dispatcher.home)
            let hash = try await h.waitForHash("#/login")
            #expect(hash.contains("next="), "\(hash)")
            #expect(!hash.contains("expired=1"), "a signed-out visitor is not told the session expired: \(hash)")
            try await h.screenshot("signed-out")
        }
    }

    @Test func revokedSessionLandsOnLoginWithTheExpiredMessage() async throws {
        try await BrowserHarness.run { h in
            // setup: signed in, then the token is revoked behind the browser's back
            try await h.signIn(.operator)
            let token = try #require(try await h.browserToken())
            let logout = try await h.api(.POST, "/api/v1/auth/logout", token: token)
            #expect((200..<300).contains(logout.status), "logout answered \(logout.status) \(logout.text)")

            // MUT: a page that loads data with the dead token
            try await h.open("#/cases")

            // validate: back on the login page with the message, the dead session dropped
            let hash = try await h.waitForHash("#/login")
            #expect(hash.contains("expired=1"), "\(hash)")
            try await h.waitForText("#login-error", contains: h.t("login.expired"))
            #expect(try await h.browserToken() == nil)
            try await h.screenshot("revoked")
        }
    }

    @Test func expiredSessionLandsOnLoginAndReturnsAfterSigningIn() async throws {
        try await BrowserHarness.run { h in
            // setup: signed in as the leader, then the stored session's expiry passes
            try await h.signIn(.leader)
            try await h.browser.executeScript(
                "const s = JSON.parse(localStorage.getItem('cityloop.session')); s.expiresAt = '2000-01-01T00:00:00Z'; localStorage.setItem('cityloop.session', JSON.stringify(s));")

            // MUT: reopen the workspace
            try await h.open(DemoUser.leader.home, reload: true)

            // validate: the login page says the session expired and remembers where the user was going
            let hash = try await h.waitForHash("#/login")
            #expect(hash.contains("expired=1"), "\(hash)")
            #expect(hash.contains("next=%23%2Fscreen"), "\(hash)")
            try await h.waitForText("#login-error", contains: h.t("login.expired"))
            try await h.screenshot("expired")
            try await h.fill("#login-form input[name=username]", DemoUser.leader.username)
            try await h.fill("#login-form input[name=password]", BrowserHarness.password)
            try await h.click("#login-form button[type=submit]")
            try await h.waitForHash(DemoUser.leader.home)
        }
    }

    @Test func loginPageFitsAPhone() async throws {
        try await BrowserHarness.run(browser: .phone) { h in
            // MUT: the login page on a 390×844 phone
            try await h.open("#/login")
            try await h.waitFor("#login-form")

            // validate: no sideways scrolling, the sign-in button is at least WCAG 2.2's minimum target (24×24)
            let viewport = try await h.browser.viewportSize()
            #expect(viewport.width == 390 && viewport.height == 844, "\(viewport)")
            #expect(try await h.browser.executeScript("return document.documentElement.scrollWidth <= innerWidth").bool == true)
            let submit = try await h.waitFor("#login-form button[type=submit]").rect()
            #expect(submit.height >= 24 && submit.width >= 24, "submit button is \(submit.width)×\(submit.height)")
            try await h.screenshot("login-phone")
            try await h.signIn(.inspector)
            #expect(try await h.browser.executeScript("return document.documentElement.scrollWidth <= innerWidth").bool == true, "the inspector's page scrolls sideways")
            try await h.screenshot("inspector-phone")
        }
    }
}
