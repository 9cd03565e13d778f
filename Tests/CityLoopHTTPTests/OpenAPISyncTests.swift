import Foundation
import Hummingbird
import Testing

/// The OpenAPI document and the router describe the same API.
@Suite struct OpenAPISyncTests {
    /// Every route the other HTTP tests call, as `method path` in OpenAPI form.
    static let routesUsedByTests: Set<String> = [
        "get /health", "get /openapi.json", "get /api/v1/locate", "post /api/v1/auth/login",
        "post /api/v1/cases", "get /api/v1/cases", "get /api/v1/cases/counts", "get /api/v1/cases/deadlines",
        "get /api/v1/cases/{id}", "get /api/v1/cases/{id}/duplicates", "post /api/v1/cases/{id}/actions/{action}",
        "post /api/v1/media", "get /api/v1/media/{id}", "get /api/v1/cases/{id}/media/{media}", "post /api/v1/hotline/orders", "get /api/v1/hotline/callbacks",
        "put /api/v1/places", "get /api/v1/places/search", "get /api/v1/unplaced", "post /api/v1/unplaced/{id}/place", "get /api/v1/verify", "get /api/v1/track/{code}", "get /api/v1/notices",
        "get /open311/v2/discovery.json", "get /open311/v2/discovery.xml", "get /open311/v2/services.json", "get /open311/v2/services.xml",
        "get /open311/v2/services", "get /open311/v2/services/{code}", "post /open311/v2/requests.json", "post /open311/v2/requests.xml",
        "get /open311/v2/requests.json", "get /open311/v2/requests.xml", "get /open311/v2/requests/{id}", "get /open311/v2/tokens/{token}",
    ]

    static let methods: [String: HTTPRequest.Method] = [
        "get": .get, "post": .post, "put": .put, "delete": .delete, "patch": .patch, "head": .head, "options": .options,
    ]

    /// The document's operations as `method path`.
    static func operations(_ doc: Reply) -> Set<String> {
        let paths = doc["paths"] as? [String: [String: Any]] ?? [:]
        return Set(paths.flatMap { path, ops in ops.keys.map { "\($0) \(path)" } })
    }

    @Test func documentIsOpenAPI31AndListsTheRoutesTheTestsUse() async throws {
        try await TestCity.serve { api in
            let doc = try await api.get("/openapi.json")
            #expect(doc.status == .ok)
            #expect(doc.headers[.contentType]?.hasPrefix("application/json") == true)
            let root = try #require(doc.json as? [String: Any], "not a JSON object")
            #expect(root["openapi"] as? String == "3.1.0")
            #expect(doc.string("info.title")?.isEmpty == false)
            #expect(doc.string("components.securitySchemes.bearer.scheme") == "bearer")
            let ops = Self.operations(doc)
            #expect(Self.routesUsedByTests.subtracting(ops).isEmpty, "missing from the document: \(Self.routesUsedByTests.subtracting(ops).sorted())")

            // Every operation is well formed: an operation ID, responses, declared path parameters and resolvable schema refs.
            let paths = doc["paths"] as? [String: [String: Any]] ?? [:]
            let schemas = Set((doc["components.schemas"] as? [String: Any] ?? [:]).keys)
            var operationIDs: [String] = []
            for (path, ops) in paths {
                let placeholders = path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
                for (method, value) in ops {
                    let op = try #require(value as? [String: Any])
                    #expect(Self.methods[method] != nil, "\(method) \(path)")
                    operationIDs.append(op["operationId"] as? String ?? "")
                    #expect(op["responses"] as? [String: Any] != nil, "\(method) \(path)")
                    let params = (op["parameters"] as? [[String: Any]] ?? []).filter { $0["in"] as? String == "path" }
                    #expect(Set(params.compactMap { $0["name"] as? String }) == Set(placeholders), "\(method) \(path)")
                    let body = try? JSONSerialization.data(withJSONObject: op, options: [.withoutEscapingSlashes])
                    let text = body.map { String(decoding: $0, as: UTF8.self) } ?? ""
                    for ref in text.components(separatedBy: "#/components/schemas/").dropFirst() {
                        let name = String(ref.prefix { $0.isLetter || $0.isNumber })
                        #expect(schemas.contains(name), "\(method) \(path) refers to missing schema \(name)")
                    }
                }
            }
            #expect(Set(operationIDs).count == operationIDs.count, "duplicate operationIds")
            #expect(!operationIDs.contains(""))
        }
    }

    @Test func everyDocumentedOperationIsRouted() async throws {
        try await TestCity.serve { api in
            let doc = try await api.get("/openapi.json")
            let ops = Self.operations(doc).sorted()
            #expect(ops.count >= 30)
            // The live feed is an endless event stream, which this client would wait on forever; the CLI tests read it.
            for op in ops where op != "get /api/v1/live" {
                let parts = op.split(separator: " ", maxSplits: 1).map(String.init)
                let method = try #require(Self.methods[parts[0]])
                let path = parts[1].split(separator: "/", omittingEmptySubsequences: false)
                    .map { $0.hasPrefix("{") ? "x" : String($0) }.joined(separator: "/")
                // Signing out would revoke the token used for the other calls, so it gets its own session.
                let user = op == "post /api/v1/auth/logout" ? "shiftlead" : "admin"
                let r = try await api.send(method, path, as: user)
                #expect(r.status != .methodNotAllowed, "\(op): \(r)")
                #expect(!(r.status == .notFound && r.errorCode == "route.not_found"), "\(op): \(r)")
                #expect(r.status.code < 500, "\(op): \(r)")
                if r.status.code >= 400 && parts[1].hasPrefix("/open311/") {
                    // Open311 speaks the spec's error format, in XML for `.xml` resources.
                    let body = String(decoding: r.data, as: UTF8.self)
                    #expect(r.int("0.code") == Int(r.status.code) || body.contains("<errors><error><code>\(r.status.code)</code>"), "\(op): \(r)")
                } else if r.status.code >= 400 {
                    #expect(r.errorCode != nil, "\(op) error without JSON body: \(r)")
                }
            }
            // The admin's session survived the sweep (nothing above signed it out or broke it).
            #expect(try await api.get("/api/v1/me", as: "admin").string("username") == "admin")
            // Control: an undocumented route is a 404 naming the route.
            let missing = try await api.get("/api/v1/no-such-thing", as: "admin")
            #expect(missing.status == .notFound)
            #expect(missing.errorCode == "route.not_found")
        }
    }
}
