import AsyncHTTPClient
import CityLoopBrowser
import Foundation
import NIOCore

/// The demo city's accounts (username = role) and the page each lands on after signing in.
enum DemoUser: String, CaseIterable, Sendable {
    case inspector, `operator`, shiftlead, dispatcher, handler, leader, admin, citizen

    /// The login name.
    var username: String { rawValue }
    /// The role as the API names it.
    var role: String { rawValue }
    /// The console route the account lands on after signing in.
    var home: String {
        switch self {
        case .operator, .shiftlead: "#/intake"
        case .dispatcher: "#/dispatch"
        case .handler: "#/tasks"
        case .inspector: "#/inspector"
        case .leader: "#/screen"
        case .admin: "#/admin"
        case .citizen: "#/report"
        }
    }
    /// The staff accounts (everyone but the citizen).
    static var staff: [DemoUser] { allCases.filter { $0 != .citizen } }
}

/// An API answer: the status, the body as JSON (`.null` when it is not JSON) and as text.
struct APIReply: Sendable {
    var status: Int
    var body: JSONValue
    var text: String
}

extension HTTP {
    /// An HTTP method for `request`.
    enum Method: String, Sendable { case GET, POST, PUT, PATCH, DELETE }

    /// Sends a request with an optional bearer token and JSON body; the status and the raw body.
    static func request(_ client: HTTPClient, _ method: Method, _ url: String, token: String?, json: String?) async throws -> (Int, Data) {
        var req = HTTPClientRequest(url: url)
        switch method {
        case .GET: req.method = .GET
        case .POST: req.method = .POST
        case .PUT: req.method = .PUT
        case .PATCH: req.method = .PATCH
        case .DELETE: req.method = .DELETE
        }
        if let token { req.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            req.headers.add(name: "Content-Type", value: "application/json")
            req.body = .bytes(ByteBuffer(string: json))
        }
        let res = try await client.execute(req, timeout: .seconds(300))
        let body = try await res.body.collect(upTo: 1 << 24)
        return (Int(res.status.code), Data(body.readableBytesView))
    }
}

extension ServerProcess {
    /// The last lines of the server's log.
    func logTail(_ lines: Int = 30) -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}

/// The demo city built once per test run (`cityloop demo`), copied for each browser test: a fresh server then
/// starts in about two seconds instead of building the city again.
actor DemoTemplate {
    static let shared = DemoTemplate()
    /// Where the template lives (removed when the test process exits).
    static let path = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-browser-template-\(getpid())").path
    private var ready: URL?

    /// The template's folder, building it the first time.
    func folder() throws -> URL {
        if let ready { return ready }
        let url = URL(fileURLWithPath: Self.path)
        try? FileManager.default.removeItem(at: url)
        let (status, output) = try ServerProcess.run(["demo", "--data", url.path, "--demo-password", BrowserHarness.password, "--lang", "en"])
        guard status == 0 else { throw TestFailure("cityloop demo failed (\(status)): \(output)") }
        atexit { try? FileManager.default.removeItem(atPath: DemoTemplate.path) }
        ready = url
        return url
    }
}

/// Lets one browser test run at a time across all suites of the test process.
final class BrowserGate: @unchecked Sendable {
    static let shared = BrowserGate()
    private let lock = NSLock()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            lock.lock()
            if busy {
                waiting.append(c)
                lock.unlock()
            } else {
                busy = true
                lock.unlock()
                c.resume()
            }
        }
    }

    func release() {
        lock.lock()
        if waiting.isEmpty {
            busy = false
            lock.unlock()
        } else {
            let next = waiting.removeFirst()
            lock.unlock()
            next.resume()
        }
    }
}
