import AsyncHTTPClient
import Foundation
import NIOCore

/// A real `cityloop` process started from the built binary, for tests that kill it.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    let data: URL
    let log: URL

    /// The built `cityloop` executable next to the test bundle (or under .build/debug).
    static var binary: URL {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("cityloop"),
            root.appendingPathComponent(".build/debug/cityloop"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[1]
    }

    /// Runs `cityloop` with arguments to completion; returns exit status and output.
    static func run(_ args: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try spawning { try p.run() }
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: out, as: UTF8.self))
    }

    convenience init(data: URL, port: Int, extra: [String] = []) throws {
        try self.init(
            data: data, port: port,
            arguments: ["serve", "--demo", "--data", data.path, "--port", String(port), "--demo-password", "kill-test-pw"] + extra)
    }

    /// Starts `cityloop` with exactly these arguments (and extra environment), expecting it to listen on `port`.
    init(data: URL, port: Int, arguments: [String], environment: [String: String] = [:]) throws {
        self.port = port
        self.data = data
        log = data.appendingPathComponent("server-\(port).log")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try Self.spawning { try process.run() }
    }

    /// Starts processes one at a time: Foundation's `Process.run()` crashed (a bad pointer in its memcpy) when two
    /// tests started processes at the same moment.
    static func spawning(_ start: () throws -> Void) throws {
        try spawnLock.withLock { try start() }
    }

    private static let spawnLock = NSLock()

    var base: String { "http://127.0.0.1:\(port)" }

    /// Waits until GET /health answers 200.
    func waitReady(_ client: HTTPClient, seconds: Double = 240) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if !process.isRunning {
                throw TestFailure("server exited: " + ((try? String(contentsOf: log, encoding: .utf8)) ?? ""))
            }
            if let res = try? await client.execute(HTTPClientRequest(url: base + "/health"), timeout: .seconds(2)), res.status == .ok { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestFailure("server did not become ready")
    }

    /// Kills the process with SIGKILL and waits for it.
    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Stops the process politely.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// A port free now, as the system hands one out: a port picked at random could be one an outgoing connection of
    /// another test holds (the range overlaps the ephemeral ports), and the server would then fail to bind.
    static func randomPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return Int.random(in: 20_000...30_000) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { return Int.random(in: 20_000...30_000) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Waits until `condition` holds, checking every 20 ms, for at most `seconds` (generous: CI's machine may be busy).
func waitFor(_ what: String, seconds: Double = 60, _ condition: () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while try await !condition() {
        if Date() > deadline { throw TestFailure("timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Small JSON-over-HTTP helpers.
enum HTTP {
    static func post(_ client: HTTPClient, _ url: String, token: String?, json: String) async throws -> (Int, [String: Any]) {
        var req = HTTPClientRequest(url: url)
        req.method = .POST
        req.headers.add(name: "Content-Type", value: "application/json")
        if let token { req.headers.add(name: "Authorization", value: "Bearer \(token)") }
        req.body = .bytes(ByteBuffer(string: json))
        let res = try await client.execute(req, timeout: .seconds(300))
        let body = try await res.body.collect(upTo: 1 << 22)
        let obj = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
        return (Int(res.status.code), obj)
    }

    /// Sends a body of any type; the status and the body's text.
    static func send(
        _ client: HTTPClient, _ url: String, get: Bool = false, contentType: String? = nil, body: String? = nil, token: String? = nil
    ) async throws -> (Int, String) {
        var req = HTTPClientRequest(url: url)
        req.method = get ? .GET : .POST
        if let token { req.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let contentType { req.headers.add(name: "Content-Type", value: contentType) }
        if let body { req.body = .bytes(ByteBuffer(string: body)) }
        let res = try await client.execute(req, timeout: .seconds(300))
        let data = try await res.body.collect(upTo: 1 << 22)
        return (Int(res.status.code), String(buffer: data))
    }

    static func login(_ client: HTTPClient, _ base: String, _ user: String, _ password: String) async throws -> String {
        let (status, obj) = try await post(client, base + "/api/v1/auth/login", token: nil, json: #"{"username":"\#(user)","password":"\#(password)"}"#)
        guard status == 200, let token = obj["token"] as? String else { throw TestFailure("login failed: \(status)") }
        return token
    }
}
