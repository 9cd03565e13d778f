import CityLoopDomain
import CityLoopServices
import Logging
import NIOCore

/// One terminal's TCP connection, on its event loop: bytes are cut into frames, each goes through the connection's
/// `JT808Session`, and the replies are written. Positions are handed to the node's `VehicleIngest` without a task per
/// frame, and each acknowledgement is written from the ingest's completion once the batch holding it is stored:
/// thousands of terminals cost a few event-loop hops a batch instead of several task switches a frame. A frame
/// that needs the registry (registration, authentication) holds the frames after it until it is answered, and at most
/// `inFlightLimit` unacknowledged location frames are taken from a terminal: past them, and while a frame waits for
/// the registry, the connection is not read (back-pressure), so one connection holds at most one read of bytes.
final class JT808Connection: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Location frames of one terminal being stored at once.
    static let inFlightLimit = 32

    private let registry: TerminalRegistry
    private let ingest: VehicleIngest
    private let counters: JT808Counters
    private let authenticationTimeout: TimeAmount
    private let logger: Logger
    private var session: JT808Session
    private var splitter = JT808FrameSplitter()
    private var context: ChannelHandlerContext?
    private var unauthenticated: Scheduled<Void>?
    /// A frame waiting for the registry: no frame after it is taken meanwhile.
    private var waitingForRegistry = false
    /// Location frames handed to the ingest and not answered yet.
    private var inFlight = 0
    /// The connection is to be closed, once the answers still owed are written.
    private var closing: String?
    /// Replies to send just before closing (a logout's), after the acknowledgements still owed.
    private var lastReplies: [[UInt8]] = []
    /// The pipeline asked to read while the connection was held.
    private var readRequested = false
    private var wroteSinceFlush = false

    init(registry: TerminalRegistry, ingest: VehicleIngest, counters: JT808Counters, authenticationTimeout: TimeAmount, logger: Logger) {
        self.registry = registry
        self.ingest = ingest
        self.counters = counters
        self.authenticationTimeout = authenticationTimeout
        self.logger = logger
        session = JT808Session(counters: counters)
    }

    private var held: Bool { waitingForRegistry || inFlight >= Self.inFlightLimit || closing != nil }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelActive(context: ChannelHandlerContext) {
        counters.connection(1)
        let channel = context.channel
        unauthenticated = context.eventLoop.scheduleTask(in: authenticationTimeout) { channel.close(promise: nil) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        counters.connection(-1)
        unauthenticated?.cancel()
        unauthenticated = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        splitter.append(unwrapInboundIn(data).readableBytesView)
        takeFrames()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfWritten()
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if held { readRequested = true } else { context.read() }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is JT808Shutdown else { return context.fireUserInboundEventTriggered(event) }
        close("server shutting down")
        closeIfDone()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("JT/T 808 connection of \(session.terminalPhone ?? "?") failed: \(error)")
        context.close(promise: nil)
    }

    /// Takes the frames read so far, as long as the connection is not held.
    private func takeFrames() {
        guard let loop = context?.eventLoop else { return }
        while !held {
            let content: [UInt8]
            do throws(JT808Error) {
                guard let next = try splitter.next() else { break }
                content = next
            } catch {
                if case .close(let reason) = session.refused(error) { close(reason) }
                continue
            }
            switch session.receive(frameContent: content) {
            case .reply(let replies, let next):
                if case .close(let reason) = next {
                    // The acknowledgements of positions still being stored go out first.
                    lastReplies += replies
                    close(reason)
                } else {
                    for r in replies { write(r) }
                }
            case .register(let header):
                waitingForRegistry = true
                askRegistry { [registry] in try await registry.register(terminalPhone: header.phoneNumber) } then: { connection, outcome in
                    connection.write(connection.session.registered(try? outcome.get(), to: header))
                }
            case .authenticate(let header, let code):
                waitingForRegistry = true
                askRegistry { [registry] in try await registry.authenticate(terminalPhone: header.phoneNumber, authCode: code) } then: { connection, outcome in
                    let (reply, next) = connection.session.authenticated(outcome, to: header)
                    connection.write(reply)
                    if connection.session.vehicle != nil {
                        connection.unauthenticated?.cancel()
                        connection.unauthenticated = nil
                    }
                    if case .close(let reason) = next { connection.close(reason) }
                }
            case .store(let positions, let header):
                inFlight += 1
                let started = ContinuousClock.now
                let me = NIOLoopBound(self, eventLoop: loop)
                ingest.submit(positions) { error in
                    loop.execute {
                        let connection = me.value
                        connection.inFlight -= 1
                        let took = ContinuousClock.now - started
                        connection.counters.record(latency: Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18)
                        connection.write(connection.session.stored(error == nil, count: positions.count, to: header))
                        connection.flushIfWritten()
                        connection.resume()
                    }
                }
            }
        }
        flushIfWritten()
        closeIfDone()
    }

    /// Runs `work` against the registry off the event loop, then `answer` on it, and goes on with the frames after.
    private func askRegistry<T: Sendable>(
        _ work: @escaping @Sendable () async throws -> T, then answer: @escaping (JT808Connection, Result<T, any Error>) -> Void
    ) {
        guard let loop = context?.eventLoop else { return }
        let me = NIOLoopBound(self, eventLoop: loop)
        let answerBound = NIOLoopBound(answer, eventLoop: loop)
        Task {
            let outcome: Result<T, any Error>
            do { outcome = .success(try await work()) } catch { outcome = .failure(error) }
            loop.execute {
                let connection = me.value
                connection.waitingForRegistry = false
                answerBound.value(connection, outcome)
                connection.flushIfWritten()
                connection.resume()
            }
        }
    }

    /// Goes on after an answer: the frames already read, then reading again if the pipeline asked to.
    private func resume() {
        takeFrames()
        if !held, readRequested, let context {
            readRequested = false
            context.read()
        }
    }

    private func write(_ frame: [UInt8]) {
        guard !frame.isEmpty, let context else { return }
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: frame)), promise: nil)
        wroteSinceFlush = true
    }

    private func flushIfWritten() {
        guard wroteSinceFlush, let context else { return }
        wroteSinceFlush = false
        context.flush()
    }

    private func close(_ reason: String) {
        if closing == nil {
            logger.debug("JT/T 808 connection of \(session.terminalPhone ?? "?") closing: \(reason)")
            closing = reason
        }
    }

    /// Closes a connection marked to close once nothing is owed to the terminal any more.
    private func closeIfDone() {
        guard closing != nil, !waitingForRegistry, inFlight == 0, let context else { return }
        for r in lastReplies { write(r) }
        lastReplies = []
        flushIfWritten()
        context.close(promise: nil)
    }
}

/// Asks a connection to close once the answers it owes are written (the server is shutting down).
struct JT808Shutdown {}
