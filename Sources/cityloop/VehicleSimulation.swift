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
            var drive = TruckDrive(from: a, to: b, speedKmh: speed, interval: interval, stay: stay, dumps: i % 20 == 7, via: via?.boundary.interiorPoint)
            drive.legs = drive.roundTrip
            return (v, drive)
        }
        guard !drives.isEmpty else { throw ValidationError(settings.messages.t("没有带准运证的渣土车", "no muck trucks with permits are registered")) }
        print(settings.messages.t("模拟 \(drives.count) 辆渣土车 → \(jt808)", "simulating \(drives.count) muck trucks → \(jt808)"))
        let detours = drives.filter { $0.1.via != nil }.count
        print(settings.messages.t(
            "偷倒 \(drives.filter { $0.1.dumps }.count) 辆，闯禁行 \(detours) 辆（当前禁行的禁行区 \(closed.count) 个）",
            "dumping: \(drives.filter { $0.1.dumps }.count), through a forbidden zone: \(detours) (zones closed now: \(closed.count))"))
        let host = String(parts[0]), v: JT808Version = version == 2013 ? .v2013 : .v2019
        let stopAt = duration.map { Date().addingTimeInterval($0) }
        // Trucks start spread over one interval, not all in the same instant.
        let running = drives.map { truck, drive in
            let delay = Double.random(in: 0..<interval)
            var drive = drive
            drive.start = Date().addingTimeInterval(delay)
            drive.until = stopAt
            let phone = truck.terminalPhone!
            let registration = JT808Registration(
                provinceID: 41, cityID: 100, manufacturerID: v == .v2019 ? "CITYLOOPSIM" : "CLSIM", terminalModel: "SIM-808",
                terminalID: JT808String(stringLiteral: v == .v2019 ? "SIM-\(phone)" : String(phone.suffix(7))), plateColor: 2,
                plate: JT808String(stringLiteral: truck.plate))
            return JT808ReportingTerminal.start(
                host: host, port: port, phone: phone, version: v, registration: registration, plan: drive, after: .nanoseconds(Int64(delay * 1e9)))
        }
        var sent = 0
        for r in running { sent += (try? await r.get()) ?? 0 }
        print(settings.messages.t("已发送位置 \(sent) 条", "sent \(sent) positions"))
    }
}

/// One truck's trips: loaded for `stay` seconds at its site, along the road to the disposal site, empty for `stay` there,
/// back; round trip after round trip from `start`, a position every `interval` seconds. A trip is a few legs and each
/// position is worked out when it is sent (10,000 trucks' trips written out position by position took gigabytes).
struct TruckDrive: JT808ReportPlan {
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
    /// When the first trip starts.
    var start = Date()
    /// When the truck stops reporting; nil: never.
    var until: Date? = nil

    /// One position of a trip.
    struct Step {
        var point: GeoPoint
        var load: JT808LoadState
        var speed: Double
    }

    /// A part of a trip: standing at a point, or driving from one to another (up to a share of the way), `steps`
    /// positions long.
    struct Leg {
        var a: GeoPoint
        var b: GeoPoint?
        var load: JT808LoadState
        var share = 1.0
        var steps: Int
    }

    /// The legs of one round trip, worked out from the route.
    var roundTrip: [Leg] {
        var out: [Leg] = []
        func hold(_ p: GeoPoint, _ load: JT808LoadState, _ seconds: Double) {
            out.append(Leg(a: p, b: nil, load: load, steps: max(1, Int(seconds / interval))))
        }
        func drive(_ a: GeoPoint, _ b: GeoPoint, _ load: JT808LoadState, upTo share: Double = 1) {
            out.append(Leg(a: a, b: b, load: load, share: share, steps: max(1, Int(a.distance(to: b) * share / (speedKmh / 3.6 * interval)))))
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

    /// Position `n` of the round trip given by `legs` (repeating).
    static func step(_ n: Int, of legs: [Leg], speedKmh: Double) -> Step {
        var i = n % max(1, legs.reduce(0) { $0 + $1.steps })
        for leg in legs {
            guard i >= leg.steps else {
                guard let b = leg.b else { return Step(point: leg.a, load: leg.load, speed: 0) }
                let f = leg.share * Double(i + 1) / Double(leg.steps)
                return Step(point: GeoPoint(lat: leg.a.lat + (b.lat - leg.a.lat) * f, lon: leg.a.lon + (b.lon - leg.a.lon) * f), load: leg.load, speed: speedKmh)
            }
            i -= leg.steps
        }
        return Step(point: legs[0].a, load: legs[0].load, speed: 0)
    }

    func time(of n: Int) -> Date? {
        let at = start.addingTimeInterval(Double(n) * interval)
        if let until, at >= until { return nil }
        return at
    }

    func location(_ n: Int, now: Date) throws -> JT808Location {
        let step = Self.step(n, of: legs.isEmpty ? roundTrip : legs, speedKmh: speedKmh)
        var status: JT808LocationStatus = [.accOn, .positioned]
        status.loadState = step.load
        return try JT808Location(
            latitude: step.point.lat, longitude: step.point.lon, speedKmh: step.speed, altitude: 100, direction: 90, time: JT808Timestamp(date: now),
            alarm: [], status: status)
    }

    /// The legs of a round trip as driven (`roundTrip`, worked out once).
    var legs: [Leg] = []
}
