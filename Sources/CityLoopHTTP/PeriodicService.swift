import CityLoopServices
import Logging
import ServiceLifecycle

/// Background work that runs on a schedule as a ServiceLifecycle service beside the HTTP server: `work` after
/// `initialDelay` and then every `interval`, until the service group shuts down gracefully (the server has stopped
/// taking requests and drained), then `atShutdown` once. A node's background loops are explicit services so a
/// deployment sees, starts and stops them (and, with several nodes, gives them to one). Work that must run once per
/// city is led: it runs only while this node leads the task named `name`, at once when it takes the lead.
public struct PeriodicService: Service {
    /// What the loop does, for the log; the task's name when it is led.
    public let name: String
    let initialDelay: Duration
    let interval: Duration
    let leadership: Leadership?
    let work: @Sendable () async -> Void
    let atShutdown: (@Sendable () async -> Void)?

    /// Creates the service; with `leadership`, the work runs only while this node leads the task `name`.
    public init(
        _ name: String, initialDelay: Duration = .zero, every interval: Duration, ledBy leadership: Leadership? = nil,
        atShutdown: (@Sendable () async -> Void)? = nil, work: @escaping @Sendable () async -> Void
    ) {
        self.name = name
        self.initialDelay = initialDelay
        self.interval = interval
        self.leadership = leadership
        self.work = work
        self.atShutdown = atShutdown
        leadership?.register(name)
    }

    /// Whether this node may run the work now.
    var mayRun: Bool { leadership?.leads(name) ?? true }

    /// Runs the loop until a graceful shutdown or cancellation, then the shutdown work (when this node still leads).
    public func run() async throws {
        let (initialDelay, interval, work) = (self.initialDelay, self.interval, self.work)
        let service = self
        await cancelWhenGracefulShutdown {
            if initialDelay > .zero { try? await Task.sleep(for: initialDelay) }
            while !Task.isCancelled {
                guard service.mayRun else {
                    try? await Task.sleep(for: min(interval, .seconds(1)))
                    continue
                }
                await work()
                try? await Task.sleep(for: interval)
            }
        }
        if let atShutdown, mayRun { await atShutdown() }
    }
}
