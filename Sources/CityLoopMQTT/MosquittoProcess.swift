import Foundation

/// A private Mosquitto broker (Debian's `/usr/sbin/mosquitto`) on a free loopback port and a folder of its own,
/// persistence on: for the tests and the IoT benchmark, which start, kill, restart and stop it.
public final class MosquittoProcess: @unchecked Sendable {
    public let folder: URL
    public let port: Int
    private var process: Process?
    private let keep: Bool

    /// The broker's `mqtt://` URL.
    public var url: String { "mqtt://127.0.0.1:\(port)" }

    /// Prepares a broker (not started); `keepFolder` leaves its folder (log, saved sessions) when it is gone. With
    /// `auth` (texts of a password file and an ACL, as `cityloop mqtt-auth` writes them) it lets no one in anonymously.
    public init(keepFolder: Bool = false, auth: (passwords: String, acl: String)? = nil) throws {
        keep = keepFolder
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-mqtt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        port = try Self.freePort()
        let user = getuid() == 0 ? "root" : (ProcessInfo.processInfo.environment["USER"] ?? NSUserName())
        var access = "allow_anonymous true"
        if let auth {
            let (passwords, acl) = (folder.appendingPathComponent("passwords"), folder.appendingPathComponent("acl"))
            try auth.passwords.write(to: passwords, atomically: true, encoding: .utf8)
            try auth.acl.write(to: acl, atomically: true, encoding: .utf8)
            access = "allow_anonymous false\npassword_file \(passwords.path)\nacl_file \(acl.path)"
        }
        try """
            listener \(port) 127.0.0.1
            \(access)
            persistence true
            persistence_location \(folder.path)/
            autosave_interval 1
            max_queued_messages 1000000
            max_inflight_messages 0
            max_packet_size \(MQTTOptions.maxPayload)
            log_dest file \(folder.path)/mosquitto.log
            user \(user)

            """.write(to: folder.appendingPathComponent("mosquitto.conf"), atomically: true, encoding: .utf8)
    }

    /// Starts the broker and waits (up to two minutes) until it takes connections.
    public func start() async throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/sbin/mosquitto")
        p.arguments = ["-c", folder.appendingPathComponent("mosquitto.conf").path]
        try p.run()
        process = p
        let deadline = Date().addingTimeInterval(120)
        while !Self.accepts(port) {
            guard Date() < deadline, p.isRunning else { throw MQTTError(code: -1, operation: "start mosquitto on port \(port)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Kills the broker as a crash would (SIGKILL: a process started from a Swift thread inherits a signal mask that
    /// blocks SIGTERM) and waits for it to exit. What it saved (every second) is there when it starts again.
    public func stop() async throws {
        guard let p = process else { return }
        kill(p.processIdentifier, SIGKILL)
        let deadline = Date().addingTimeInterval(120)
        while p.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        process = nil
    }

    deinit {
        if let p = process, p.isRunning {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
        if !keep { try? FileManager.default.removeItem(at: folder) }
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
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
