import CityLoopDomain
import CityLoopServices
import Foundation

/// One terminal connection's protocol conversation (会话), as a state machine without I/O: a frame in gives the
/// replies to send now, or the work to do first (register, authenticate, store positions) whose outcome then gives
/// the reply. A terminal registers (0x0100 → 0x8100 with an authentication code) and authenticates (0x0102) before
/// its heartbeats and positions count; every message gets the protocol's reply, and a position's reply is sent only
/// once the position is stored. Malformed frames get a general reply "message error" when their header could be
/// read, and too many of them, or of failed authentications, close the connection.
public struct JT808Session: Sendable {
    /// What to do with the connection after a frame.
    public enum Next: Equatable, Sendable {
        /// Keep it open.
        case keepOpen
        /// Close it (after sending the replies).
        case close(reason: String)
    }

    /// What a frame asks of the connection.
    public enum Step: Sendable {
        /// Send these frames, then go on as `next` says.
        case reply([[UInt8]], next: Next)
        /// Register the terminal, then answer with `registered(_:to:)`.
        case register(JT808Header)
        /// Check the authentication code, then answer with `authenticated(_:to:)`.
        case authenticate(JT808Header, code: String)
        /// Store the positions, then answer with `stored(_:to:)`.
        case store([VehiclePosition], JT808Header)
    }

    private let counters: JT808Counters
    /// The vehicle authenticated on this connection, if any.
    public private(set) var vehicle: Vehicle?
    /// The terminal's phone number as its frames send it.
    public private(set) var terminalPhone: String?
    private var serial: UInt16 = 0
    private var errors = 0
    private var failedAuthentications = 0
    /// Malformed frames a connection may send before it is closed.
    static let errorLimit = 20
    /// Failed authentications a connection may make before it is closed.
    static let authenticationLimit = 3

    /// Creates a session for a new connection.
    public init(counters: JT808Counters) {
        self.counters = counters
    }

    /// Takes one frame's escaped content (between delimiters).
    public mutating func receive(frameContent: [UInt8]) -> Step {
        let frame: JT808Frame
        do {
            frame = try JT808Frame.decode(frameContent)
        } catch {
            return malformed(error, header: JT808Frame.readableHeader(frameContent))
        }
        terminalPhone = terminalPhone ?? frame.header.phoneNumber
        counters.count(frame: frame.header.phoneNumber)
        let header = frame.header
        let message: JT808Message
        do {
            message = try frame.decodeMessage()
        } catch {
            return malformed(error, header: header)
        }
        switch message {
        case .registration:
            return .register(header)
        case .authentication(let a):
            return .authenticate(header, code: a.authCode.string ?? "")
        case .heartbeat:
            return .reply([reply(.general(header, vehicle == nil ? .failure : .success), to: header)], next: .keepOpen)
        case .terminalLogout:
            return .reply([reply(.general(header, .success), to: header)], next: .close(reason: "logout"))
        case .terminalGeneralReply, .platformGeneralReply, .registrationReply:
            return .reply([], next: .keepOpen)
        case .locationReport(let l):
            return positions([l], header: header)
        case .batchLocationUpload(let b):
            return positions(b.locations, header: header)
        case .unknown:
            return .reply([reply(.general(header, .unsupported), to: header)], next: .keepOpen)
        }
    }

    /// The reply to a registration, given what the registry answered (nil: it failed, the terminal tries again).
    public mutating func registered(_ outcome: TerminalRegistry.Registration?, to header: JT808Header) -> [UInt8] {
        switch outcome {
        case .registered(_, let code):
            let r = JT808RegistrationReply(replySerialNumber: header.serialNumber, result: .success, authCode: JT808String(bytes: Array(code.utf8)))
            return reply(.registrationReply(r), to: header)
        case .unknownTerminal:
            counters.count(error: "unknown terminal", terminal: header.phoneNumber)
            let r = JT808RegistrationReply(replySerialNumber: header.serialNumber, result: JT808RegistrationResult(rawValue: 4))
            return reply(.registrationReply(r), to: header)
        case nil:
            return storageFailed(header)
        }
    }

    /// The reply to an authentication, given the vehicle the code belongs to (`.success(nil)`: a wrong code;
    /// `.failure`: the registry could not be read).
    public mutating func authenticated(_ outcome: Result<Vehicle?, any Error>, to header: JT808Header) -> ([UInt8], next: Next) {
        switch outcome {
        case .success(let v?):
            vehicle = v
            return (reply(.general(header, .success), to: header), .keepOpen)
        case .success(nil):
            failedAuthentications += 1
            counters.count(error: "authentication failed", terminal: header.phoneNumber)
            let next: Next = failedAuthentications >= Self.authenticationLimit ? .close(reason: "authentication failed \(failedAuthentications) times") : .keepOpen
            return (reply(.general(header, .failure), to: header), next)
        case .failure:
            return (storageFailed(header), .keepOpen)
        }
    }

    /// The reply to a location frame once its `count` positions are stored (`true`) or the store failed (`false`: no
    /// acknowledgement, so the terminal sends them again).
    public mutating func stored(_ ok: Bool, count: Int, to header: JT808Header) -> [UInt8] {
        guard ok else { return storageFailed(header) }
        counters.count(positions: count)
        return reply(.general(header, .success), to: header)
    }

    private mutating func positions(_ locations: [JT808Location], header: JT808Header) -> Step {
        guard let vehicle, Vehicle.terminalNumber(header.phoneNumber) == vehicle.terminalPhone.map(Vehicle.terminalNumber) else {
            counters.count(error: "not authenticated", terminal: header.phoneNumber)
            return .reply([reply(.general(header, .failure), to: header)], next: .keepOpen)
        }
        return .store(locations.map { Self.position($0, vehicle: vehicle.id) }, header)
    }

    private mutating func storageFailed(_ header: JT808Header) -> [UInt8] {
        counters.count(error: "storage", terminal: header.phoneNumber)
        return reply(.general(header, .failure), to: header)
    }

    /// Counts bytes the frame splitter refused (a frame longer than any valid one); the splitter resynchronises.
    public mutating func refused(_ error: JT808Error) -> Next {
        guard case .reply(_, let next) = malformed(error, header: nil) else { return .keepOpen }
        return next
    }

    private mutating func malformed(_ error: JT808Error, header: JT808Header?) -> Step {
        errors += 1
        counters.count(error: error.description, terminal: header?.phoneNumber ?? terminalPhone ?? "?")
        let next: Next = errors >= Self.errorLimit ? .close(reason: "\(errors) malformed frames") : .keepOpen
        guard let header else { return .reply([], next: next) }
        let result: JT808ReplyResult = if case .encrypted = error { .unsupported } else { .messageError }
        return .reply([reply(.general(header, result), to: header)], next: next)
    }

    private enum Reply {
        case general(JT808Header, JT808ReplyResult)
        case registrationReply(JT808RegistrationReply)
    }

    private mutating func reply(_ r: Reply, to header: JT808Header) -> [UInt8] {
        let message: JT808Message =
            switch r {
            case .general(let h, let result): .platformGeneralReply(JT808GeneralReply(answering: h, result: result))
            case .registrationReply(let reply): .registrationReply(reply)
            }
        serial &+= 1
        // The header was decoded from the terminal's frame, so its phone number and version encode again.
        let frame = try? JT808Frame(
            message: message, phoneNumber: header.phoneNumber, serialNumber: serial, version: header.version, protocolVersion: header.protocolVersion)
        return frame?.encode() ?? []
    }

    /// A JT/T 808 location as a position of the vehicle.
    public static func position(_ l: JT808Location, vehicle: VehicleID) -> VehiclePosition {
        let load: VehicleLoad =
            switch l.loadState {
            case .empty: .empty
            case .half: .half
            case .full: .full
            case .reserved: .unknown
            }
        return VehiclePosition(
            vehicleID: vehicle, time: l.date, point: GeoPoint(lat: l.latitude, lon: l.longitude), speedKmh: l.speedKmh,
            directionDegrees: Double(l.direction), load: load, accOn: l.accOn, alarmBits: l.alarm.rawValue, positioned: l.isPositioned)
    }
}
