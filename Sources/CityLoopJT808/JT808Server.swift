import CityLoopDomain
import CityLoopServices
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The JT/T 808 server (车载终端接入): a TCP port where vehicle terminals connect, register, authenticate and report
/// positions. Each connection is a `JT808Session`; frames are split as they arrive (`JT808FrameSplitter`, bounded, so a
/// client cannot make the server hold more than one frame's bytes). Runs as a service until shutdown; the bound port is
/// in `port` once it listens (ask for port 0 in tests).
public struct JT808Server: Service {
    private let host: String
    private let requestedPort: Int
    private let registry: TerminalRegistry
    private let ingest: VehicleIngest
    /// What the server has seen (per node).
    public let counters: JT808Counters
    private let bound = BoundPort()
    private let logger: Logger
    /// How long a connection may stay without authenticating before it is closed: connections that never sign in
    /// cannot pile up.
    public let authenticationTimeout: TimeAmount
    /// How long a connection may stay silent before it is closed (terminals send a heartbeat every minute by default).
    public let idleTimeout: TimeAmount

    /// Creates a server for `platform`'s vehicles on `host:port`.
    public init(
        platform: Platform, host: String, port: Int, counters: JT808Counters = JT808Counters(), authenticationTimeout: TimeAmount = .seconds(60),
        idleTimeout: TimeAmount = .seconds(180), logger: Logger = Logger(label: "cityloop.jt808")
    ) {
        self.host = host
        requestedPort = port
        registry = TerminalRegistry(store: platform.store)
        ingest = platform.vehicleIngest
        self.counters = counters
        self.authenticationTimeout = authenticationTimeout
        self.idleTimeout = idleTimeout
        self.logger = logger
    }

    /// The port it listens on; waits until it does.
    public var port: Int {
        get async { await bound.value() }
    }

    /// Listens and serves connections until the service is cancelled or shut down; then closes the terminals'
    /// connections (each after the answers it is owed are written).
    public func run() async throws {
        let connections = OpenChannels()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [registry, ingest, counters, authenticationTimeout, idleTimeout, logger] channel in
                connections.insert(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(readTimeout: idleTimeout), CloseWhenIdle(),
                        JT808Connection(
                            registry: registry, ingest: ingest, counters: counters, authenticationTimeout: authenticationTimeout, logger: logger),
                    ])
                }
            }
            .bind(host: host, port: requestedPort).get()
        let port = server.localAddress?.port ?? requestedPort
        await bound.set(port)
        logger.info("JT/T 808 terminals on \(host):\(port)")
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                try? await server.closeFuture.get()
            } onGracefulShutdown: {
                server.close(promise: nil)
            }
        } onCancel: {
            server.close(promise: nil)
        }
        await connections.closeAll()
    }
}

/// The connections a server has open, so they are closed when it stops.
final class OpenChannels: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    func insert(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        channels.withLock { $0[id] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in self?.channels.withLock { _ = $0.removeValue(forKey: id) } }
    }

    /// Asks every connection to close once the answers it owes are written, and waits for them (closing any still
    /// open after `grace`).
    func closeAll(grace: TimeAmount = .seconds(10)) async {
        let open = channels.withLock { Array($0.values) }
        for channel in open {
            channel.pipeline.fireUserInboundEventTriggered(JT808Shutdown())
            channel.eventLoop.scheduleTask(in: grace) { channel.close(promise: nil) }
        }
        for channel in open { try? await channel.closeFuture.get() }
    }
}

/// Closes a connection when its `IdleStateHandler` says nothing was read for its time.
final class CloseWhenIdle: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

/// The port a server bound, awaited by those who need it.
actor BoundPort {
    private var port: Int?
    private var waiting: [CheckedContinuation<Int, Never>] = []

    func set(_ p: Int) {
        port = p
        for w in waiting { w.resume(returning: p) }
        waiting = []
    }

    func value() async -> Int {
        if let port { return port }
        return await withCheckedContinuation { waiting.append($0) }
    }
}
