import CityLoopDomain
import Foundation
import NIOCore
import NIOPosix

/// What a reporting terminal sends, and when.
public protocol JT808ReportPlan: Sendable {
    /// When report `n` (0, 1, 2, …) is due; nil: the terminal is done and signs off.
    func time(of n: Int) -> Date?
    /// Report `n`, sent at `now`.
    func location(_ n: Int, now: Date) throws -> JT808Location
}

/// A terminal that signs in and reports on its own schedule over a real TCP connection, driven entirely on an event
/// loop (a timer and a handler, no task): the vehicle simulator runs thousands of them in one process without the
/// load generator taking the CPU the server under test needs. Each report waits for the platform's answer before the
/// next one is scheduled, as a terminal's does.
public final class JT808ReportingTerminal: ChannelInboundHandler {
    public typealias InboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private enum State { case registering, authenticating, reporting }

    private let phone: String
    private let version: JT808Version
    private let registration: JT808Registration
    private let plan: any JT808ReportPlan
    private let finished: EventLoopPromise<Int>
    private var state = State.registering
    private var splitter = JT808FrameSplitter()
    private var serial: UInt16 = 0
    private var next = 0
    private var acknowledged = 0
    private var timer: Scheduled<Void>?

    private init(phone: String, version: JT808Version, registration: JT808Registration, plan: any JT808ReportPlan, finished: EventLoopPromise<Int>) {
        self.phone = phone
        self.version = version
        self.registration = registration
        self.plan = plan
        self.finished = finished
    }

    /// Connects after `delay`, signs in and reports as `plan` says until it is done or the connection closes; the
    /// future gives the reports the platform acknowledged (a failed connection: 0).
    public static func start(
        host: String, port: Int, phone: String, version: JT808Version, registration: JT808Registration, plan: any JT808ReportPlan,
        after delay: TimeAmount = .zero, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) -> EventLoopFuture<Int> {
        let loop = group.next()
        let finished = loop.makePromise(of: Int.self)
        loop.scheduleTask(in: delay) {
            // Each connection attempt (a host with several addresses makes several) has a terminal of its own; the
            // answer is the one of the connection that was made.
            ClientBootstrap(group: loop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            JT808ReportingTerminal(
                                phone: phone, version: version, registration: registration, plan: plan, finished: channel.eventLoop.makePromise()))
                    }
                }
                .connect(host: host, port: port)
                .flatMap { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.handler(type: JT808ReportingTerminal.self) }
                        .flatMap { $0.finished.futureResult }
                }
                .whenComplete { finished.succeed((try? $0.get()) ?? 0) }
        }
        return finished.futureResult
    }

    public func channelActive(context: ChannelHandlerContext) {
        send(.registration(registration), context: context)
        context.fireChannelActive()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        finished.succeed(acknowledged)
        context.fireChannelInactive()
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        splitter.append(unwrapInboundIn(data).readableBytesView)
        do {
            while let content = try splitter.next() {
                answered(try JT808Frame.decode(content).decodeMessage(), context: context)
            }
        } catch {
            context.close(promise: nil)
        }
    }

    private func answered(_ message: JT808Message, context: ChannelHandlerContext) {
        switch (state, message) {
        case (.registering, .registrationReply(let r)) where r.result == .success:
            state = .authenticating
            send(.authentication(JT808Authentication(authCode: r.authCode)), context: context)
        case (.authenticating, .platformGeneralReply(let r)) where r.result == .success:
            state = .reporting
            scheduleReport(context: context)
        case (.reporting, .platformGeneralReply(let r)):
            if r.result == .success { acknowledged += 1 }
            scheduleReport(context: context)
        default:
            context.close(promise: nil)
        }
    }

    private func scheduleReport(context: ChannelHandlerContext) {
        guard let at = plan.time(of: next) else {
            context.close(promise: nil)
            return
        }
        let wait = at.timeIntervalSinceNow
        guard wait > 0 else { return report(context: context) }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: .nanoseconds(Int64(wait * 1e9))) { bound.value.0.report(context: bound.value.1) }
    }

    private func report(context: ChannelHandlerContext) {
        do {
            let location = try plan.location(next, now: Date())
            next += 1
            send(.locationReport(location), context: context)
        } catch {
            context.close(promise: nil)
        }
    }

    private func send(_ message: JT808Message, context: ChannelHandlerContext) {
        serial &+= 1
        guard let bytes = try? JT808Frame(message: message, phoneNumber: phone, serialNumber: serial, version: version).encode() else {
            return context.close(promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
    }
}
