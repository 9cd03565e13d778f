import CityLoopDemo
import CityLoopDomain
import CityLoopHTTP
import CityLoopSQLite
import CityLoopServices
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A fresh tiny demo city on a temporary SQLite file and media folder, with a clock standing still at a
/// weekday working hour (Tuesday 2026-11-24 10:00 in UTC+8).
struct TestCity: Sendable {
    static let password = "test-password-1"
    static let start = ISO8601DateFormatter().date(from: "2026-11-24T02:00:00Z")!

    let platform: Platform
    let store: SQLiteStore
    let clock: FixedClock
    let folder: URL
    let notices: NoticeLogFile
    let accessLog: AccessLogFile

    /// A grid of the first district (410102), where the demo inspector works.
    var grid: UnitGrid { platform.context.map.grids.first { $0.code.hasPrefix("410102") }! }
    /// A point inside that grid.
    var point: GeoPoint { grid.boundary.interiorPoint }

    /// Callbacks to the tests' own receivers on 127.0.0.1 are allowed only where a test says so.
    static let loopbackCallbacks = CallbackAddressPolicy(allowHosts: ["127.0.0.1"])

    static func make(notifier: (any ReporterNotifier)? = nil, callbacks: CallbackAddressPolicy = .init()) async throws -> TestCity {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: folder.appendingPathComponent("city.sqlite").path)
        let media = try FileMediaStore(root: folder.appendingPathComponent("media"))
        let clock = FixedClock(start)
        let notices = try NoticeLogFile(url: folder.appendingPathComponent("notices.log"))
        let accessLog = try AccessLogFile(url: folder.appendingPathComponent("personal-data-access.log"))
        let platform = try await Platform(
            store: store, media: media, notifier: notifier ?? notices, audit: accessLog, clock: clock, passwords: Passwords(cost: 4),
            callbacks: callbacks)
        _ = try await DemoCity.install(into: platform, scale: .tiny, password: password)
        return TestCity(platform: platform, store: store, clock: clock, folder: folder, notices: notices, accessLog: accessLog)
    }

    /// Builds a city, runs a live server on 127.0.0.1 (any free port) and hands the test a client for it.
    static func serve(
        notifier: (any ReporterNotifier)? = nil, open311: GeoReportOptions = .init(), callbacks: CallbackAddressPolicy = .init(),
        _ body: @Sendable (API) async throws -> Void
    ) async throws {
        let city = try await make(notifier: notifier, callbacks: callbacks)
        defer { try? FileManager.default.removeItem(at: city.folder) }
        try await LiveServer.run(router: buildRouter(platform: city.platform, open311: open311)) { client in
            try await body(API(client: client, city: city))
        }
    }
}

/// A response as the user sees it: status, headers and the body, with JSON accessors.
struct Reply: Sendable, CustomStringConvertible {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let data: Data

    var json: Any? { try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) }
    /// The value at a dotted path (`case.reporters.0.phone`); numbers index arrays.
    subscript(_ path: String) -> Any? {
        var v: Any? = json
        for key in path.split(separator: ".") {
            if let i = Int(key), let a = v as? [Any] {
                v = a.indices.contains(i) ? a[i] : nil
            } else {
                v = (v as? [String: Any])?[String(key)]
            }
        }
        return v
    }
    func string(_ path: String) -> String? { self[path] as? String }
    func int(_ path: String) -> Int? { self[path] as? Int }
    func array(_ path: String) -> [Any] { self[path] as? [Any] ?? [] }
    func objects(_ path: String) -> [[String: Any]] { array(path).compactMap { $0 as? [String: Any] } }
    func date(_ path: String) -> Date? { string(path).flatMap { ISO8601DateFormatter().date(from: $0) } }

    var errorCode: String? { string("error.code") }
    var errorField: String? { string("error.field") }
    var errorMessage: String { string("error.message") ?? "" }
    var description: String { "\(status.code) \(String(decoding: data, as: UTF8.self).prefix(600))" }
}

/// Talks to the live server as the demo users.
struct API: Sendable {
    let client: LiveClient
    let city: TestCity
    private let tokens = TokenCache()

    init(client: LiveClient, city: TestCity) {
        self.client = client
        self.city = city
    }

    /// Signs in (once per user) and returns the bearer token.
    func token(_ user: String) async throws -> String {
        if let t = tokens.get(user) { return t }
        let r = try await send(.post, "/api/v1/auth/login", json: ["username": user, "password": TestCity.password])
        try #require(r.status == .ok, "login of \(user): \(r)")
        let t = try #require(r.string("token"))
        tokens.set(user, t)
        return t
    }

    /// Sends a request, signed in as `user` when given; `json` is serialized, `raw` sent as is.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, as user: String? = nil, json: [String: Any]? = nil, raw: Data? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
            headers[.contentType] = "application/json"
        } else if let raw {
            body = ByteBuffer(bytes: raw)
        }
        if let user { headers[.authorization] = "Bearer \(try await token(user))" }
        let r = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        return Reply(status: r.status, headers: r.headers, data: Data(r.body.readableBytesView))
    }

    func get(_ uri: String, as user: String? = nil) async throws -> Reply { try await send(.get, uri, as: user) }

    /// Reports a problem (`POST /api/v1/cases`).
    func report(as user: String, _ body: [String: Any]) async throws -> Reply {
        try await send(.post, "/api/v1/cases", as: user, json: body)
    }

    /// Takes a workflow action (`POST /api/v1/cases/{id}/actions/{action}`).
    func act(_ action: String, _ caseID: String, as user: String, _ body: [String: Any]? = nil) async throws -> Reply {
        try await send(.post, "/api/v1/cases/\(caseID)/actions/\(action)", as: user, json: body)
    }

    /// Reports as `user` and returns the new case's ID, requiring a 201.
    func newCase(as user: String, _ body: [String: Any]) async throws -> String {
        let r = try await report(as: user, body)
        try #require(r.status == .created, "report: \(r)")
        return try #require(r.string("case.id"))
    }

    /// Acts and requires a 200, returning the case detail.
    @discardableResult
    func step(_ action: String, _ caseID: String, as user: String, _ body: [String: Any]? = nil) async throws -> Reply {
        let r = try await act(action, caseID, as: user, body)
        try #require(r.status == .ok, "\(action) as \(user): \(r)")
        return r
    }

    /// A citizen's exposed-garbage report dispatched to sanitation (state `dispatched`).
    func dispatchedCase(at point: GeoPoint? = nil) async throws -> String {
        let id = try await newCase(as: "citizen", garbageReport(at: point ?? city.point))
        try await step("verify", id, as: "inspector")
        let filed = try await step("file", id, as: "shiftlead")
        try #require(filed.string("case.state") == "dispatched", "auto-dispatch: \(filed)")
        return id
    }

    /// The number of stored cases.
    func caseCount() async throws -> Int { try await city.store.caseCount() }
}

/// A report body for exposed garbage (06010) at a point.
func garbageReport(at p: GeoPoint, _ extra: [String: Any] = [:]) -> [String: Any] {
    var body: [String: Any] = ["matterCode": "06010", "description": "路边暴露垃圾一堆", "lat": p.lat, "lon": p.lon]
    for (k, v) in extra { body[k] = v }
    return body
}

/// Tokens by username, shared by the copies of one `API`.
final class TokenCache: @unchecked Sendable {
    private let lock = NSLock()
    private var tokens: [String: String] = [:]
    func get(_ user: String) -> String? { lock.withLock { tokens[user] } }
    func set(_ user: String, _ token: String) { lock.withLock { tokens[user] = token } }
}

/// A minimal valid PNG: one RGB pixel.
func tinyPNG(red: UInt8 = 200, green: UInt8 = 40, blue: UInt8 = 40) -> Data { DemoImages.png(red: red, green: green, blue: blue) }
