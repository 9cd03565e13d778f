import AsyncHTTPClient
import NIOCore
import ArgumentParser
import CityLoopDemo
import CityLoopDomain
import CityLoopHTTP
import CityLoopMQTT
import CityLoopServices
import Foundation

extension BenchCommand {
    /// `bench iot`: readings through a real Mosquitto on loopback from the simulator (a second process) into ingest
    /// with the rules and SQLite, beside the broker alone carrying the same load to a subscriber that stores nothing;
    /// then a burst at three times the rate, counted in and out.
    func iotBench() async throws {
        let broker = try MosquittoProcess()
        try await broker.start()
        let (folder, store, platform) = try await Self.scratchPlatform()
        defer { try? FileManager.default.removeItem(at: folder) }
        progressLine("iot: installing the demo city's devices")
        _ = try await DemoCity.install(into: platform, scale: .standard, password: "bench-password")
        let deviceCount = try await store.devices(after: nil, limit: 100_000).count
        progressLine("iot: \(deviceCount) devices", done: true)
        let options = MQTTOptions(url: broker.url, city: "bench", connections: mqttConnections, clientID: "bench-\(UUID().uuidString.prefix(6))")

        // The broker alone: the same load to a subscriber that counts and acknowledges.
        let counted = LockedTally()
        let counter = try MQTTConnection(url: broker.url, clientID: "bench-count", onMessage: { _, payload in
            counted.add(payload.reduce(0) { $0 + ($1 == UInt8(ascii: ":") ? 1 : 0) })
            return true
        })
        try await counter.connect()
        for f in DeviceTopics(city: "bench").filters { try await counter.subscribe(f) }
        let raw = try await simulate(folder: folder, options: options, rate: iotRate, seconds: iotSeconds)
        let rawSeconds = try await drained("the broker alone", sent: raw.messages, elapsed: raw.started) { counted.value.messages }
        await counter.disconnect()
        let brokerRate = Double(raw.readings) / rawSeconds

        // CityLoop: the subscriber with ingest, rules and SQLite.
        let subscriber = MQTTReadingsSubscriber(platform: platform, options: options)
        let run = Task { try await subscriber.run() }
        while !subscriber.isConnected { try await Task.sleep(for: .milliseconds(50)) }
        let ours = try await simulate(folder: folder, options: options, rate: iotRate, seconds: iotSeconds)
        let ourSeconds = try await drained("CityLoop", sent: ours.messages, elapsed: ours.started) { subscriber.handled.messages }
        let ourRate = Double(ours.readings) / ourSeconds

        // Reading → alarm → case: covers lifted one by one while the simulator keeps a tenth of the rate going. The
        // lifted covers are probes of their own (after the demo's devices by ID, which the simulator is limited to),
        // so that no simulated reading of the same cover, newer than the probe's, holds the alarm back.
        let probes = try await store.devices(after: "MC-0100", limit: 60).filter { $0.profileID == "manholeCover" }.map { d -> Device in
            var p = d
            p.id = "ZZ-PROBE-" + d.id
            return p
        }
        try await store.saveDevices(probes)
        let background = Task {
            try await simulate(folder: folder, options: options, rate: max(1, iotRate / 10), seconds: 30, devices: deviceCount)
        }
        let latencies = try await alarmToCaseLatencies(broker: broker, options: options, store: store, covers: 60)
        _ = try await background.value

        // A burst at three times the rate: every reading in is stored or refused. What the probes' background left in
        // the journal is ingested first, so that it is not counted with the burst.
        let deadline = Date().addingTimeInterval(600)
        while try await !store.journal(owner: options.clientID, after: nil, limit: 1).isEmpty, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let (before, beforeMessages) = (subscriber.handled.readings, subscriber.handled.messages)
        let burst = try await simulate(folder: folder, options: options, rate: iotRate * 3, seconds: burstSeconds)
        let burstTook = try await drained("the burst", sent: beforeMessages + burst.messages, elapsed: burst.started) { subscriber.handled.messages }
        let burstIn = subscriber.handled.readings - before
        run.cancel()
        _ = try? await run.value

        // Offline detection: devices reporting every 10 s fall silent; the scan `serve` runs (every 5 s) raises them.
        let delays = try await offlineDelays(platform: platform, store: store, devices: 5)
        let http = try await httpBatchRate(platform: platform, store: store)
        let alarms = try await store.alarms(deviceID: nil, activeOnly: true, limit: 100_000)

        print("== IoT ingest through MQTT: \(deviceCount) devices, simulator as a second process, broker on loopback ==")
        row("", "CityLoop (rules + SQLite)", "broker alone", "ratio")
        row("sustained readings/s", String(format: "%.0f", ourRate), String(format: "%.0f", brokerRate), String(format: "%.2f of the broker", ourRate / brokerRate))
        row("target", "50,000/s", "", String(format: "%.2fx of target", ourRate / 50_000))
        row("published (readings, messages)", "\(ours.readings), \(ours.messages)", "\(raw.readings), \(raw.messages)", "")
        row("HTTP batch ingest (POST /api/v1/readings)", String(format: "%.0f readings/s", http.rate),
            "\(http.clients) clients in this process, \(http.entries) entries a request", String(format: "%.2f of MQTT", http.rate / ourRate))
        row("burst at 3x for \(Int(burstSeconds)) s", String(format: "%.0f/s stored", Double(burst.readings) / burstTook), String(format: "drained in %.1f s", burstTook), "")
        row("burst in = stored + refused", "\(burst.readings) = \(burstIn)", "", burst.readings == burstIn ? "nothing lost" : "LOST \(burst.readings - burstIn)")
        let sorted = latencies.sorted()
        let p50 = sorted[sorted.count / 2] * 1000, p99 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))] * 1000
        row("reading → alarm → case (\(sorted.count) covers)", String(format: "p50 %.0f ms, p99 %.0f ms", p50, p99),
            "under \(iotRate / 10)/s of other readings", String(format: "p99 %.2fx of 250 ms", p99 / 250))
        row("offline alarm (\(delays.count) devices)", String(format: "%.1f–%.1f s silent (30 s)", delays.min() ?? 0, delays.max() ?? 0),
            "the scan runs every 5 s", String(format: "worst %.1f s past the interval × 3", (delays.max() ?? 0) - 30))
        row("alarms up after the runs", "\(alarms.count)", "", "")
        row("reference (published)", "ThingsBoard ~3,000 points/s", "2 vCPU, PostgreSQL", String(format: "%.0fx", ourRate / 3000))
    }

    /// Gateways posting batches over HTTP for 10 s (`POST /api/v1/readings` with a partner key, a real server on
    /// loopback, the clients in this process): readings accepted a second.
    func httpBatchRate(platform: Platform, store: any CityStore) async throws -> (rate: Double, clients: Int, entries: Int) {
        let (clients, entries, seconds) = (8, 1000, 10.0)
        guard let (partner, _) = try await store.user(username: "partner") else { throw ValidationError("no partner account") }
        let key = try await AccountService(platform: platform).createAPIToken(userID: partner.id, label: "bench-iot", ratePerMinute: 1_000_000)
        let (base, server) = try await Self.startServer(platform)
        defer { server.cancel() }
        let devices = try await store.devices(after: nil, limit: 2000).filter { !$0.id.hasPrefix("ZZ-") }
        var generator = DemoDeviceReadings(devices: devices)
        // Every entry a millisecond apart per device, in the last four minutes: none repeats another, none is ahead.
        let start = Date().addingTimeInterval(-240)
        let bodies: [[UInt8]] = (0..<64).map { b in
            let list = (0..<entries).map { k -> String in
                let n = b * entries + k
                let d = devices[n % devices.count]
                let at = start.addingTimeInterval(Double(n / devices.count) / 1000)
                return DemoDeviceReadings.json(device: d.id, at: at, generator.measurements(of: d, at: at, elapsed: 0), named: true)
            }
            return Array(("[" + list.joined(separator: ",") + "]").utf8)
        }
        var config = HTTPClient.Configuration()
        config.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: clients)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        let began = Date()
        let accepted = try await withThrowingTaskGroup(of: Int.self) { group in
            for c in 0..<clients {
                group.addTask {
                    var sum = 0
                    var i = c
                    while Date().timeIntervalSince(began) < seconds, i < bodies.count {
                        var req = HTTPClientRequest(url: base + "/api/v1/readings")
                        req.method = .POST
                        req.headers.add(name: "Authorization", value: "Bearer \(key)")
                        req.headers.add(name: "Content-Type", value: "application/json")
                        req.body = .bytes(ByteBuffer(bytes: bodies[i]))
                        let res = try await client.execute(req, timeout: .seconds(120))
                        let body = try await res.body.collect(upTo: 1 << 24)
                        guard res.status == .ok, let reply = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else {
                            throw ValidationError("readings post answered \(res.status)")
                        }
                        sum += reply["accepted"] as? Int ?? 0
                        i += clients
                    }
                    return sum
                }
            }
            return try await group.reduce(0, +)
        }
        let took = Date().timeIntervalSince(began)
        try await client.shutdown()
        return (Double(accepted) / took, clients, entries)
    }

    /// Lifts `covers` manhole covers one by one (a reading each over MQTT, as the device would send it) and measures
    /// from the publish until the alarm is up with its case filed.
    func alarmToCaseLatencies(broker: MosquittoProcess, options: MQTTOptions, store: any CityStore, covers: Int) async throws -> [Double] {
        let topics = DeviceTopics(city: options.city)
        let device = try MQTTConnection(url: broker.url, clientID: "bench-covers")
        try await device.connect()
        var out: [Double] = []
        let ids = try await store.devices(after: "ZZ-PROBE-", limit: covers).map(\.id).filter { $0.hasPrefix("ZZ-PROBE-") }
        for id in ids {
            let sent = Date()
            let body = #"{"at": \#(Int64((sent.timeIntervalSince1970 * 1000).rounded())), "measurements": {"coverState": "open"}}"#
            try await device.publish(topics.readings(of: id), Data(body.utf8))
            let deadline = sent.addingTimeInterval(60)
            while true {
                if let a = try await store.alarms(deviceID: id, activeOnly: true, limit: 5).first(where: { $0.type == "coverOpen" }), a.caseID != nil {
                    out.append(Date().timeIntervalSince(sent))
                    break
                }
                guard Date() < deadline else { throw ValidationError("no case for \(id)'s lifted cover after 60 s") }
                try await Task.sleep(for: .milliseconds(2))
            }
        }
        await device.disconnect()
        return out
    }

    /// Registers `devices` devices that report every 10 s, has each report once, and runs the offline scan as
    /// `serve` does; returns, per device, the seconds from its last report until its `offline` alarm was up.
    func offlineDelays(platform: Platform, store: any CityStore, devices: Int) async throws -> [Double] {
        guard let base = try await store.devices(after: "MC-0200", limit: 1).first else { return [] }
        let silent = (0..<devices).map { i -> Device in
            var d = base
            d.id = "ZZ-SILENT-\(i)"
            d.reportingIntervalSeconds = 10
            d.registeredAt = Date()
            return d
        }
        try await store.saveDevices(silent)
        await platform.deviceIngest.forget(silent.map(\.id))
        var last: [String: Date] = [:]
        for d in silent {
            let at = Date()
            _ = try await platform.deviceIngest.ingest([RawReading(deviceID: d.id, measurement: "coverState", at: at, state: "closed")])
            last[d.id] = at
        }
        let scan = PeriodicService("device offline scan", every: .seconds(5)) { _ = try? await platform.deviceIngest.scanOffline(factor: 3) }
        let running = Task { try await scan.run() }
        defer { running.cancel() }
        var found: [String: Double] = [:]
        let deadline = Date().addingTimeInterval(180)
        while found.count < silent.count, Date() < deadline {
            for d in silent where found[d.id] == nil {
                if let a = try await store.alarms(deviceID: d.id, activeOnly: true, limit: 5).first(where: { $0.type == Alarm.offlineType }) {
                    found[d.id] = a.raisedAt.timeIntervalSince(last[d.id]!)
                }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard found.count == silent.count else { throw ValidationError("offline: \(found.count) of \(silent.count) silent devices raised in 3 minutes") }
        return silent.map { found[$0.id]! }
    }

    /// Runs the simulator as a second process at `rate` for `seconds`; returns what it sent and when it began to send.
    func simulate(folder: URL, options: MQTTOptions, rate: Int, seconds: Double, devices: Int? = nil) async throws -> (readings: Int, messages: Int, started: Date) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        p.arguments = [
            "simulate", "devices", "--data", folder.path, "--mqtt", options.url, "--rate", String(rate), "--batch", String(iotBatch),
            "--duration", String(seconds), "--lang", "en",
        ] + (devices.map { ["--devices", String($0)] } ?? [])
        var env = ProcessInfo.processInfo.environment
        env["CITYLOOP_MQTT_CITY"] = options.city
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        // Read on a thread of its own: waiting for the process must not hold one of Swift's few shared threads,
        // which the ingest being measured needs.
        let text: String = await withCheckedContinuation { c in
            Thread.detachNewThread {
                let data = out.fileHandleForReading.readDataToEndOfFile()
                p.waitUntilExit()
                c.resume(returning: String(decoding: data, as: UTF8.self))
            }
        }
        guard p.terminationStatus == 0, let last = text.split(separator: "\n").last(where: { $0.hasPrefix("sent ") }) else {
            throw ValidationError("the simulator failed: \(text.suffix(500))")
        }
        let words = last.split(separator: " ")
        let numbers = words.compactMap { Int($0) }
        guard numbers.count >= 2, let seconds = words.dropLast().last.flatMap({ Double($0) }) else { throw ValidationError("the simulator said: \(last)") }
        // From its first message (the process's start-up, the demo's devices read and the broker connected, left out).
        return (numbers[0], numbers[1], Date().addingTimeInterval(-seconds))
    }

    /// Waits until `handled()` reaches `sent`; the seconds from `elapsed` to then.
    func drained(_ what: String, sent: Int, elapsed: Date, handled: () -> Int) async throws -> Double {
        let deadline = Date().addingTimeInterval(600)
        while handled() < sent {
            guard Date() < deadline else { throw ValidationError("\(what): \(handled()) of \(sent) messages after 10 minutes") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return Date().timeIntervalSince(elapsed)
    }
}

/// Messages and a tally, added to from the broker client's thread.
final class LockedTally: @unchecked Sendable {
    private let lock = NSLock()
    private var counts = (messages: 0, colons: 0)
    var value: (messages: Int, colons: Int) { lock.withLock { counts } }
    func add(_ colons: Int) { lock.withLock { counts.messages += 1; counts.colons += colons } }
}
