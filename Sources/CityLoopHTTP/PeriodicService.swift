import Logging
import ServiceLifecycle

/// Background work that runs on a schedule as a ServiceLifecycle service beside the HTTP server: `work` after
/// `initialDelay` and then every `interval`, until the service group shuts down gracefully (the server has stopped
/// taking requests and drained), then `atShutdown` once. A node's background loops are explicit services so a
/// deployment sees, starts and stops them (and, with several nodes, gives them to one).
public struct PeriodicService: Service {
    /// What the loop does, for the log.
    public let name: String
    let initialDelay: Duration
    let interval: Duration
    let work: @Sendable () async -> Void
    let atShutdown: (@Sendable () async -> Void)?

    /// Creates the service.
    public init(
        _ name: String, initialDelay: Duration = .zero, every interval: Duration, atShutdown: (@Sendable () async -> Void)? = nil,
        work: @escaping @Sendable () async -> Void
    ) {
        self.name = name
        self.initialDelay = initialDelay
        self.interval = interval
        self.work = work
        self.atShutdown = atShutdown
    }

    /// Runs the loop until a graceful shutdown or cancellation, then the shutdown work.
    public func run() async throws {
        let (initialDelay, interval, work) = (self.initialDelay, self.interval, self.work)
        await cancelWhenGracefulShutdown {
            if initialDelay > .zero { try? await Task.sleep(for: initialDelay) }
            while !Task.isCancelled {
                await work()
                try? await Task.sleep(for: interval)
            }
        }
        if let atShutdown { await atShutdown() }
    }
}
