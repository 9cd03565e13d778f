import CityLoopDomain
import Foundation
import NIOCore
import NIOPosix

/// A vehicle terminal over a real TCP connection (车载终端): sends messages and reads the platform's replies. The
/// vehicle simulator drives trucks with it, and the tests play terminals with it.
public final class JT808Terminal: @unchecked Sendable {
    /// The terminal's phone number.
    public let phone: String
    /// The protocol version it speaks.
    public let version: JT808Version
    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var splitter = JT808FrameSplitter()
    private var serial: UInt16 = 0

    private init(phone: String, version: JT808Version, inbound: NIOAsyncChannelInboundStream<ByteBuffer>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.phone = phone
        self.version = version
        iterator = inbound.makeAsyncIterator()
        self.outbound = outbound
    }

    /// Connects to the server at `host:port` and runs `body` with the terminal; the connection is closed after it,
    /// or after `deadline` (a wait for a reply that never comes then fails instead of hanging).
    public static func connect<T: Sendable>(
        host: String = "127.0.0.1", port: Int, phone: String, version: JT808Version, deadline: TimeAmount = .seconds(120),
        _ body: (JT808Terminal) async throws -> T
    ) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: host, port: port) { channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
        let timer = channel.channel.eventLoop.scheduleTask(in: deadline) { channel.channel.close(promise: nil) }
        defer { timer.cancel() }
        return try await channel.executeThenClose { inbound, outbound in
            try await body(JT808Terminal(phone: phone, version: version, inbound: inbound, outbound: outbound))
        }
    }

    /// The reply to a message: the decoded message and, for general replies, its result.
    public struct Reply: Sendable {
        /// The message.
        public var message: JT808Message
        /// The result of a general reply (0x8001).
        public var result: JT808ReplyResult? {
            if case .platformGeneralReply(let r) = message { r.result } else { nil }
        }
    }

    /// Sends `message` and returns the platform's reply.
    public func send(_ message: JT808Message) async throws -> Reply {
        serial &+= 1
        try await write(try JT808Frame(message: message, phoneNumber: phone, serialNumber: serial, version: version).encode())
        return try await read()
    }

    /// Sends bytes as they are (a malformed frame, garbage).
    public func write(_ bytes: [UInt8]) async throws { try await outbound.write(ByteBuffer(bytes: bytes)) }

    /// The next reply frame (a closed connection ends the wait with an error).
    public func read() async throws -> Reply {
        while true {
            if let content = try splitter.next() { return Reply(message: try JT808Frame.decode(content).decodeMessage()) }
            guard let buffer = try await iterator.next() else { throw Closed() }
            splitter.append(buffer.readableBytesView)
        }
    }

    /// Registers and authenticates; returns whether the platform accepted both.
    public func signIn(registration: JT808Registration) async throws -> Bool {
        guard case .registrationReply(let reply) = try await send(.registration(registration)).message, reply.result == .success else { return false }
        return try await send(.authentication(JT808Authentication(authCode: reply.authCode))).result == .success
    }

    /// Whether the server closed the connection (reads to its end; replies on the way are skipped).
    public func waitClosed() async -> Bool {
        while true {
            do {
                guard try await iterator.next() != nil else { return true }
            } catch {
                return true
            }
        }
    }

    /// The connection closed before a reply came.
    public struct Closed: Error {}
}
