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

/// `cityloop bench`: measure grid lookup, HTTP intake and demo generation, printed beside their targets
/// and a reference (brute force for lookups). Build with `-c release` for meaningful figures.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure grid lookup, intake, Open311 and mixed intake, demo loading, the leader's screen in Chromium, and the evaluation and analytics beside DuckDB, and verifying all history (性能基准).",
        discussion: "Run as: swift run -c release cityloop bench [grid|intake|open311|demo|console|analytics|verify|iot|vehicles|detections|all]")

    enum Which: String, ExpressibleByArgument, CaseIterable { case grid, intake, open311, demo, console, analytics, verify, iot, vehicles, detections, all }

    @Argument(help: "What to measure.") var which: Which = .all
    @Option(help: "Lookups for the grid benchmark.") var lookups = 5_000_000
    @Option(help: "Grid benchmark: the data folder of an imported city, whose grids are looked up instead of synthetic squares.")
    var data: String?
    @Option(help: "Grid benchmark: points checked against a brute-force scan of every polygon.") var bruteForce = 1_000
    @Option(help: "Reports for the intake benchmark.") var reports = 30_000
    @Option(help: "Concurrent clients for the intake benchmark.") var clients = 100
    @Option(help: "Cases for the demo and console benchmarks.") var cases = 1_000_000
    @Option(help: "Console, analytics and verify benchmarks: keep the demo city in this folder and reuse it on later runs (with --database, the PostgreSQL city in that URL's database).") var reuse: String?
    @Option(help: "A PostgreSQL server (postgres://user@host:port/database) measured beside SQLite for intake, demo, console and analytics: scratch databases are created on it and dropped; with --reuse the city is kept in the URL's database.")
    var database: String?
    @Option(help: "Console benchmark: page loads measured (the first is cold).") var renderRuns = 5
    @Option(help: "Console benchmark: live updates measured.") var liveRuns = 10
    @Option(name: .customLong("iot-rate"), help: "IoT benchmark: readings a second the simulator publishes.") var iotRate = 50_000
    @Option(name: .customLong("iot-seconds"), help: "IoT benchmark: seconds of sustained load.") var iotSeconds = 20.0
    @Option(name: .customLong("burst-seconds"), help: "IoT benchmark: seconds of the burst at three times the rate.") var burstSeconds = 60.0
    @Option(name: .customLong("iot-batch"), help: "IoT benchmark: entries per MQTT message (a gateway's batch).") var iotBatch = 100
    @Option(name: .customLong("mqtt-connections"), help: "IoT benchmark: CityLoop's connections to the broker.") var mqttConnections = 4
    @Option(name: .customLong("vehicle-connections"), help: "Vehicles benchmark: trucks, one JT/T 808 connection each.") var vehicleConnections = 10_000
    @Option(name: .customLong("vehicle-sites"), help: "Vehicles benchmark: site polygons the positions are evaluated against.") var vehicleSites = 5_000
    @Option(name: .customLong("vehicle-interval"), help: "Vehicles benchmark: seconds between a truck's positions.") var vehicleInterval = 0.4
    @Option(name: .customLong("vehicle-seconds"), help: "Vehicles benchmark: seconds measured.") var vehicleSeconds = 20.0
    @Flag(help: "Drive the intake benchmark from an in-process HTTP client even when wrk is installed.")
    var useInProcessClient = false

    func run() async throws {
        if which == .grid || which == .all { try await gridBench() }
        if which == .intake || which == .all { try await intakeBench() }
        if which == .open311 || which == .all { try await open311Bench() }
        if which == .demo || which == .all { try await demoBench() }
        if which == .console || which == .all { try await consoleBench() }
        if which == .analytics || which == .all { try await analyticsBench() }
        if which == .verify || which == .all { try await verifyBench() }
        if which == .iot || which == .all { try await iotBench() }
        if which == .vehicles || which == .all { try await vehicleBench() }
        if which == .detections || which == .all { try await detectionBench() }
    }

    func row(_ name: String, _ value: String, _ reference: String, _ ratio: String) {
        print(name.padding(toLength: 34, withPad: " ", startingAt: 0) + value.padding(toLength: 22, withPad: " ", startingAt: 0)
              + reference.padding(toLength: 26, withPad: " ", startingAt: 0) + ratio)
    }

    func gridBench() async throws {
        let grids: [UnitGrid]
        var source = "synthetic squares"
        if let data {
            let file = URL(fileURLWithPath: data).appendingPathComponent("cityloop.sqlite").path
            guard FileManager.default.fileExists(atPath: file) else { throw ValidationError("no CityLoop database in \(data)") }
            grids = try await SQLiteStore(path: file).grids()
            guard !grids.isEmpty else { throw ValidationError("the city in \(data) has no grids; import them first (cityloop import grids)") }
            source = "imported city \(data)"
        } else {
            grids = DemoGeography.build(scale: DemoScale.forCases(1_000_000), seed: 7).1
        }
        let index = GridIndex(polygons: grids.map(\.boundary))
        var rng = DemoRandom(seed: 99)
        let b = index.bounds
        let points = (0..<1_000_000).map { _ in
            GeoPoint(lat: b.minLat + rng.unit() * (b.maxLat - b.minLat), lon: b.minLon + rng.unit() * (b.maxLon - b.minLon))
        }
        var found = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var i = 0
        for _ in 0..<lookups {
            if index.locate(points[i]) != nil { found += 1 }
            i = i + 1 == points.count ? 0 : i + 1
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let rate = Double(lookups) / seconds
        let sample = min(bruteForce, points.count)
        let bstart = DispatchTime.now().uptimeNanoseconds
        var mismatches = 0
        for p in points.prefix(sample) where index.locateBruteForce(p) != index.locate(p) { mismatches += 1 }
        let brute = Double(sample) / (Double(DispatchTime.now().uptimeNanoseconds - bstart) / 1e9)
        print("== grid lookup: \(grids.count) grids (\(source)), one core ==")
        row("lookups/s", String(format: "%.0f", rate), String(format: "brute force %.0f/s", brute), String(format: "%.0fx", rate / brute))
        row("target", "1,000,000/s", "", String(format: "%.2fx of target", rate / 1e6))
        row("answers equal to brute force", "\(sample - mismatches)/\(sample)", String(format: "brute force %.0f/s", brute), mismatches == 0 ? "ok" : "MISMATCH")
        print("(hit \(found) of \(lookups))")
    }

    /// A platform on a fresh SQLite file in a temporary folder (cheap bcrypt cost: accounts are not the subject).
    static func scratchPlatform() async throws -> (URL, SQLiteStore, Platform) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: folder.appendingPathComponent("cityloop.sqlite").path)
        let media = try FileMediaStore(root: folder.appendingPathComponent("media"))
        return (folder, store, try await Platform(store: store, media: media, passwords: Passwords(cost: 4)))
    }

    func demoBench() async throws {
        var figures: [(seconds: Double, summary: DemoCity.Summary)] = []
        for kind in kinds {
            let city = try await scratchCity(kind)
            do {
                let started = Date()
                let summary = try await DemoCity.install(into: city.platform, scale: .forCases(cases), password: "bench-password") { phase, done, total in
                    progressLine("\(kind.rawValue): \(phase) \(done)/\(total)", done: phase == "cases" && done == total)
                }
                figures.append((Date().timeIntervalSince(started), summary))
            } catch {
                await city.dispose()
                throw error
            }
            await city.dispose()
        }
        let summary = figures[0].summary
        print("== demo city: \(summary.cases) cases, \(summary.events) events, \(summary.grids) grids, \(summary.components) components ==")
        compare("", kinds.map(\.rawValue))
        compare("generated and loaded in", figures.map { String(format: "%.1f s (%.2fx of 120 s)", $0.seconds, $0.seconds / 120) })
        compare("cases/s", figures.map { String(format: "%.0f", Double($0.summary.cases) / $0.seconds) })
        row("peak memory (whole run)", peakMemoryMiB().map { String(format: "%.0f MiB", $0) } ?? "n/a", "", "")
    }
}

/// The port the server bound, set once it runs.
final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int?
    var port: Int? { lock.withLock { value } }
    func set(_ p: Int) { lock.withLock { value = p } }
}

/// A thread-safe counter.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    var value: Int { lock.withLock { n } }
    func add() { lock.withLock { n += 1 } }
}

extension Data {
    init(buffer: ByteBuffer) { self = buffer.withUnsafeReadableBytes { Data($0) } }
}
