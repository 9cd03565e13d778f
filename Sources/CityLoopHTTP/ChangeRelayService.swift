import CityLoopServices
import ServiceLifecycle

/// The node's end of the change bus as a service: sends what changes here, applies what other nodes send
/// (reference data, cached sign-ins, live items), on every node whatever its role, until shutdown.
public struct ChangeRelayService: Service {
    let platform: Platform

    /// Creates the service.
    public init(platform: Platform) { self.platform = platform }

    /// Relays until a graceful shutdown or cancellation (with no bus, one node alone, it only waits for it: a
    /// service that returns early would stop the whole group).
    public func run() async throws {
        let platform = self.platform
        guard platform.changes.isShared else {
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown { await platform.changes.run { await platform.apply($0) } }
    }
}
