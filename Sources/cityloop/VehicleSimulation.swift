import ArgumentParser
import CityLoopDemo
import CityLoopDomain
import CityLoopJT808
import Foundation

/// `cityloop simulate vehicles`: the registered trucks drive their permits' trips and report over JT/T 808.
struct SimulateVehicles: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vehicles",
        abstract: "Drive the registered trucks over real JT/T 808 connections: each registers, authenticates and runs trips along its permit "
            + "(loaded at its site, empty at the disposal site); every 20th truck dumps halfway instead, and every 20th other one "
            + "detours through a forbidden zone in its hours (车辆模拟).")
    @OptionGroup var options: DataOptions
    @Option(help: "The JT/T 808 server, host:port.") var jt808: String = "127.0.0.1:8808"
    @Option(help: "Trucks at most (the first by ID).") var vehicles: Int?
    @Option(help: "Seconds between a truck's positions.") var interval: Double = 10
    @Option(help: "Driving speed, km/h (a simulation may run faster than a truck).") var speed: Double = 40
    @Option(help: "Seconds a truck stays to load and to unload.") var stay: Double = 60
    @Option(help: "Stop after this many seconds; default run until stopped.") var duration: Double?
    @Option(help: "Protocol version: 2013 or 2019.") var version: Int = 2019

    func run() async throws {
        let settings = try await options.settings([:])
        let parts = jt808.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]), (1...65535).contains(port) else { throw ValidationError("--jt808: host:port") }
        guard interval >= 0.1, speed > 0, speed <= 1000, stay >= 0 else { throw ValidationError("--interval ≥ 0.1 s, --speed 0–1000 km/h, --stay ≥ 0 s") }
        let (_, store) = try await settings.openPlatform()
        var trucks: [Vehicle] = []
        var after: VehicleID?
        while let page = Optional(try await store.vehicles(after: after, limit: 1000)), let last = page.last {
            trucks += page.filter { $0.kind == .muckTruck && $0.terminalPhone != nil }
            after = last.id
        }
        if let vehicles { trucks = Array(trucks.prefix(vehicles)) }
        let sites = Dictionary(uniqueKeysWithValues: try await store.sites().map { ($0.id, $0) })
        let permits = Dictionary(grouping: try await store.permits(vehicleID: nil), by: \.vehicleID)
        // The zones closed to muck trucks now (their hours in the city's time); a detouring truck crosses the nearest.
        let closed = sites.values.filter { $0.forbidsMuckTrucks(at: Date(), utcOffsetSeconds: VehicleRuleSettings().utcOffsetSeconds) }
        let drives: [(Vehicle, TruckDrive)] = trucks.enumerated().compactMap { i, v in
            guard let p = permits[v.id]?.first, let from = sites[p.originSiteID], let to = sites[p.destinationSiteID] else { return nil }
            let a = from.boundary.interiorPoint, b = to.boundary.interiorPoint
            let middle = GeoPoint(lat: (a.lat + b.lat) / 2, lon: (a.lon + b.lon) / 2)
            let via = i % 20 == 13 ? closed.min { $0.boundary.interiorPoint.distance(to: middle) < $1.boundary.interiorPoint.distance(to: middle) } : nil
            return (v, TruckDrive(from: a, to: b, speedKmh: speed, interval: interval, stay: stay, dumps: i % 20 == 7, via: via?.boundary.interiorPoint))
        }
        guard !drives.isEmpty else { throw ValidationError(settings.messages.t("没有带准运证的渣土车", "no muck trucks with permits are registered")) }
        print(settings.messages.t("模拟 \(drives.count) 辆渣土车 → \(jt808)", "simulating \(drives.count) muck trucks → \(jt808)"))
        let detours = drives.filter { $0.1.via != nil }.count
        print(settings.messages.t(
            "偷倒 \(drives.filter { $0.1.dumps }.count) 辆，闯禁行 \(detours) 辆（当前禁行的禁行区 \(closed.count) 个）",
            "dumping: \(drives.filter { $0.1.dumps }.count), through a forbidden zone: \(detours) (zones closed now: \(closed.count))"))
        let host = String(parts[0]), v: JT808Version = version == 2013 ? .v2013 : .v2019
        let stopAt = duration.map { Date().addingTimeInterval($0) }
        let sent = await withTaskGroup(of: Int.self) { group in
            for (truck, drive) in drives {
                group.addTask {
                    return (try? await drive.run(host: host, port: port, phone: truck.terminalPhone!, version: v, plate: truck.plate, until: stopAt)) ?? 0
                }
            }
            return await group.reduce(0, +)
        }
        print(settings.messages.t("已发送位置 \(sent) 条", "sent \(sent) positions"))
    }
}

/// One truck's trips: loaded for `stay` seconds at its site, along the road to the disposal site, empty for `stay` there, back.
struct TruckDrive {
    let from: GeoPoint
    let to: GeoPoint
    let speedKmh: Double
    let interval: Double
    /// Seconds to load and to unload.
    let stay: Double
    /// Unloads halfway (suspected dumping) instead of at the disposal site.
    let dumps: Bool
    /// A point the loaded truck drives to and stands at for at least 35 s on its way (in a forbidden zone), off its
    /// permitted road; nil: straight.
    var via: GeoPoint? = nil

    /// One position of a trip.
    struct Step {
        /// Seconds from the trip's start.
        var offset: Double
        var point: GeoPoint
        var load: JT808LoadState
        var speed: Double
    }

    /// The positions of one round trip.
    func trip() -> [Step] {
        var out: [Step] = []
        var t = 0.0
        func hold(_ p: GeoPoint, _ load: JT808LoadState, _ seconds: Double) {
            for _ in 0..<max(1, Int(seconds / interval)) {
                out.append(Step(offset: t, point: p, load: load, speed: 0))
                t += interval
            }
        }
        func drive(_ a: GeoPoint, _ b: GeoPoint, _ load: JT808LoadState, upTo share: Double = 1) {
            let steps = max(1, Int(a.distance(to: b) * share / (speedKmh / 3.6 * interval)))
            for i in 1...steps {
                let f = share * Double(i) / Double(steps)
                out.append(Step(offset: t, point: GeoPoint(lat: a.lat + (b.lat - a.lat) * f, lon: a.lon + (b.lon - a.lon) * f), load: load, speed: speedKmh))
                t += interval
            }
        }
        hold(from, .full, stay)
        if dumps {
            drive(from, to, .full, upTo: 0.5)
            let field = GeoPoint(lat: from.lat + (to.lat - from.lat) / 2, lon: from.lon + (to.lon - from.lon) / 2)
            hold(field, .empty, stay)
            drive(field, from, .empty)
        } else if let via {
            // Into the zone and standing there loaded longer than the rules' dwell (30 s), as a truck waiting out the hours.
            drive(from, via, .full)
            hold(via, .full, max(stay, 35))
            drive(via, to, .full)
            hold(to, .empty, stay)
            drive(to, from, .empty)
        } else {
            drive(from, to, .full)
            hold(to, .empty, stay)
            drive(to, from, .empty)
        }
        return out
    }

    /// Connects, signs in and drives round trips in real time until `until`; returns the positions acknowledged.
    func run(host: String, port: Int, phone: String, version: JT808Version, plate: String, until: Date?) async throws -> Int {
        // Trucks start spread over one interval, not all in the same instant.
        try await Task.sleep(for: .seconds(Double.random(in: 0..<interval)))
        let registration = JT808Registration(
            provinceID: 41, cityID: 100, manufacturerID: version == .v2019 ? "CITYLOOPSIM" : "CLSIM", terminalModel: "SIM-808",
            terminalID: JT808String(stringLiteral: version == .v2019 ? "SIM-\(phone)" : String(phone.suffix(7))), plateColor: 2,
            plate: JT808String(stringLiteral: plate))
        return try await JT808Terminal.connect(host: host, port: port, phone: phone, version: version, deadline: .hours(24 * 365)) { terminal in
            try await drive(terminal, registration: registration, until: until)
        }
    }

    // Unoptimized, as `report`: Swift 6.3.1's optimizer crashes on both (CopyPropagation, signal 6) in release builds;
    // they only pace a truck's reports.
    @_optimize(none)
    private func drive(_ terminal: JT808Terminal, registration: JT808Registration, until: Date?) async throws -> Int {
        guard try await terminal.signIn(registration: registration) else { return 0 }
        let end = until ?? .distantFuture
        let plan = trip()
        var sent = 0
        var start = Date()
        var index = 0
        while true {
            let step = plan[index]
            let at = start.addingTimeInterval(step.offset)
            if at >= end { break }
            let wait = at.timeIntervalSinceNow
            if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
            if try await report(terminal, step) { sent += 1 }
            index += 1
            if index == plan.count {
                index = 0
                start = Date()
            }
        }
        return sent
    }

    @_optimize(none)
    private func report(_ terminal: JT808Terminal, _ step: Step) async throws -> Bool {
        var status: JT808LocationStatus = [.accOn, .positioned]
        status.loadState = step.load
        let location = try JT808Location(
            latitude: step.point.lat, longitude: step.point.lon, speedKmh: step.speed, altitude: 100, direction: 90, time: JT808Timestamp(date: Date()),
            alarm: [], status: status)
        return try await terminal.send(.locationReport(location)).result == .success
    }
}
