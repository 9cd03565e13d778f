import CityLoopDomain
import CityLoopServices
import Foundation

/// One terminal connection's protocol conversation (会话): frames in, replies out. A terminal registers (0x0100 →
/// 0x8100 with an authentication code) and authenticates (0x0102) before its heartbeats and positions count; every
/// message gets the protocol's reply, and a position's reply is sent only once the position is stored. Malformed
/// frames get a general reply "message error" when their header could be read, and too many of them, or of failed
/// authentications, close the connection.
public struct JT808Session: Sendable {
    /// What to do with the connection after a frame.
    public enum Next: Equatable, Sendable {
        /// Keep it open.
        case keepOpen
        /// Close it (after sending the replies).
        case close(reason: String)
    }

    private let registry: TerminalRegistry
    private let ingest: VehicleIngest
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
    public init(registry: TerminalRegistry, ingest: VehicleIngest, counters: JT808Counters) {
        self.registry = registry
        self.ingest = ingest
        self.counters = counters
    }

    /// Handles one frame's escaped content (between delimiters); returns the frames to send and what to do next.
    public mutating func handle(frameContent: [UInt8]) async -> (replies: [[UInt8]], next: Next) {
        let frame: JT808Frame
        do {
            frame = try JT808Frame.decode(frameContent)
        } catch {
            return malformed(error, header: JT808Frame.readableHeader(frameContent))
        }
        terminalPhone = terminalPhone ?? frame.header.phoneNumber
        counters.count(frame: frame.header.phoneNumber)
        let message: JT808Message
        do {
            message = try frame.decodeMessage()
        } catch {
            return malformed(error, header: frame.header)
        }
        do {
            return try await respond(to: message, header: frame.header)
        } catch {
            // The store failed: no acknowledgement, so the terminal sends the position again.
            counters.count(error: "storage", terminal: frame.header.phoneNumber)
            return ([reply(.general(frame.header, .failure), to: frame.header)], .keepOpen)
        }
    }

    private mutating func respond(to message: JT808Message, header: JT808Header) async throws -> (replies: [[UInt8]], next: Next) {
        switch message {
        case .registration:
            switch try await registry.register(terminalPhone: header.phoneNumber) {
            case .registered(_, let code):
                let r = JT808RegistrationReply(replySerialNumber: header.serialNumber, result: .success, authCode: JT808String(bytes: Array(code.utf8)))
                return ([reply(.registrationReply(r), to: header)], .keepOpen)
            case .unknownTerminal:
                counters.count(error: "unknown terminal", terminal: header.phoneNumber)
                let r = JT808RegistrationReply(replySerialNumber: header.serialNumber, result: JT808RegistrationResult(rawValue: 4))
                return ([reply(.registrationReply(r), to: header)], .keepOpen)
            }
        case .authentication(let a):
            if let v = try await registry.authenticate(terminalPhone: header.phoneNumber, authCode: a.authCode.string ?? "") {
                vehicle = v
                return ([reply(.general(header, .success), to: header)], .keepOpen)
            }
            failedAuthentications += 1
            counters.count(error: "authentication failed", terminal: header.phoneNumber)
            let next: Next = failedAuthentications >= Self.authenticationLimit ? .close(reason: "authentication failed \(failedAuthentications) times") : .keepOpen
            return ([reply(.general(header, .failure), to: header)], next)
        case .heartbeat:
            return ([reply(.general(header, vehicle == nil ? .failure : .success), to: header)], .keepOpen)
        case .terminalLogout:
            return ([reply(.general(header, .success), to: header)], .close(reason: "logout"))
        case .terminalGeneralReply, .platformGeneralReply, .registrationReply:
            return ([], .keepOpen)
        case .locationReport(let l):
            return try await store([l], header: header)
        case .batchLocationUpload(let b):
            return try await store(b.locations, header: header)
        case .unknown:
            return ([reply(.general(header, .unsupported), to: header)], .keepOpen)
        }
    }

    private mutating func store(_ locations: [JT808Location], header: JT808Header) async throws -> (replies: [[UInt8]], next: Next) {
        guard let vehicle, Vehicle.terminalNumber(header.phoneNumber) == vehicle.terminalPhone.map(Vehicle.terminalNumber) else {
            counters.count(error: "not authenticated", terminal: header.phoneNumber)
            return ([reply(.general(header, .failure), to: header)], .keepOpen)
        }
        let positions = locations.map { Self.position($0, vehicle: vehicle.id) }
        let started = ContinuousClock.now
        try await ingest.submit(positions)
        let took = ContinuousClock.now - started
        counters.record(latency: Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18)
        counters.count(positions: positions.count)
        return ([reply(.general(header, .success), to: header)], .keepOpen)
    }

    /// Counts bytes the frame splitter refused (a frame longer than any valid one); the splitter resynchronises.
    public mutating func refused(_ error: JT808Error) -> Next {
        malformed(error, header: nil).next
    }

    private mutating func malformed(_ error: JT808Error, header: JT808Header?) -> (replies: [[UInt8]], next: Next) {
        errors += 1
        counters.count(error: error.description, terminal: header?.phoneNumber ?? terminalPhone ?? "?")
        let next: Next = errors >= Self.errorLimit ? .close(reason: "\(errors) malformed frames") : .keepOpen
        guard let header else { return ([], next) }
        let result: JT808ReplyResult = if case .encrypted = error { .unsupported } else { .messageError }
        return ([reply(.general(header, result), to: header)], next)
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
