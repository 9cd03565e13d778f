import AsyncHTTPClient
import CityLoopPostgres
import Foundation
import Testing
import Testing

/// The same commands on PostgreSQL (`--database postgres://…`), when the test server runs (`CITYLOOP_TEST_DATABASE`,
/// set by scripts/test): migrations shown and applied, the demo city built, verified and served.
@Suite("Commands on PostgreSQL", .enabled(if: testPostgresServer != nil))
struct PostgresCommandTests {
    static var server: String? { testPostgresServer }

    @Test func migrateDemoVerifyAndServeOnPostgreSQL() async throws {
        let server = try #require(Self.server)
        let name = "cityloop_cli_\(UUID().uuidString.prefix(8).lowercased())"
        try await PostgresStore.createDatabase(named: name, onServerOf: server)
        let url = try PostgresStore.url(server, database: name)
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-pgcli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }

        // MUT: migrations listed, then applied; the demo city; its history verified
        let (dry, dryOutput) = try ServerProcess.run(["migrate", "--dry-run", "--lang", "en", "--database", url, "--data", data.path])
        let (applied, appliedOutput) = try ServerProcess.run(["migrate", "--lang", "en", "--database", url, "--data", data.path])
        let (demo, demoOutput) = try ServerProcess.run(
            ["demo", "--scale", "200", "--lang", "en", "--database", url, "--data", data.path, "--demo-password", "pg-cli-pass-1"])
        let (verify, verifyOutput) = try ServerProcess.run(["verify", "--lang", "en", "--database", url, "--data", data.path])

        #expect(dry == 0 && dryOutput.contains("0 migrations applied") && dryOutput.contains("001_core"), "\(dryOutput)")
        #expect(applied == 0 && appliedOutput.contains("applied"), "\(appliedOutput)")
        #expect(demo == 0, "\(demoOutput)")
        #expect(verify == 0 && verifyOutput.contains("0 problems"), "\(verifyOutput)")
        // The database lives on the server: the data folder holds no SQLite file.
        #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("cityloop.sqlite").path))

        // MUT: a node on it reports ready with its role (and its read replica, when the test server has one)
        let port = ServerProcess.randomPort()
        let replica = try testPostgresReplica.map { try PostgresStore.url($0, database: name) }
        let node = try ServerProcess(
            data: data, port: port,
            arguments: ["serve", "--database", url, "--data", data.path, "--port", String(port), "--role", "web", "--lang", "en"]
                + (replica.map { ["--read-database", $0] } ?? []))
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await node.waitReady(client)
            let (status, body) = try await HTTP.send(client, node.base + "/ready", get: true)
            #expect(status == 200 && body.contains(#""role":"web""#) && body.contains(#""database":"ok""#), "\(body)")
            let (_, nodeMetrics) = try await HTTP.send(client, node.base + "/metrics", get: true)
            #expect(nodeMetrics.contains("cityloop_db_connections_max 16") && nodeMetrics.contains("cityloop_db_connections_in_use"), "\(nodeMetrics.prefix(3000))")
            if replica != nil {
                #expect(body.contains(#""replica":"ok""#), "\(body)")
                // The leader's screen reads the replica.
                let token = try await HTTP.login(client, node.base, "leader", "pg-cli-pass-1")
                var request = HTTPClientRequest(url: node.base + "/api/v1/dashboard")
                request.headers.add(name: "Authorization", value: "Bearer \(token)")
                let screen = try await client.execute(request, timeout: .seconds(300))
                #expect(screen.status == .ok)
                let (_, metrics) = try await HTTP.send(client, node.base + "/metrics", get: true)
                #expect(metrics.contains(#"cityloop_reads_total{target="replica"}"#), "\(metrics.prefix(3000))")
            }
            let log = (try? String(contentsOf: node.log, encoding: .utf8)) ?? ""
            #expect(!log.contains("pg-cli") && log.contains("postgres://"), "the log names the database without its password: \(log.prefix(2000))")
        } catch {
            node.stop()
            try? await client.shutdown()
            throw error
        }
        node.stop()
        try await client.shutdown()
        try? await PostgresStore.dropDatabase(named: name, onServerOf: server)
    }

    @Test func aReadReplicaOfAnSQLiteCityIsRefused() async throws {
        let server = try #require(Self.server)
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-replica-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let (status, output) = try ServerProcess.run(["serve", "--lang", "en", "--data", data.path, "--read-database", server])
        #expect(status != 0 && output.contains("read.database") && output.contains("PostgreSQL"), "\(output)")
        #expect(!output.contains("Fatal error"), "\(output)")
    }

    @Test func aWrongPasswordOrMissingDatabaseGetsOneLine() async throws {
        let server = try #require(Self.server)
        let missing = try PostgresStore.url(server, database: "cityloop_no_such_database")
        let (status, output) = try ServerProcess.run(["verify", "--lang", "en", "--database", missing])
        #expect(status != 0 && output.contains("cityloop_no_such_database") && !output.contains("Fatal error"), "\(output)")
        #expect(output.split(separator: "\n").count <= 3, "\(output)")
    }
}

/// The test PostgreSQL server's streaming replica, when scripts/test started one.
let testPostgresReplica: String? = ProcessInfo.processInfo.environment["CITYLOOP_TEST_REPLICA"].flatMap { $0.isEmpty ? nil : $0 }

/// The test PostgreSQL server's URL, when scripts/test started one.
let testPostgresServer: String? = ProcessInfo.processInfo.environment["CITYLOOP_TEST_DATABASE"].flatMap { $0.isEmpty ? nil : $0 }
