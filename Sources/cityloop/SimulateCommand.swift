import ArgumentParser
import CityLoopDemo
import CityLoopDomain
import CityLoopMQTT
import CityLoopServices
import Foundation

/// `cityloop simulate devices`: the registered devices publish readings over MQTT (设备模拟器).
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate", abstract: "Simulate the city's devices and vehicles (设备与车辆模拟).", subcommands: [Devices.self, SimulateVehicles.self])

    struct Devices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish realistic readings of the registered devices over MQTT, with faults: a lifted cover (MC-0001), a dead light "
                + "(SL-0001), a rainstorm over WL-0001's district, a silent device (GD-0001).",
            discussion: "Without --rate each device reports at its own interval; with --rate the devices report in turn at that many readings a second.")
        @OptionGroup var options: DataOptions
        @Option(help: "The broker, mqtt://host:port (env CITYLOOP_MQTT_URL; config key mqtt.url).") var mqtt: String?
        @Option(help: "Readings a second in all; default each device at its own interval.") var rate: Int?
        @Option(help: "Entries per message: 1 publishes on each device's topic, more on a gateway's topic.") var batch: Int = 1
        @Option(help: "Stop after this many seconds; default run until stopped.") var duration: Double?
        @Option(help: "Devices at most (the first by ID).") var devices: Int?
        @Flag(help: "Wait (up to 10 minutes) for the data to exist and hold devices (a server installing the demo).") var wait = false

        func run() async throws {
            let settings = try await options.settings(["mqtt.url": mqtt])
            let m = settings.messages
            guard let mqtt = settings.mqtt else { throw ValidationError(m.t("请给出 --mqtt mqtt://主机:端口", "give --mqtt mqtt://host:port")) }
            guard (1...5000).contains(batch) else { throw ValidationError("--batch: 1 to 5000") }
            var all: [Device] = []
            let deadline = Date().addingTimeInterval(wait ? 600 : 0)
            repeat {
                do {
                    let (_, store) = try await settings.openPlatform()
                    var after: String?
                    while let page = Optional(try await store.devices(after: after, limit: 1000)), let last = page.last {
                        all += page
                        after = last.id
                    }
                } catch where wait && Date() < deadline {
                    // The server is still creating the database.
                }
                if all.isEmpty, wait, Date() < deadline { try await Task.sleep(for: .seconds(2)) }
            } while all.isEmpty && wait && Date() < deadline
            if let devices { all = Array(all.prefix(devices)) }
            guard !all.isEmpty else { throw ValidationError(m.t("没有登记的设备", "no devices are registered")) }
            let result = try await DeviceSimulation(devices: all, options: mqtt, batch: batch).run(rate: rate, duration: duration) { line in
                print(line)
            }
            print(m.t("已发送读数 \(result.readings) 条，消息 \(result.messages) 条，用时 \(String(format: "%.1f", result.seconds)) 秒",
                      "sent \(result.readings) readings in \(result.messages) messages in \(String(format: "%.1f", result.seconds)) s"))
        }
    }
}

/// Publishes the demo devices' readings over MQTT at a rate (the simulator, and the IoT benchmark's load).
struct DeviceSimulation {
    let devices: [Device]
    let options: MQTTOptions
    let batch: Int

    struct Result {
        var readings = 0
        var messages = 0
        var seconds = 0.0
    }

    /// Publishes until `duration` (forever when nil) at `rate` readings a second (each device at its interval when nil).
    func run(rate: Int?, duration: Double?, report: @escaping (String) -> Void) async throws -> Result {
        let topics = DeviceTopics(city: options.city)
        let client = try MQTTConnection(url: options.url, clientID: "cityloop-simulator-\(UUID().uuidString.prefix(8))", username: options.username, password: options.password)
        try await client.connect()
        var generator = DemoDeviceReadings(devices: devices)
        let live = generator.devices
        let start = Date()
        var result = Result()
        // Each device's first report spread over its interval; the faulty ones at once.
        var next = Dictionary(uniqueKeysWithValues: live.enumerated().map { i, d in
            (d.id, DemoDeviceReadings.faulty.contains(d.id) ? 0 : Double((i * 7919) % max(1, d.reportingIntervalSeconds)))
        })
        var turn = 0
        var pending: [String] = []
        var pendingSince = start
        var lastReport = start
        func flush(wait: Bool) async throws {
            guard !pending.isEmpty else { return }
            pendingSince = Date()
            let topic = batch == 1 ? topics.readings(of: pendingDevice) : topics.readings(ofGateway: "gw-sim")
            let body = batch == 1 ? pending[0] : "[" + pending.joined(separator: ",") + "]"
            try await client.publish(topic, Data(body.utf8), wait: wait)
            result.messages += 1
            pending.removeAll(keepingCapacity: true)
        }
        var pendingDevice = ""
        while true {
            let now = Date()
            let elapsed = now.timeIntervalSince(start)
            if let duration, elapsed >= duration { break }
            // Who is due: at a rate, as many readings as the time asks for; else each device at its interval.
            var due: [Device] = []
            if let rate {
                let owed = Int(elapsed * Double(rate)) - result.readings
                var count = 0
                while count < owed, due.count < 20_000 {
                    let d = live[turn % live.count]
                    turn += 1
                    due.append(d)
                    count += d.profileID == "waterLevel" ? 1 : 2
                }
            } else {
                for d in live where next[d.id, default: 0] <= elapsed {
                    due.append(d)
                    // The faulty ones report every 10 s, so that their faults show at once.
                    next[d.id, default: 0] += DemoDeviceReadings.faulty.contains(d.id) ? 10 : Double(d.reportingIntervalSeconds)
                }
            }
            if due.isEmpty {
                if now.timeIntervalSince(pendingSince) >= 0.1 { try await flush(wait: false) }
                try await Task.sleep(for: .milliseconds(rate == nil ? 500 : 2))
                continue
            }
            for d in due {
                // Each reading a millisecond after the device's last, so that none repeats another.
                let values = generator.measurements(of: d, at: now, elapsed: elapsed)
                pending.append(DemoDeviceReadings.json(device: d.id, at: now.addingTimeInterval(Double(turn % 1000) / 1000), values, named: batch > 1))
                pendingDevice = d.id
                result.readings += values.count
                if pending.count >= batch { try await flush(wait: false) }
            }
            // A gateway sends when its batch is full, or every 100 ms with what it has.
            if now.timeIntervalSince(pendingSince) >= 0.1 { try await flush(wait: false) }
            if now.timeIntervalSince(lastReport) >= 10 {
                lastReport = now
                report(String(format: "%.0f s: %d readings, %d messages", elapsed, result.readings, result.messages))
            }
        }
        // The last one waits for the broker, so everything before it is there too.
        if let d = live.first {
            let at = Date()
            let values = generator.measurements(of: d, at: at, elapsed: at.timeIntervalSince(start))
            pending.append(DemoDeviceReadings.json(device: d.id, at: at, values, named: batch > 1))
            pendingDevice = d.id
            result.readings += values.count
            try await flush(wait: true)
        }
        result.seconds = Date().timeIntervalSince(start)
        await client.disconnect()
        return result
    }
}
