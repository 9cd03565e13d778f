import CityLoopMQTT
import Foundation
import Testing

/// A real Mosquitto broker (Debian's, installed by scripts/bootstrap) on a free loopback port, persistence on.
typealias TestBroker = MosquittoProcess

extension MosquittoProcess {
    /// A broker for a test; CITYLOOP_KEEP_BROKER keeps its folder (log, saved sessions) for a look afterwards.
    convenience init() throws { try self.init(keepFolder: ProcessInfo.processInfo.environment["CITYLOOP_KEEP_BROKER"] != nil) }
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
