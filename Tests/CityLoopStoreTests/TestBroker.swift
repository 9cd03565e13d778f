import Foundation
import Testing

/// A real Mosquitto broker (Debian's, installed by scripts/bootstrap) on a free loopback port and a folder of its
/// own, with persistence on: started for a test, restarted and stopped by it.
final class TestBroker: @unchecked Sendable {
    let folder: URL
    let port: Int
    private var process: Process?

    var url: String { "mqtt://127.0.0.1:\(port)" }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-mqtt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        port = try Self.freePort()
        let user = ProcessInfo.processInfo.environment["USER"] ?? (getuid() == 0 ? "root" : NSUserName())
        try """
            listener \(port) 127.0.0.1
            allow_anonymous true
            persistence true
            persistence_location \(folder.path)/
            autosave_interval 1
            max_queued_messages 1000000
            max_packet_size 1048576
            log_dest file \(folder.path)/mosquitto.log
            user \(user)

            """.write(to: folder.appendingPathComponent("mosquitto.conf"), atomically: true, encoding: .utf8)
    }

    /// Starts the broker and waits until it takes connections.
    func start() async throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/sbin/mosquitto")
        p.arguments = ["-c", folder.appendingPathComponent("mosquitto.conf").path]
        try p.run()
        process = p
        try await waitUntil("the broker takes connections on \(port)") { Self.accepts(self.port) }
    }

    /// Kills the broker (SIGKILL, as a crash: a process started from a Swift thread inherits a signal mask that
    /// blocks SIGTERM) and waits for it to exit. What it saved (every second) is there when it starts again.
    func stop() async throws {
        guard let p = process else { return }
        kill(p.processIdentifier, SIGKILL)
        try await waitUntil("the broker exits") { !p.isRunning }
        process = nil
    }

    deinit {
        if let p = process, p.isRunning {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
        if ProcessInfo.processInfo.environment["CITYLOOP_KEEP_BROKER"] == nil { try? FileManager.default.removeItem(at: folder) }
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
    }
}

/// Waits until `condition` holds, checking every 50 ms, for at most `seconds` (generous: the machine may be busy).
func waitUntil(_ what: String, seconds: Double = 120, _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw TestTimeout(what: what)
}

struct TestTimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}
