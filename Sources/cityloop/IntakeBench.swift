import ArgumentParser
import AsyncHTTPClient
import CityLoopDemo
import CityLoopDomain
import CityLoopHTTP
import CityLoopPostgres
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
        let wrk = useInProcessClient ? nil : Self.findExecutable("wrk")
        var runs: [(name: String, result: IntakeResult, direct: IntakeResult)] = []

        // SQLite: one process holds the server and the database.
        let sqliteDirect = try await directRun(inputs, .sqlite)
        let city = try await scratchCity(.sqlite)
        do {
            _ = try await DemoCity.install(into: city.platform, scale: .standard, password: "bench-password")
            let (base, server) = try await Self.startServer(city.platform)
            defer { server.cancel() }
            let watch = CPUWatch(nodes: [getpid()], database: nil)
            runs.append(("SQLite", try await httpRun(wrk: wrk, bases: [base], city: city, inputs: inputs, watch: watch), sqliteDirect))
        } catch {
            await city.dispose()
            throw error
        }
        await city.dispose()

        // PostgreSQL: `cityloop serve` processes, as deployed, one and then two on a fresh database each.
        if kinds.contains(.postgres) {
            let postgresDirect = try await directRun(inputs, .postgres)
            for nodes in [1, 2] {
                let city = try await scratchCity(.postgres)
                var started: [BenchNode] = []
                do {
                    _ = try await DemoCity.install(into: city.platform, scale: .standard, password: "bench-password")
                    for i in 0..<nodes { started.append(try await BenchNode.start(database: city.url!, folder: city.folder, index: i)) }
                    let store = city.platform.store as! PostgresStore
                    let watch = CPUWatch(nodes: started.map(\.pid)) { (try? await store.serverProcessIDs()) ?? [] }
                    let result = try await httpRun(wrk: wrk, bases: started.map(\.base), city: city, inputs: inputs, watch: watch)
                    runs.append((nodes == 1 ? "PostgreSQL, 1 node" : "PostgreSQL, \(nodes) nodes", result, postgresDirect))
                } catch {
                    for n in started { n.stop() }
                    await city.dispose()
                    throw error
                }
                for n in started { n.stop() }
                await city.dispose()
            }
        }

        print("== intake: \(clients) concurrent clients, \(inputs.count) reports spread over the demo city; load from \(runs[0].result.loader) ==")
        compare("", runs.map(\.name))
        compare("HTTP reports/s", runs.map { String(format: "%.0f (%.2fx of 3,000)", $0.result.rate, $0.result.rate / 3000) })
        compare("HTTP latency p50 / p99 (ms)", runs.map { String(format: "%.1f / %.1f", $0.result.p50, $0.result.p99) })
        compare("service alone reports/s", runs.map { String(format: "%.0f", $0.direct.rate) })
        compare("service alone p50 / p99 (ms)", runs.map { String(format: "%.1f / %.1f", $0.direct.p50, $0.direct.p99) })
        // wrk is stopped once everything is stored, so a few acknowledgements may still have been on the wire.
        compare("acknowledged / stored", runs.map { "\($0.result.created) / \($0.result.stored)" + ($0.result.created <= $0.result.stored ? "" : " LOST") })
        print("cores kept busy during the HTTP runs (CPU seconds per second; the nodes run the HTTP server and the services):")
        for run in runs { if let cpu = run.result.cpu { print("  " + run.name.padding(toLength: 32, withPad: " ", startingAt: 0) + cpu.text) } }
    }

    /// Throughput and latency of one run.
    struct IntakeResult {
        var loader: String
        var rate: Double
        var p50: Double
        var p99: Double
        var created: Int
        var stored = 0
        var cpu: CPUUse?
    }

    /// HTTP intake against the servers at `bases` (the city's demo installed), from wrk when given, else from an
    /// in-process client; the reports are shared out among the servers.
    func httpRun(wrk: String?, bases: [String], city: BenchCity, inputs: [ReportInput], watch: CPUWatch) async throws -> IntakeResult {
        let store = city.platform.store
        let before = try await store.caseCount()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var result: IntakeResult
        do {
            let token = try await login(client, bases[0])
            if let wrk {
                result = try await wrkRun(wrk: wrk, bases: bases, token: token, inputs: inputs, folder: city.folder, store: store, watch: watch)
            } else {
                result = try await clientRun(bases: bases, token: token, inputs: inputs, watch: watch)
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        result.stored = try await store.caseCount() - before
        return result
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
    func directRun(_ inputs: [ReportInput], _ kind: BenchCity.Kind) async throws -> IntakeResult {
        let city = try await scratchCity(kind)
        do {
            let platform = city.platform
            _ = try await DemoCity.install(into: platform, scale: .standard, password: "bench-password")
            guard let (user, _) = try await platform.store.user(username: "operator") else { throw ValidationError("no operator account") }
            let actor = Actor(user), service = CaseService(platform: platform)
            let result = try await timed(loader: "direct", count: inputs.count) { i in
                try await service.report(inputs[i], actor: actor).created
            }
            await city.dispose()
            return result
        } catch {
            await city.dispose()
            throw error
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

    /// HTTP load from an in-process client (when wrk is not installed), the reports shared out among the servers.
    func clientRun(bases: [String], token: String, inputs: [ReportInput], watch: CPUWatch) async throws -> IntakeResult {
        var config = HTTPClient.Configuration()
        config.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: clients)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        let encoder = JSONEncoder()
        let bodies = try inputs.map { try encoder.encode($0) }
        var watch = watch
        await watch.start(load: [])
        do {
            var result = try await timed(loader: "in-process client", count: inputs.count) { i in
                var req = HTTPClientRequest(url: bases[i % bases.count] + "/api/v1/cases")
                req.method = .POST
                req.headers.add(name: "Authorization", value: "Bearer \(token)")
                req.headers.add(name: "Content-Type", value: "application/json")
                req.body = .bytes(ByteBuffer(bytes: bodies[i]))
                let res = try await client.execute(req, timeout: .seconds(30))
                _ = try await res.body.collect(upTo: 1 << 20)
                return res.status == .created
            }
            result.cpu = await watch.stop()
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// HTTP load from wrk in second processes, one per server: `clients` connections in all, two threads in all,
    /// each report body sent once. The rate is taken from the database: the time from launching wrk until every
    /// report is stored. Latencies: the mean of the servers' medians, the worst of their 99th percentiles.
    func wrkRun(
        wrk: String, bases: [String], token: String, inputs: [ReportInput], folder: URL, store: any CityStore, watch: CPUWatch
    ) async throws -> IntakeResult {
        let encoder = JSONEncoder()
        let lines = try inputs.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        let script = folder.appendingPathComponent("intake.lua")
        try Self.wrkScript.write(to: script, atomically: true, encoding: .utf8)
        let threads = bases.count == 1 ? 2 : 1
        var processes: [(Process, Pipe)] = []
        for (k, base) in bases.enumerated() {
            let bodies = folder.appendingPathComponent("bodies-\(k).jsonl")
            let mine = lines.enumerated().filter { $0.offset % bases.count == k }.map(\.element)
            try mine.joined(separator: "\n").write(to: bodies, atomically: true, encoding: .utf8)
            let arguments = [
                "-t\(threads)", "-c\(max(clients / bases.count, threads))", "-d\(inputs.count / 200 + 10)s", "--latency", "-s", script.path, base, "--",
                token, bodies.path, String(threads),
            ]
            let process = Process()
            // A process started from Swift's worker threads inherits their mask, which blocks every signal: wrk would
            // never see the SIGINT that ends it early (and makes it print its figures), and run its whole duration.
            // Python clears the mask and becomes wrk.
            if let python = Self.findExecutable("python3") {
                process.executableURL = URL(fileURLWithPath: python)
                process.arguments = ["-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])", wrk] + arguments
            } else {
                process.executableURL = URL(fileURLWithPath: wrk)
                process.arguments = arguments
            }
            let pipe = Pipe()
            process.standardOutput = pipe
            processes.append((process, pipe))
        }
        let before = try await store.caseCount()
        // A count of a large PostgreSQL table is not free: asked less often there.
        let poll: Duration = store is SQLiteStore ? .milliseconds(20) : .milliseconds(100)
        var watch = watch
        let started = DispatchTime.now().uptimeNanoseconds
        for (p, _) in processes { try p.run() }
        await watch.start(load: processes.map { $0.0.processIdentifier })
        var finished = started
        while processes.contains(where: { $0.0.isRunning }) {
            if try await store.caseCount() - before >= inputs.count {
                finished = DispatchTime.now().uptimeNanoseconds
                break
            }
            try await Task.sleep(for: poll)
        }
        if finished == started { finished = DispatchTime.now().uptimeNanoseconds }
        let cpu = await watch.stop()
        for (p, _) in processes where p.isRunning { p.interrupt() }
        var created = 0.0, p50s: [Double] = [], p99s: [Double] = []
        for (p, pipe) in processes {
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            func value(_ key: String) -> Double? {
                output.split(separator: "\n").first { $0.hasPrefix(key + " ") }.flatMap { Double($0.dropFirst(key.count + 1)) }
            }
            guard let c = value("created"), let p50 = value("p50"), let p99 = value("p99") else {
                throw ValidationError("wrk did not report figures:\n\(output)")
            }
            created += c
            p50s.append(p50)
            p99s.append(p99)
        }
        let stored = try await store.caseCount() - before
        return IntakeResult(
            loader: "wrk", rate: Double(stored) / (Double(finished - started) / 1e9), p50: p50s.reduce(0, +) / Double(p50s.count),
            p99: p99s.max() ?? 0, created: Int(created), cpu: cpu)
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
          local n = tonumber(args[3])
          for line in io.lines(args[2]) do
            if i % n == tid then table.insert(bodies, line) end
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
