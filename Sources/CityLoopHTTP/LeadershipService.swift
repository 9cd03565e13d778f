import CityLoopServices
import ServiceLifecycle

/// Takes and keeps this node's lead of the once-per-city tasks (every `Leadership.attemptInterval`) on a node that
/// runs background work, and gives them up at a graceful shutdown, after the led services have finished, so another
/// node takes them at its next attempt instead of waiting for this one's session to end.
public struct LeadershipService: Service {
    let leadership: Leadership

    /// Creates the service.
    public init(leadership: Leadership) { self.leadership = leadership }

    /// Attempts until a graceful shutdown or cancellation, then resigns.
    public func run() async throws {
        let leadership = self.leadership
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await leadership.attempt()
                try? await Task.sleep(for: Leadership.attemptInterval)
            }
        }
        await leadership.resignAll()
    }
}
