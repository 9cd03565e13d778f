import CityLoopDomain
import CityLoopJT808
import CityLoopServices
import CityLoopTestSupport
import Foundation
import NIOCore
import NIOPosix
import Testing

/// A real JT/T 808 server on 127.0.0.1 and real TCP terminals: registration, authentication, positions stored before
/// their acknowledgement, and the protocol's answers to unknown terminals, wrong codes and malformed frames.
@Suite("JT/T 808 server")
struct JT808ServerTests {
    static let phone = "13912345678"

    @Test("a terminal registers, authenticates and reports; each position is stored before its reply", arguments: [JT808Version.v2013, .v2019])
    func registerAuthenticateReport(version: JT808Version) async throws {
        try await withServer { platform, port in
            try await JT808Terminal.connect(port: port, phone: Self.phone, version: version) { terminal in
            let registration = try await terminal.send(.registration(Self.registration(version)))
            guard case .registrationReply(let reply) = registration.message, let code = reply.authCode.string else {
                Issue.record("expected a registration reply, got \(registration.message)")
                return
            }
            #expect(reply.result == .success && !code.isEmpty)
            #expect(try await terminal.send(.authentication(JT808Authentication(authCode: JT808String(bytes: Array(code.utf8))))).result == .success)
            #expect(try await terminal.send(.heartbeat).result == .success)

            let time = try JT808Timestamp(year: 2026, month: 12, day: 6, hour: 8, minute: 30, second: 0)
            var status: JT808LocationStatus = [.accOn, .positioned]
            status.loadState = .full
            let location = try JT808Location(latitude: 34.7466, longitude: 113.6254, speedKmh: 36, altitude: 100, direction: 90, time: time, alarm: [], status: status)
            #expect(try await terminal.send(.locationReport(location)).result == .success)
            // Acknowledged means stored: read straight after the reply.
            let track = try await platform.store.positions(vehicleID: VehicleID("truck-1"), from: .distantPast, to: .distantFuture, limit: 10)
            #expect(track.count == 1)
            #expect(track.first?.load == .full && abs((track.first?.point.lat ?? 0) - 34.7466) < 1e-6 && track.first?.speedKmh == 36)

            let later = try (1...3).map { i in
                try JT808Location(latitude: 34.7466 + Double(i) / 1000, longitude: 113.6254, speedKmh: 30, altitude: 100, direction: 0,
                                  time: JT808Timestamp(date: location.date.addingTimeInterval(Double(30 * i))), alarm: [], status: status)
            }
            #expect(try await terminal.send(.batchLocationUpload(JT808BatchLocation(type: .blindAreaResend, locations: later))).result == .success)
            #expect(try await platform.store.positions(vehicleID: VehicleID("truck-1"), from: .distantPast, to: .distantFuture, limit: 10).count == 4)
            }
        }
    }

    @Test("an unknown terminal, a wrong code and positions before authentication are refused and counted")
    func refusals() async throws {
        try await withServer { platform, port in
            try await JT808Terminal.connect(port: port, phone: "13800000000", version: .v2013) { stranger in
                guard case .registrationReply(let reply) = try await stranger.send(.registration(Self.registration(.v2013))).message else {
                    Issue.record("expected a registration reply")
                    return
                }
                #expect(reply.result.rawValue == 4)
            }
            try await JT808Terminal.connect(port: port, phone: Self.phone, version: .v2013) { terminal in
            _ = try await terminal.send(.registration(Self.registration(.v2013)))
            let time = try JT808Timestamp(year: 2026, month: 12, day: 6, hour: 8, minute: 30, second: 0)
            let location = try JT808Location(latitude: 34.7, longitude: 113.6, speedKmh: 0, altitude: 0, direction: 0, time: time, alarm: [], status: .positioned)
            #expect(try await terminal.send(.locationReport(location)).result == .failure)
            // A code issued before the last registration (a replayed one) no longer works.
            #expect(try await terminal.send(.authentication(JT808Authentication(authCode: "not-the-code"))).result == .failure)
            #expect(try await platform.store.positions(vehicleID: VehicleID("truck-1"), from: .distantPast, to: .distantFuture, limit: 10).isEmpty)
            #expect(try await terminal.send(.authentication(JT808Authentication(authCode: "still-wrong"))).result == .failure)
            _ = try await terminal.send(.authentication(JT808Authentication(authCode: "third-time")))
            // Three failed authentications close the connection.
            #expect(await terminal.waitClosed())
            }
        }
    }

    @Test("malformed frames get 'message error' when the header reads, garbage is counted, and too much of it closes the connection")
    func malformed() async throws {
        try await withServer { _, port in
            try await JT808Terminal.connect(port: port, phone: Self.phone, version: .v2013) { terminal in
            // A valid frame whose body length field lies: the header reads, the frame does not.
            var frame = try JT808Frame(message: .heartbeat, phoneNumber: Self.phone, serialNumber: 9).encode()
            #expect(frame.count > 5)
            frame[4] = 0x05
            frame[frame.count - 2] = Self.checksum(Array(frame[1..<(frame.count - 2)]))
            try await terminal.write(frame)
            let reply = try await terminal.read()
            #expect(reply.result == .messageError)
            // Random bytes between delimiters, many times over: the server closes the connection and goes on serving.
            var rng = SystemRandomNumberGenerator()
            for _ in 0..<30 { try? await terminal.write([0x7E] + (0..<20).map { _ in UInt8.random(in: 0...0x7C, using: &rng) } + [0x7E]) }
            #expect(await terminal.waitClosed())
            }
            try await JT808Terminal.connect(port: port, phone: Self.phone, version: .v2013) { next in
                // Not authenticated on this connection.
                let reply = try await next.send(.heartbeat)
                #expect(reply.result == .failure)
            }
        }
    }

    @Test("a connection that does not authenticate in time, or goes silent, is closed; one that keeps its heartbeat stays")
    func timeouts() async throws {
        // Never signs in: closed after the authentication timeout, though it keeps talking.
        try await withServer(authenticationTimeout: .seconds(1)) { _, port in
            let started = Date()
            let closed = try await JT808Terminal.connect(port: port, phone: "13800000000", version: .v2013) { stranger in
                _ = try? await stranger.send(.heartbeat)
                return await stranger.waitClosed()
            }
            #expect(closed && Date().timeIntervalSince(started) >= 1)
        }
        // Signed in (however long that takes on a busy machine) and beating past the idle time: still served; then
        // silent: closed after it.
        try await withServer(idleTimeout: .seconds(6)) { _, port in
            try await JT808Terminal.connect(port: port, phone: Self.phone, version: .v2019) { terminal in
                #expect(try await terminal.signIn(registration: Self.registration(.v2019)))
                let until = Date().addingTimeInterval(8)
                while Date() < until {
                    #expect(try await terminal.send(.heartbeat).result == .success)
                    try await Task.sleep(for: .milliseconds(500))
                }
                #expect(await terminal.waitClosed())
            }
        }
    }

    // MARK: - support

    static func registration(_ version: JT808Version) -> JT808Registration {
        JT808Registration(
            provinceID: 41, cityID: 100, manufacturerID: version == .v2019 ? "MANUFACT011" : "70111", terminalModel: "TM-8",
            terminalID: version == .v2019 ? "TERMINAL-0001" : "A1B2C3D", plateColor: 1, plate: "豫A12345")
    }

    static func checksum(_ bytes: [UInt8]) -> UInt8 { bytes.reduce(0, ^) }

    func withServer(
        authenticationTimeout: TimeAmount = .seconds(60), idleTimeout: TimeAmount = .seconds(180), _ body: (Platform, Int) async throws -> Void
    ) async throws {
        try await withStore(.sqlite) { store in
            let platform = try await Platform(store: store, media: InMemoryMediaStore())
            try await store.saveVehicles([Vehicle(id: VehicleID("truck-1"), plate: "豫A12345", kind: .muckTruck, terminalPhone: Self.phone)])
            let server = JT808Server(platform: platform, host: "127.0.0.1", port: 0, authenticationTimeout: authenticationTimeout, idleTimeout: idleTimeout)
            let running = Task { try await server.run() }
            defer { running.cancel() }
            try await body(platform, await server.port)
        }
    }
}
