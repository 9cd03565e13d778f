import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A chromedriver process on a free loopback port, and the Chromium sessions opened through it.
///
/// ```swift
/// let driver = try await ChromeDriver.start()
/// let browser = try await driver.newSession(BrowserOptions(width: 1440, height: 900))
/// try await browser.navigate(to: "http://127.0.0.1:8080/#/login")
/// …
/// await driver.stop()   // quits the sessions still open, stops chromedriver and waits for it
/// ```
public final class ChromeDriver: Sendable {
    /// The Chromium binary sessions are started with.
    public let chromium: String
    /// The chromedriver binary.
    public let driverPath: String
    /// The loopback port chromedriver listens on.
    public let port: Int
    /// chromedriver's address, `http://127.0.0.1:PORT`.
    public let endpoint: URL
    /// The temporary folder holding chromedriver's log and the sessions' fresh profiles; removed by `stop()`.
    public let workFolder: URL
    /// chromedriver's own output (and Chromium's, which it passes on).
    public let logFile: URL

    private let process: Process
    let transport: WebDriverTransport
    private let open = Locked<[String: URL]>([:])
    private let profileCounter = Locked(0)

    /// The usual Debian paths.
    public static let defaultChromium = "/usr/bin/chromium"
    /// The usual Debian path of chromedriver.
    public static let defaultDriver = "/usr/bin/chromedriver"

    /// Whether both binaries exist and are executable.
    public static func isAvailable(chromium: String = defaultChromium, driver: String = defaultDriver) -> Bool {
        FileManager.default.isExecutableFile(atPath: chromium) && FileManager.default.isExecutableFile(atPath: driver)
    }

    private init(chromium: String, driver: String, port: Int, process: Process, workFolder: URL, logFile: URL) {
        self.chromium = chromium
        driverPath = driver
        self.port = port
        self.process = process
        self.workFolder = workFolder
        self.logFile = logFile
        endpoint = URL(string: "http://127.0.0.1:\(port)")!
        transport = WebDriverTransport(port: port)
    }

    /// Launches chromedriver (`--port=N` on a free loopback port) as a child process and waits until its
    /// `GET /status` says it is ready. Throws `WebDriverError` (`driver unavailable`) when a binary is missing or
    /// chromedriver does not become ready within `timeout`.
    public static func start(
        chromium: String = defaultChromium, driver: String = defaultDriver, timeout: Duration = .seconds(30)
    ) async throws -> ChromeDriver {
        for path in [chromium, driver] where !FileManager.default.isExecutableFile(atPath: path) {
            throw WebDriverError(code: WebDriverError.driverUnavailable, message: "\(path) is missing or not executable")
        }
        var lastProblem = ""
        for _ in 0..<3 {
            let port = try freePort()
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-chromedriver-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let log = folder.appendingPathComponent("chromedriver.log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: driver)
            process.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            process.standardInput = FileHandle.nullDevice
            try process.run()
            try? handle.close()
            let instance = ChromeDriver(chromium: chromium, driver: driver, port: port, process: process, workFolder: folder, logFile: log)
            let clock = ContinuousClock()
            let deadline = clock.now + timeout
            while clock.now < deadline, process.isRunning {
                if let status = try? await instance.transport.send("GET", "status", timeout: 2), status["ready"]?.bool == true {
                    return instance
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            lastProblem = process.isRunning
                ? "chromedriver did not become ready on port \(port) within \(timeout)"
                : "chromedriver exited with status \(process.terminationStatus): \(instance.logText().suffix(600))"
            await instance.stop()
        }
        throw WebDriverError(code: WebDriverError.driverUnavailable, message: lastProblem)
    }

    /// Whether chromedriver is still running.
    public var isRunning: Bool { process.isRunning }

    /// chromedriver's output so far.
    public func logText() -> String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }

    /// Starts a new Chromium (headless unless the options say otherwise) with a fresh profile, and answers its session.
    public func newSession(_ options: BrowserOptions = BrowserOptions()) async throws -> BrowserSession {
        let n = profileCounter.withLock { n -> Int in
            n += 1
            return n
        }
        let profile = workFolder.appendingPathComponent("profile-\(n)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        let capabilities = options.capabilities(chromium: chromium, profile: profile.path)
        let reply = try await transport.send("POST", "session", ["capabilities": ["alwaysMatch": capabilities]], timeout: 120)
        guard let id = reply["sessionId"]?.string else {
            throw WebDriverError(code: WebDriverError.sessionNotCreated, message: "no session id in \(reply)")
        }
        open.withLock { $0[id] = profile }
        let session = BrowserSession(id: id, options: options, transport: transport, capabilities: reply["capabilities"] ?? .null) { [open] id in
            if let profile = open.withLock({ $0.removeValue(forKey: id) }) {
                try? FileManager.default.removeItem(at: profile)
            }
        }
        if !options.mobile {
            do {
                try await session.setViewportSize(width: options.width, height: options.height)
            } catch {
                await session.quit()
                throw error
            }
        }
        return session
    }

    /// The IDs of the sessions not quit yet.
    public var openSessions: [String] { open.withLock { Array($0.keys) } }

    /// Quits every session still open, stops chromedriver (`/shutdown`, then SIGTERM, then SIGKILL), waits for it to
    /// exit and removes the temporary folder. Safe to call twice.
    public func stop() async {
        for id in openSessions {
            _ = try? await transport.send("DELETE", "session/\(id)", timeout: 15)
            open.withLock { _ = $0.removeValue(forKey: id) }
        }
        if process.isRunning {
            _ = try? await transport.send("GET", "shutdown", timeout: 3)
            await waitForExit(within: .seconds(3))
        }
        if process.isRunning {
            process.terminate()
            await waitForExit(within: .seconds(3))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        if process.processIdentifier != 0 { process.waitUntilExit() }
        try? FileManager.default.removeItem(at: workFolder)
    }

    private func waitForExit(within limit: Duration) async {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while process.isRunning, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    deinit {
        // A safety net for a driver nobody stopped: never leave chromedriver running.
        if process.isRunning { process.terminate() }
    }

    /// A port on 127.0.0.1 that was free a moment ago (bound to port 0 and released): for chromedriver, and for
    /// servers a test starts beside it.
    public static func freePort() throws -> Int {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw WebDriverError(code: WebDriverError.driverUnavailable, message: "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var addr = sockaddr_in()
        #if canImport(Darwin)
        addr.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw WebDriverError(code: WebDriverError.driverUnavailable, message: "bind() failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw WebDriverError(code: WebDriverError.driverUnavailable, message: "getsockname() failed: errno \(errno)") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
