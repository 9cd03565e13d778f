import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Testing

/// Runs a router on 127.0.0.1 (a free port) for the length of a test and hands it a client.
///
/// HummingbirdTesting's live client gives up after 20 seconds without a byte, which a busy 2-core CI machine
/// exceeded once (`readTimeout` in the early-warning scan); this client waits as long as `LiveClient.deadline`.
enum LiveServer {
    /// Serves `responder` until `body` returns, then shuts the server down gracefully.
    static func run<Responder: HTTPResponder, Value: Sendable>(
        _ responder: Responder, _ body: @Sendable (LiveClient) async throws -> Value
    ) async throws -> Value where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
        let port = PortBox()
        let app = Application(
            responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.set(channel.localAddress?.port ?? 0) })
        return try await withThrowingTaskGroup(of: Void.self) { group in
            let services = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: app.logger))
            group.addTask { try await services.run() }
            let client = LiveClient(port: try await port.wait())
            do {
                let value = try await body(client)
                try await client.shutdown()
                await services.triggerGracefulShutdown()
                return value
            } catch {
                try? await client.shutdown()
                await services.triggerGracefulShutdown()
                throw error
            }
        }
    }

    /// Serves a router (see `run(_:_:)`).
    static func run<Context: RequestContext, Value: Sendable>(
        router: Router<Context>, _ body: @Sendable (LiveClient) async throws -> Value
    ) async throws -> Value where Context: InitializableFromSource<ApplicationRequestContextSource> {
        try await run(router.buildResponder(), body)
    }
}

/// A response as received by `LiveClient`.
struct LiveResponse: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: ByteBuffer
}

/// An HTTP client for one live test server, with a deadline generous enough for a loaded machine.
struct LiveClient: Sendable {
    /// How long one request may take before the test fails: far beyond any answer on an idle machine.
    static let deadline: TimeAmount = .seconds(600)

    let port: Int
    private let http = HTTPClient(eventLoopGroupProvider: .singleton)

    init(port: Int) { self.port = port }

    /// Sends one request to the server and collects the whole answer.
    func execute(uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil) async throws -> LiveResponse {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(uri)")
        request.method = HTTPMethod(rawValue: method.rawValue)
        for field in headers { request.headers.add(name: field.name.rawName, value: field.value) }
        if let body { request.body = .bytes(body) }
        let response = try await http.execute(request, deadline: .now() + Self.deadline)
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let n = HTTPField.Name(name) { fields.append(HTTPField(name: n, value: value)) }
        }
        let bytes = try await response.body.collect(upTo: 256 << 20)
        return LiveResponse(status: HTTPResponse.Status(code: Int(response.status.code)), headers: fields, body: bytes)
    }

    func shutdown() async throws { try await http.shutdown() }
}

/// The port the server reports once it listens.
private final class PortBox: Sendable {
    private let state = NIOLockedValueBox<(port: Int?, waiters: [CheckedContinuation<Int, Never>])>((nil, []))

    func set(_ port: Int) {
        let waiters = state.withLockedValue { s -> [CheckedContinuation<Int, Never>] in
            s.port = port
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume(returning: port) }
    }

    func wait() async throws -> Int {
        await withCheckedContinuation { c in
            let known = state.withLockedValue { s -> Int? in
                if s.port == nil { s.waiters.append(c) }
                return s.port
            }
            if let known { c.resume(returning: known) }
        }
    }
}

/// Runs `body` and fails the test when it has not finished within `seconds` — a bound for waits on events that
/// must arrive (a live-feed item), far beyond what they take on an idle machine.
func within<T: Sendable>(_ seconds: Double, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            Issue.record("\(what) did not happen within \(Int(seconds)) s")
            throw CancellationError()
        }
        return value
    }
}
