import ArgumentParser
import AsyncHTTPClient
import CityLoopDemo
import CityLoopDomain
import CityLoopHTTP
import CityLoopSQLite
import CityLoopServices
import Foundation
import Hummingbird
import Logging
import NIOCore

/// The intake benchmark: reports spread over the demo city (points uniformly inside its grids, matter classes
/// weighted as in the demo history), first straight into `CaseService` (the reference: no HTTP), then over
/// HTTP with 100 clients — from `wrk` in a second process when it is installed (`scripts/bootstrap --bench`),
/// otherwise from an in-process client that shares the two cores with the server.
extension BenchCommand {
    func intakeBench() async throws {
        let inputs = try await reportInputs(count: reports)
        let direct = try await directRun(inputs)
        let (folder, store, platform) = try await Self.scratchPlatform()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await DemoCity.install(into: platform, scale: .standard, password: "bench-password")
        let before = try await store.caseCount()
        let (base, server) = try await Self.startServer(platform)
        defer { server.cancel() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let result: IntakeResult
        do {
            let token = try await login(client, base)
            if !useInProcessClient, let wrk = Self.findExecutable("wrk") {
                result = try await wrkRun(wrk: wrk, base: base, token: token, inputs: inputs, folder: folder, store: store)
            } else {
                result = try await clientRun(base: base, token: token, inputs: inputs)
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        let stored = try await store.caseCount() - before
        print("== intake: \(clients) concurrent clients, SQLite, reports spread over the demo city; load from \(result.loader) ==")
        row("HTTP reports/s", String(format: "%.0f", result.rate), String(format: "service alone %.0f/s", direct.rate),
            String(format: "%.2fx of target 3,000/s", result.rate / 3000))
        row("HTTP latency p50 / p99 (ms)", String(format: "%.1f / %.1f", result.p50, result.p99),
            String(format: "service alone %.1f / %.1f", direct.p50, direct.p99), "")
        // wrk is stopped once everything is stored, so a few acknowledgements may still have been on the wire.
        row("acknowledged / stored", "\(result.created) / \(stored)", "", result.created <= stored ? "every acknowledged report stored" : "LOST REPORTS")
    }

    /// Throughput and latency of one run.
    struct IntakeResult {
        var loader: String
        var rate: Double
        var p50: Double
        var p99: Double
        var created: Int
    }

    /// Report inputs at random points inside the city's grids (those under `area` only, when given).
    func reportInputs(count: Int, area: String = "", seed: UInt64 = 2026) async throws -> [ReportInput] {
        let (_, all) = DemoGeography.build(scale: .standard, seed: DemoCity.defaultSeed)
        let grids = all.filter { $0.code.hasPrefix(area) }
        let index = GridIndex(polygons: grids.map(\.boundary))
        let b = index.bounds
        var rng = DemoRandom(seed: seed)
        var inputs: [ReportInput] = []
        inputs.reserveCapacity(count)
        while inputs.count < count {
            let p = GeoPoint(lat: b.minLat + rng.unit() * (b.maxLat - b.minLat), lon: b.minLon + rng.unit() * (b.maxLon - b.minLon))
            guard index.locate(p) != nil else { continue }
            inputs.append(ReportInput(
                clientRequestID: "bench-\(inputs.count)", matterCode: rng.weighted(DemoHistory.matters),
                description: "bench report \(inputs.count)", lat: p.lat, lon: p.lon, source: .hotline))
        }
        return inputs
    }

    /// The reference: the same reports straight into the service, `clients` at a time.
    func directRun(_ inputs: [ReportInput]) async throws -> IntakeResult {
        let (folder, store, platform) = try await Self.scratchPlatform()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await DemoCity.install(into: platform, scale: .standard, password: "bench-password")
        guard let (user, _) = try await store.user(username: "operator") else { throw ValidationError("no operator account") }
        let actor = Actor(user), service = CaseService(platform: platform)
        return try await timed(loader: "direct", count: inputs.count) { i in
            try await service.report(inputs[i], actor: actor).created
        }
    }

    /// Runs `body` for every index with `clients` workers; latencies in milliseconds.
    func timed(loader: String, count: Int, _ body: @escaping @Sendable (Int) async throws -> Bool) async throws -> IntakeResult {
        let clients = self.clients
        let created = Counter()
        let started = DispatchTime.now().uptimeNanoseconds
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for c in 0..<clients {
                group.addTask {
                    var lat: [Double] = []
                    for i in stride(from: c, to: count, by: clients) {
                        let t0 = DispatchTime.now().uptimeNanoseconds
                        if try await body(i) { created.add() }
                        lat.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                    }
                    return lat
                }
            }
            var all: [Double] = []
            for try await l in group { all += l }
            return all.sorted()
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        func pct(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        return IntakeResult(loader: loader, rate: Double(count) / seconds, p50: pct(0.5), p99: pct(0.99), created: created.value)
    }

    /// HTTP load from an in-process client (when wrk is not installed).
    func clientRun(base: String, token: String, inputs: [ReportInput]) async throws -> IntakeResult {
        var config = HTTPClient.Configuration()
        config.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: clients)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        let encoder = JSONEncoder()
        let bodies = try inputs.map { try encoder.encode($0) }
        do {
            let result = try await timed(loader: "in-process client", count: inputs.count) { i in
                var req = HTTPClientRequest(url: base + "/api/v1/cases")
                req.method = .POST
                req.headers.add(name: "Authorization", value: "Bearer \(token)")
                req.headers.add(name: "Content-Type", value: "application/json")
                req.body = .bytes(ByteBuffer(bytes: bodies[i]))
                let res = try await client.execute(req, timeout: .seconds(30))
                _ = try await res.body.collect(upTo: 1 << 20)
                return res.status == .created
            }
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// HTTP load from wrk in a second process: `clients` connections, two threads, each report body sent once.
    /// The rate is taken from the database: the time from launching wrk until every report is stored.
    func wrkRun(wrk: String, base: String, token: String, inputs: [ReportInput], folder: URL, store: SQLiteStore) async throws -> IntakeResult {
        let encoder = JSONEncoder()
        let lines = try inputs.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        let bodies = folder.appendingPathComponent("bodies.jsonl"), script = folder.appendingPathComponent("intake.lua")
        try lines.joined(separator: "\n").write(to: bodies, atomically: true, encoding: .utf8)
        try Self.wrkScript.write(to: script, atomically: true, encoding: .utf8)
        let before = try await store.caseCount()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrk)
        process.arguments = ["-t2", "-c\(clients)", "-d\(inputs.count / 200 + 10)s", "--latency", "-s", script.path, base, "--", token, bodies.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        let started = DispatchTime.now().uptimeNanoseconds
        try process.run()
        var finished = started
        while process.isRunning {
            if try await store.caseCount() - before >= inputs.count {
                finished = DispatchTime.now().uptimeNanoseconds
                process.interrupt()
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if finished == started { finished = DispatchTime.now().uptimeNanoseconds }
        func value(_ key: String) -> Double? {
            output.split(separator: "\n").first { $0.hasPrefix(key + " ") }.flatMap { Double($0.dropFirst(key.count + 1)) }
        }
        guard let created = value("created"), let p50 = value("p50"), let p99 = value("p99") else {
            throw ValidationError("wrk did not report figures:\n\(output)")
        }
        let stored = try await store.caseCount() - before
        return IntakeResult(
            loader: "wrk", rate: Double(stored) / (Double(finished - started) / 1e9), p50: p50, p99: p99, created: Int(created))
    }

    /// Starts the HTTP server on a free port of 127.0.0.1; its base URL and the task to cancel to stop it.
    static func startServer(_ platform: Platform) async throws -> (String, Task<Void, any Error>) {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let portBox = PortBox()
        let app = buildApplication(platform: platform, host: "127.0.0.1", port: 0, logger: logger) { portBox.set($0) }
        let server = Task { try await app.run() }
        while portBox.port == nil { try await Task.sleep(for: .milliseconds(20)) }
        return ("http://127.0.0.1:\(portBox.port!)", server)
    }

    /// Signs in as a demo account (the operator by default).
    func login(_ client: HTTPClient, _ base: String, _ username: String = "operator") async throws -> String {
        var req = HTTPClientRequest(url: base + "/api/v1/auth/login")
        req.method = .POST
        req.headers.add(name: "Content-Type", value: "application/json")
        req.body = .bytes(ByteBuffer(string: #"{"username":"\#(username)","password":"bench-password"}"#))
        let res = try await client.execute(req, timeout: .seconds(10))
        let body = try await res.body.collect(upTo: 1 << 20)
        let obj = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
        guard let token = obj?["token"] as? String else { throw ValidationError("login failed: \(res.status)") }
        return token
    }

    /// The path of an executable on PATH.
    static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// wrk's script: each thread sends its share of the bodies and counts 201s.
    static let wrkScript = #"""
        local threads = {}
        local nthreads = 0
        function setup(thread)
          thread:set("tid", nthreads)
          nthreads = nthreads + 1
          table.insert(threads, thread)
        end
        function init(args)
          token = args[1]
          bodies = {}
          local i = 0
          for line in io.lines(args[2]) do
            if i % 2 == tid then table.insert(bodies, line) end
            i = i + 1
          end
          sent = 0
          created = 0
          headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}
        end
        function request()
          -- wrk calls request() once to check the script before the run, so a body may be used up unsent;
          -- after the last body the thread starts over, and repeats are answered 200 from the stored case.
          sent = sent + 1
          return wrk.format("POST", "/api/v1/cases", headers, bodies[(sent - 1) % #bodies + 1])
        end
        function response(status, hdrs, body)
          if status == 201 then created = created + 1 end
        end
        function done(summary, latency, requests)
          local c = 0
          for _, t in ipairs(threads) do c = c + t:get("created") end
          io.write(string.format("created %d\n", c))
          io.write(string.format("p50 %.2f\n", latency:percentile(50) / 1000))
          io.write(string.format("p99 %.2f\n", latency:percentile(99) / 1000))
        end
        """#
}
