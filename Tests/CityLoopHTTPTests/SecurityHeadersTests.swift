import CityLoopHTTP
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Testing

/// Browser security headers on everything served, and CORS only for configured origins.
@Suite struct SecurityHeadersTests {
    func withServer(corsOrigins: [String] = [], _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let city = try await TestCity.make()
        defer { try? FileManager.default.removeItem(at: city.folder) }
        let app = Application(router: buildRouter(platform: city.platform, frontDoor: FrontDoorOptions(corsOrigins: corsOrigins)))
        try await app.test(.router) { client in try await body(client) }
    }

    @Test func pagesAssetsAPIAndErrorsCarryTheHeaders() async throws {
        try await withServer { client in
            for uri in ["/", "/js/app.js", "/css/app.css", "/health", "/api/v1/me", "/no/such/page"] {
                let r = try await client.execute(uri: uri, method: .get)
                let csp = r.headers[.contentSecurityPolicy] ?? ""
                #expect(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "\(uri): \(csp)")
                #expect(!csp.contains("unsafe-inline"), "\(uri)")
                #expect(r.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
                #expect(r.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "\(uri)")
                #expect(r.headers[HTTPField.Name("Referrer-Policy")!] != nil, "\(uri)")
                #expect(r.headers[.accessControlAllowOrigin] == nil, "\(uri): CORS is off by default")
            }
        }
    }

    @Test func theConsolePageHasNoInlineScriptOrStyle() async throws {
        try await withServer { client in
            let page = try await client.execute(uri: "/", method: .get)
            let html = String(buffer: page.body)
            #expect(html.contains("<script"))
            #expect(!html.contains("<script>") && !html.contains("style=") && !html.contains("<style"))
            #expect(html.range(of: #"\son[a-z]+="#, options: .regularExpression) == nil)
        }
    }

    @Test func corsAnswersPreflightsForConfiguredOriginsOnly() async throws {
        try await withServer(corsOrigins: ["https://app.example.cn"]) { client in
            let preflight = try await client.execute(
                uri: "/api/v1/cases", method: .options,
                headers: [.origin: "https://app.example.cn", .accessControlRequestMethod: "POST", .accessControlRequestHeaders: "authorization"])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == "https://app.example.cn")
            #expect(preflight.headers[.accessControlAllowHeaders]?.contains("Authorization") == true)
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)
            let get = try await client.execute(uri: "/health", method: .get, headers: [.origin: "https://app.example.cn"])
            #expect(get.headers[.accessControlAllowOrigin] == "https://app.example.cn")
            let other = try await client.execute(
                uri: "/api/v1/cases", method: .options, headers: [.origin: "https://evil.example", .accessControlRequestMethod: "POST"])
            #expect(other.headers[.accessControlAllowOrigin] == nil)
            #expect(try await client.execute(uri: "/health", method: .get, headers: [.origin: "https://evil.example"]).headers[.accessControlAllowOrigin] == nil)
        }
    }
}
