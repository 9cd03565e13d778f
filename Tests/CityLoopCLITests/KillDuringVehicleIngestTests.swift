import AsyncHTTPClient
import CityLoopDomain
import CityLoopJT808
import CityLoopSQLite
import Foundation
import Testing

/// Acknowledged positions survive `kill -9` of a real server taking JT/T 808 terminals, and the terminals connect
/// again to the restarted server with the authentication codes they were given.
@Suite(.serialized) struct KillDuringVehicleIngestTests {
    static func location(_ i: Int, start: Date) throws -> JT808Location {
        var status: JT808LocationStatus = [.accOn, .positioned]
        status.loadState = .full
        return try JT808Location(
            latitude: 34.75 + Double(i) / 100_000, longitude: 113.65, speedKmh: 30, altitude: 100, direction: 0,
            time: JT808Timestamp(date: start.addingTimeInterval(Double(i))), alarm: [], status: status)
    }

    /// Connects (retrying while the server starts) and runs `body` with the terminal.
    static func connect<T: Sendable>(_ port: Int, _ phone: String, _ body: (JT808Terminal) async throws -> T) async throws -> T {
        let deadline = Date().addingTimeInterval(120)
        while true {
            do {
                return try await JT808Terminal.connect(port: port, phone: phone, version: .v2019, deadline: .seconds(600), body)
            } catch where Date() < deadline && !(error is JT808Terminal.Closed) {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    @Test func killNineDuringVehicleIngestLosesNoAcknowledgedPosition() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-kill-vehicles-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let terminals = ServerProcess.randomPort()
        let first = try ServerProcess(data: data, port: ServerProcess.randomPort(), extra: ["--scale", "50", "--jt808-port", String(terminals)])
        let codes = AckLog()
        do {
            try await first.waitReady(client)
            let acknowledged = AckLog()
            // Whole seconds: a JT/T 808 time has no fraction.
            let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 3600).rounded(.down))
            // MUT: 10 of the demo's trucks report a position a turn; the server is killed mid-stream.
            let load = Task {
                await withTaskGroup(of: Void.self) { group in
                    for n in 1...10 {
                        group.addTask {
                            _ = try? await Self.connect(terminals, DemoPhones.phone(n)) { terminal in
                                let registration = JT808Registration(
                                    provinceID: 41, cityID: 100, manufacturerID: "MANUFACT011", terminalModel: "TM-8", terminalID: JT808String(bytes: Array("KILL-\(n)".utf8)),
                                    plateColor: 1, plate: "豫A80000")
                                guard case .registrationReply(let reply) = try await terminal.send(.registration(registration)).message,
                                    let code = reply.authCode.string,
                                    try await terminal.send(.authentication(JT808Authentication(authCode: reply.authCode))).result == .success
                                else { return }
                                codes.add("\(n)|\(code)")
                                var i = 0
                                while !Task.isCancelled, try await terminal.send(.locationReport(try Self.location(i, start: start))).result == .success {
                                    acknowledged.add("\(n)|\(i)")
                                    i += 1
                                }
                            }
                        }
                    }
                }
            }
            let deadline = Date().addingTimeInterval(600)
            while acknowledged.count < 200, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            first.kill9()
            load.cancel()
            _ = await load.value
            let acked = acknowledged.all
            #expect(acked.count >= 200)

            // validate: after a restart a terminal signs in with the code it was given and reports again
            let second = try ServerProcess(data: data, port: ServerProcess.randomPort(), extra: ["--jt808-port", String(terminals)])
            try await second.waitReady(client)
            let (n, code) = try #require(codes.all.first.map { entry in entry.split(separator: "|").map(String.init) }.map { (Int($0[0])!, $0[1]) })
            let again = try await Self.connect(terminals, DemoPhones.phone(n)) { terminal in
                guard try await terminal.send(.authentication(JT808Authentication(authCode: JT808String(bytes: Array(code.utf8))))).result == .success else {
                    return false
                }
                return try await terminal.send(.locationReport(try Self.location(100_000, start: start))).result == .success
            }
            #expect(again, "a terminal could not sign in again with its code")
            second.stop()

            // validate: every acknowledged position is stored
            let store = try SQLiteStore(path: data.appendingPathComponent("cityloop.sqlite").path)
            defer { try? store.close() }
            var missing: [String] = []
            for n in 1...10 {
                let id = VehicleID("ZT-\(String(zeroPadded: n, width: 4))")
                let stored = Set(try await store.positions(vehicleID: id, from: .distantPast, to: .distantFuture, limit: 1_000_000).map(\.time))
                for entry in acked where entry.hasPrefix("\(n)|") {
                    let i = Int(entry.split(separator: "|")[1])!
                    if !stored.contains(start.addingTimeInterval(Double(i))) { missing.append(entry) }
                }
            }
            #expect(missing.isEmpty, "lost \(missing.count) acknowledged positions: \(missing.prefix(5))")
        } catch {
            first.stop()
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}

/// The demo fleet's terminal numbers (`DemoFleet.terminalPhone`), as the tests' terminals dial them.
enum DemoPhones {
    static func phone(_ n: Int) -> String { "139" + String(zeroPadded: n, width: 8) }
}
