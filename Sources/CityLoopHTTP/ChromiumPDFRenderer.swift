import CityLoopServices
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Prints HTML to PDF with Debian's headless Chromium run as a child process
/// (`chromium --headless --print-to-pdf=OUT --no-pdf-header-footer file:///…/report.html`), in a temporary folder
/// with a fresh profile that is removed afterwards. A missing Chromium is `PDFRenderError.unavailable`; a failure
/// or a run past `timeout` (the process is then killed) is `.failed`.
public struct ChromiumPDFRenderer: PDFRenderer {
    /// The Chromium binary.
    public var executable: String
    /// How long one print may take.
    public var timeout: Duration

    /// Debian's path of Chromium (`scripts/bootstrap` installs it).
    public static let defaultExecutable = "/usr/bin/chromium"

    /// Creates the renderer.
    public init(executable: String = defaultExecutable, timeout: Duration = .seconds(90)) {
        self.executable = executable
        self.timeout = timeout
    }

    /// Whether the binary is there.
    public var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    /// The PDF of `html`.
    public func pdf(html: String) async throws -> Data {
        guard isAvailable else {
            throw PDFRenderError(.unavailable, "PDF printing needs Chromium at \(executable); install it with scripts/bootstrap (Debian package chromium)")
        }
        let fm = FileManager.default
        let folder = fm.temporaryDirectory.appendingPathComponent("cityloop-pdf-\(UUID().uuidString)")
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: folder) }
        let page = folder.appendingPathComponent("report.html")
        let out = folder.appendingPathComponent("report.pdf")
        let log = folder.appendingPathComponent("chromium.log")
        try Data(html.utf8).write(to: page)
        _ = fm.createFile(atPath: log.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments(profile: folder.appendingPathComponent("profile").path, output: out.path) + [page.absoluteString]
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw PDFRenderError(.unavailable, "Chromium at \(executable) could not be started: \(error)")
        }
        let finished = await Self.wait(for: process, within: timeout)
        if !finished {
            await Self.stop(process)
            throw PDFRenderError(.failed, "Chromium took longer than \(timeout) to print the report")
        }
        guard let pdf = try? Data(contentsOf: out), pdf.starts(with: Array("%PDF".utf8)) else {
            let said = (try? String(contentsOf: log, encoding: .utf8)).map { String($0.suffix(400)) } ?? ""
            throw PDFRenderError(.failed, "Chromium exited with status \(process.terminationStatus) without a PDF: \(said)")
        }
        return pdf
    }

    /// The command line, without the page's URL.
    func arguments(profile: String, output: String) -> [String] {
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=\(profile)", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--disable-background-networking", "--disable-sync",
            "--disable-component-update", "--mute-audio", "--hide-scrollbars", "--no-pdf-header-footer", "--print-to-pdf=\(output)",
        ]
    }

    /// Waits until the process exits; false when it still runs after `limit` or the task was cancelled.
    static func wait(for process: Process, within limit: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while process.isRunning {
            guard clock.now < deadline, !Task.isCancelled else { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }

    /// Ends a process that overran: SIGTERM, then SIGKILL, and reaps it.
    static func stop(_ process: Process) async {
        process.terminate()
        if await !wait(for: process, within: .seconds(3)) { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
