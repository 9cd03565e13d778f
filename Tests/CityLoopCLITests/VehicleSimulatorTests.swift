import AsyncHTTPClient
import Foundation
import Testing

/// `cityloop simulate vehicles` against a real server: the demo's trucks connect over JT/T 808, sign in and drive;
/// the truck that dumps halfway raises a suspected dumping and a case to verify, the one detouring through a forbidden
/// zone raises a forbidden-zone event, and the fleet map shows every truck.
@Suite(.serialized) struct VehicleSimulatorTests {
    @Test func simulatedTrucksReportOverJT808AndTheDumpingOneBecomesACase() async throws {
        // setup: a demo server listening for terminals
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-vehicles-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let terminals = ServerProcess.randomPort()
        let server = try ServerProcess(data: data, port: ServerProcess.randomPort(), extra: ["--scale", "50", "--jt808-port", String(terminals)])
        do {
            try await server.waitReady(client)
            let token = try await HTTP.login(client, server.base, "operator", "kill-test-pw")

            // MUT: 20 trucks for 60 s, fast; the 8th dumps halfway, the 14th stands in a forbidden zone
            let (status, output) = try await Self.runDetached([
                "simulate", "vehicles", "--data", data.path, "--jt808", "127.0.0.1:\(terminals)", "--vehicles", "20", "--interval", "0.5",
                "--speed", "900", "--stay", "3", "--duration", "60",
            ])
            #expect(status == 0, "\(output)")

            // validate
            let (_, latest) = try await HTTP.send(client, server.base + "/api/v1/vehicles/positions/latest", get: true, token: token)
            let trucks = (try JSONSerialization.jsonObject(with: Data(latest.utf8)) as? [[String: Any]]) ?? []
            #expect(trucks.count == 20, "\(latest.prefix(300))")
            try await waitFor("the suspected dumping", seconds: 120) {
                let (_, events) = try await HTTP.send(client, server.base + "/api/v1/vehicle-events?vehicle=ZT-0008&limit=1000", get: true, token: token)
                return events.contains("\"dumpingSuspected\"")
            }
            try await waitFor("the forbidden zone", seconds: 120) {
                let (_, events) = try await HTTP.send(client, server.base + "/api/v1/vehicle-events?vehicle=ZT-0014&limit=1000", get: true, token: token)
                return events.contains("\"forbiddenZone\"")
            }
            #expect(output.contains("through a forbidden zone: 1") || output.contains("闯禁行 1 辆"), "\(output)")
            try await waitFor("its case", seconds: 120) {
                let (_, cases) = try await HTTP.send(client, server.base + "/api/v1/cases?source=sensor&matter=06011&limit=10", get: true, token: token)
                return cases.contains("ZT-0008") || cases.contains("豫A80008")
            }
        } catch {
            server.stop()
            try? await client.shutdown()
            throw error
        }
        server.stop()
        try await client.shutdown()
    }

    /// Runs the command on a thread of its own, so the wait blocks no thread the tests' tasks run on.
    static func runDetached(_ args: [String]) async throws -> (Int32, String) {
        try await withCheckedThrowingContinuation { done in
            Thread.detachNewThread {
                do { done.resume(returning: try ServerProcess.run(args)) } catch { done.resume(throwing: error) }
            }
        }
    }
}
