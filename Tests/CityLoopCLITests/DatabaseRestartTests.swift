import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// A node whose PostgreSQL server goes away under load answers every request, 201 or 503 (never a hang, never a
/// 500), stores each acknowledged report once, and serves again by itself once the server is back.
@Suite(
    .serialized, .enabled(if: testPostgresServer != nil && PrivateCluster.installed))
struct DatabaseRestartTests {
    /// What one request came to.
    struct Outcome: Sendable {
        var requestID: String
        var status: Int?
        var seconds: Double
        var at: Date
        var body: String
    }

    final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [Outcome] = []
        func add(_ o: Outcome) { lock.withLock { list.append(o) } }
        var all: [Outcome] { lock.withLock { list } }
        func count(_ status: Int, since: Date = .distantPast) -> Int { lock.withLock { list.filter { $0.status == status && $0.at >= since }.count } }
    }

    static func eventually(seconds: Double, _ condition: () -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test func aServerStoppedAndStartedUnderLoadGetsOnly201Or503AndTheNodeRecovers() async throws {
        // setup: a cluster of the test's own, a node with a small demo city on it
        let cluster = try PrivateCluster.start()
        defer { cluster.destroy() }
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-restart-\(UUID().uuidString)")
        defer {
            // The ledger's key and checkpoint log live beside the data folder.
            for suffix in ["", ".ledger-key", ".checkpoints.jsonl"] { try? FileManager.default.removeItem(atPath: data.path + suffix) }
        }
        let port = ServerProcess.randomPort()
        let node = try ServerProcess(
            data: data, port: port,
            arguments: ["serve", "--demo", "--scale", "50", "--demo-password", "restart-test-pw", "--database", cluster.url, "--data", data.path,
                        "--port", String(port), "--lang", "en"])
        // As many connections as clients: a request waiting for the client's own pool is not the node's doing.
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        defer { node.stop() }
        do {
            try await node.waitReady(client)
            let token = try await HTTP.login(client, node.base, "operator", "restart-test-pw")
            let outcomes = Outcomes()
            let base = node.base

            // MUT: 50 clients report continuously; the server stops for a while, then starts again
            let load = Task {
                await withTaskGroup(of: Void.self) { group in
                    for c in 0..<50 {
                        group.addTask {
                            var i = 0
                            while !Task.isCancelled {
                                let rid = "restart-\(c)-\(i)"
                                let started = Date()
                                var status: Int?
                                var body = ""
                                do {
                                    (status, body) = try await Self.post(client, base, token: token, rid)
                                } catch {
                                    if Task.isCancelled { return }
                                    body = "\(error)"
                                }
                                outcomes.add(Outcome(requestID: rid, status: status, seconds: Date().timeIntervalSince(started), at: Date(), body: body))
                                i += 1
                                if status == 503 { try? await Task.sleep(for: .milliseconds(200)) }
                            }
                        }
                    }
                }
            }
            let warm = try await Self.eventually(seconds: 240) { outcomes.count(201) >= 200 }
            #expect(warm, "200 reports before the stop")
            let stopped = Date()
            try cluster.ctl(["stop", "-m", "fast", "-w"])
            // The outage lasts until the node has answered 503 to a good number of requests.
            let refused = try await Self.eventually(seconds: 120) { outcomes.count(503, since: stopped) >= 100 }
            #expect(refused, "503s while the server is down")
            let started = Date()
            try cluster.ctl(["start", "-w", "-t", "120", "-l", cluster.folder + "/server.log", "-o", "-p \(cluster.port)"])
            let back = try await Self.eventually(seconds: 120) { outcomes.count(201, since: Date(timeInterval: 1, since: started)) >= 100 }
            #expect(back, "201s again after the server is back")
            load.cancel()
            _ = await load.value

            // validate: only 201 and 503, each within the client's deadline
            let all = outcomes.all
            let unexpected = all.filter { $0.status != 201 && $0.status != 503 }
            if !unexpected.isEmpty { print("node log: " + String(((try? String(contentsOf: node.log, encoding: .utf8)) ?? "").suffix(6000))) }
            #expect(unexpected.isEmpty, "\(unexpected.count) answers other than 201/503, e.g. \(unexpected.prefix(3).map { "\($0.status.map(String.init) ?? "none") \($0.body.prefix(200))" })")
            let unavailable = all.filter { $0.status == 503 }
            #expect(unavailable.allSatisfy { $0.body.contains("database.unavailable") }, "\(unavailable.first?.body ?? "")")
            // validate: every acknowledged report is stored exactly once
            let acknowledged = Set(all.filter { $0.status == 201 }.map(\.requestID))
            let stored = try cluster.psql("SELECT client_request_id FROM cases WHERE client_request_id LIKE 'restart-%'")
            #expect(stored.count == Set(stored).count, "a request ID stored twice")
            #expect(acknowledged.isSubset(of: Set(stored)), "lost \(acknowledged.subtracting(stored).count) acknowledged reports")

            // where the time went while the server was down
            func summary(_ list: [Outcome]) -> String {
                let s = list.map(\.seconds).sorted()
                guard !s.isEmpty else { return "none" }
                return String(format: "%d, median %.2f s, p99 %.2f s, max %.2f s", s.count, s[s.count / 2], s[min(s.count - 1, s.count * 99 / 100)], s.last!)
            }
            let during = all.filter { $0.at >= stopped && $0.at < started }
            let firstRefusal = unavailable.filter { $0.at >= stopped }.map(\.at).min()
            let firstBack = all.filter { $0.status == 201 && $0.at >= started }.map(\.at).min()
            print("database restart: 201 \(summary(all.filter { $0.status == 201 }))")
            print("database restart: 503 \(summary(unavailable)) (requests already on a broken connection fail at once, new ones after the lease deadline)")
            print("database restart: answered while down \(summary(during))")
            print(String(
                format: "database restart: first 503 %.2f s after the stop; first 201 %.2f s after the start; %d acknowledged, %d stored",
                firstRefusal.map { $0.timeIntervalSince(stopped) } ?? -1, firstBack.map { $0.timeIntervalSince(started) } ?? -1, acknowledged.count, stored.count))

            // validate: the history verifies
            node.stop()
            let (code, output) = try ServerProcess.run(["verify", "--database", cluster.url, "--data", data.path, "--lang", "en"])
            #expect(code == 0 && output.contains("0 problems"), "\(output)")
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    static func post(_ client: HTTPClient, _ base: String, token: String, _ rid: String) async throws -> (Int, String) {
        var req = HTTPClientRequest(url: base + "/api/v1/cases")
        req.method = .POST
        req.headers.add(name: "Content-Type", value: "application/json")
        req.headers.add(name: "Authorization", value: "Bearer \(token)")
        req.body = .bytes(ByteBuffer(string: KillDuringIntakeTests.report(rid)))
        // The deadline of a client that would call it a hang.
        let res = try await client.execute(req, timeout: .seconds(30))
        let body = try await res.body.collect(upTo: 1 << 20)
        return (Int(res.status.code), String(buffer: body))
    }
}

/// A PostgreSQL 15 cluster of one test's own in a temporary folder (Debian's postgresql-15), which the test may stop
/// and start; run as the `postgres` user when the tests run as root (initdb refuses root).
struct PrivateCluster {
    static let bin = "/usr/lib/postgresql/15/bin"
    static var installed: Bool { FileManager.default.isExecutableFile(atPath: bin + "/initdb") }

    let folder: String
    let port: Int
    var url: String { "postgres://cityloop@127.0.0.1:\(port)/cityloop?sslmode=disable" }

    static var isRoot: Bool { getuid() == 0 }

    /// Runs a PostgreSQL program as the cluster's owner, from `/`; its output, or an error naming it. Spawned and
    /// waited for directly: Foundation's `Process` would wait for the server that `pg_ctl start` leaves running too.
    @discardableResult
    static func run(_ program: String, _ arguments: [String]) throws -> String {
        let command = (isRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []) + [bin + "/" + program] + arguments
        let argv = ["/bin/sh", "-c", #"cd / && exec "$@""#, "sh"] + command
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-pg-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = argv.map { strdup($0) }
        defer { for a in cArguments { free(a) } }
        cArguments.append(nil)
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
        guard spawned == 0 else { throw TestFailure("cannot start \(program): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let out = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw TestFailure("\(program) \(arguments.joined(separator: " ")) failed (\(status)): \(out)")
        }
        return out
    }

    static func start() throws -> PrivateCluster {
        let folder = "/tmp/cityloop-restart-pg-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let cluster = PrivateCluster(folder: folder, port: ServerProcess.randomPort())
        if isRoot {
            let chown = Process()
            chown.executableURL = URL(fileURLWithPath: "/bin/chown")
            chown.arguments = ["postgres:", folder]
            try chown.run()
            chown.waitUntilExit()
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder)
        try run("initdb", ["-D", folder, "-U", "cityloop", "-E", "UTF8", "--no-locale", "--auth-local=trust", "--auth-host=trust"])
        let conf = "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '\(folder)'\nmax_connections = 100\n"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/postgresql.conf"))
        handle.seekToEndOfFile()
        handle.write(Data(conf.utf8))
        try handle.close()
        try cluster.ctl(["start", "-w", "-t", "120", "-l", folder + "/server.log", "-o", "-p \(cluster.port)"])
        try run("createdb", ["-h", folder, "-p", String(cluster.port), "-U", "cityloop", "cityloop"])
        return cluster
    }

    /// `pg_ctl` on this cluster.
    func ctl(_ arguments: [String]) throws { try Self.run("pg_ctl", ["-D", folder] + arguments) }

    /// The first column of a query's rows.
    func psql(_ sql: String) throws -> [String] {
        try Self.run("psql", ["-h", folder, "-p", String(port), "-U", "cityloop", "-d", "cityloop", "-At", "-c", sql])
            .split(separator: "\n").map(String.init)
    }

    /// Stops the server and removes its folder.
    func destroy() {
        try? ctl(["stop", "-m", "immediate", "-w"])
        try? FileManager.default.removeItem(atPath: folder)
    }
}
