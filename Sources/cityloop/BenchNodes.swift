import ArgumentParser
import Foundation

/// A `cityloop serve` process of this same executable, as a deployment runs a node: its own connection pool,
/// change relay and background work, listening on a free port of 127.0.0.1.
final class BenchNode: Sendable {
    let process: Process
    /// `http://127.0.0.1:PORT`.
    let base: String

    private init(process: Process, base: String) {
        self.process = process
        self.base = base
    }

    /// The operating system's ID of the node's process.
    var pid: Int32 { process.processIdentifier }

    /// Starts a node on the database of `url` with its data folder (media, logs, ledger key) under `folder`, and
    /// waits until it listens (its log says where).
    static func start(database url: String, folder: URL, index: Int) async throws -> BenchNode {
        let data = folder.appendingPathComponent("node-\(index)", isDirectory: true)
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let log = data.appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let out = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["serve", "--database", url, "--data", data.path, "--host", "127.0.0.1", "--port", "0", "--lang", "en"]
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                return BenchNode(process: process, base: String(text[range]))
            }
            guard process.isRunning else {
                throw ValidationError("cityloop serve (node \(index)) stopped before listening:\n\(text.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        process.terminate()
        throw ValidationError("cityloop serve (node \(index)) did not listen within 120 s; its log: \(log.path)")
    }

    /// Stops the node gracefully (SIGTERM) and waits for it to end.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}

/// CPU time used by processes during a run, from Linux's `/proc`: who kept the cores busy.
struct CPUUse {
    /// Cores kept busy on average (CPU seconds per second of the run) by the CityLoop nodes, the database server,
    /// the load generator, and the whole machine.
    var nodes: Double, database: Double?, load: Double, machine: Double
    /// Cores the machine has.
    var cores: Int

    /// The figures as one cell each.
    var text: String {
        var parts = [String(format: "nodes %.2f", nodes)]
        if let database { parts.append(String(format: "PostgreSQL %.2f", database)) }
        parts.append(String(format: "load %.2f", load))
        return parts.joined(separator: ", ") + String(format: " (machine %.2f of %d)", machine, cores)
    }

    /// A process's user and system CPU time in seconds so far (nil when it is gone or not on this machine).
    static func seconds(_ pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return nil }
        // After the command name in parentheses come the fields from the third on; utime and stime are 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The machine's busy and total CPU seconds so far, over all cores (`/proc/stat`).
    static func machineSeconds() -> (busy: Double, total: Double) {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8), let line = text.split(separator: "\n").first else { return (0, 0) }
        let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard ticks.count >= 5 else { return (0, 0) }
        let total = ticks.reduce(0, +), idle = ticks[3] + ticks[4]
        let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ((total - idle) / hz, total / hz)
    }

    /// The sum of the processes' CPU seconds.
    static func sum(_ pids: [Int32]) -> [Int32: Double] {
        var out: [Int32: Double] = [:]
        for pid in pids { out[pid] = seconds(pid) }
        return out
    }
}

/// Watches the CPU time of a run's processes from its start to its end.
struct CPUWatch {
    var nodes: [Int32]
    var load: [Int32] = []
    /// The database server's processes, read again at the end (its pool may open backends during the run).
    var database: (@Sendable () async -> [Int32])?
    private var startNodes: [Int32: Double] = [:], startLoad: [Int32: Double] = [:], startDatabase: [Int32: Double] = [:]
    private var startMachine = (busy: 0.0, total: 0.0)
    private var started: UInt64 = 0

    init(nodes: [Int32], database: (@Sendable () async -> [Int32])?) {
        self.nodes = nodes
        self.database = database
    }

    /// Takes the starting values (`load` are the load generator's processes, started just before).
    mutating func start(load: [Int32]) async {
        self.load = load
        startNodes = CPUUse.sum(nodes)
        startLoad = CPUUse.sum(load)
        if let database { startDatabase = CPUUse.sum(await database()) }
        startMachine = CPUUse.machineSeconds()
        started = DispatchTime.now().uptimeNanoseconds
    }

    /// The cores each party kept busy since `start`.
    func stop() async -> CPUUse {
        let seconds = max(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9, 0.001)
        func used(_ now: [Int32: Double], _ before: [Int32: Double]) -> Double {
            now.reduce(0) { $0 + $1.value - (before[$1.key] ?? 0) } / seconds
        }
        var database: Double?
        if let read = self.database { database = used(CPUUse.sum(await read()), startDatabase) }
        let machine = CPUUse.machineSeconds()
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let busy = machine.total > startMachine.total
            ? (machine.busy - startMachine.busy) / (machine.total - startMachine.total) * Double(cores) : 0
        return CPUUse(nodes: used(CPUUse.sum(nodes), startNodes), database: database, load: used(CPUUse.sum(load), startLoad), machine: busy, cores: cores)
    }
}
