import CityLoopDemo
import CityLoopDomain
import CityLoopJT808
import CityLoopServices
import CityLoopSQLite
import Foundation

extension BenchCommand {
    /// JT/T 808 terminals at scale: trucks registered on a scratch SQLite city with thousands of sites; the simulator,
    /// a second process, opens one real TCP connection per truck, signs in and reports on a fixed interval; the server
    /// (in this process) parses, evaluates against the sites and stores. Printed: connections, positions stored a second
    /// beside those offered, and the time from a location frame to its positions stored and evaluated (p50, p99).
    func vehicleBench() async throws {
        let (folder, store, platform) = try await Self.scratchPlatform()
        defer { try? FileManager.default.removeItem(at: folder) }
        let n = vehicleConnections
        progressLine("vehicles: registering \(n) trucks and \(vehicleSites) sites")
        // Sites: 50 m squares over a 50 km square around Zhengzhou; every truck's permit runs between two of them.
        var rng = DemoRandom(seed: 808, stream: 1)
        let centre = GeoPoint(lat: 34.75, lon: 113.65)
        var sites: [Site] = []
        for i in 0..<vehicleSites {
            let c = centre.offset(eastMetres: (rng.unit() - 0.5) * 50_000, northMetres: (rng.unit() - 0.5) * 50_000)
            let ring = [(-1.0, -1.0), (1, -1), (1, 1), (-1, 1), (-1, -1)].map { c.offset(eastMetres: $0.0 * 50, northMetres: $0.1 * 50) }
            sites.append(Site(id: SiteID("S-\(i)"), name: "site \(i)", kind: i % 10 == 0 ? .disposalSite : .constructionSite, boundary: Polygon(outer: ring)))
        }
        try await store.saveSites(sites)
        var vehicles: [Vehicle] = []
        var permits: [TransportPermit] = []
        for i in 1...n {
            let id = VehicleID("ZT-\(i)")
            vehicles.append(Vehicle(id: id, plate: "豫A\(i)", kind: .muckTruck, terminalPhone: DemoFleet.terminalPhone(i)))
            let a = sites[(i * 7) % sites.count], b = sites[((i * 7) / 10 * 10) % sites.count]
            permits.append(TransportPermit(
                id: PermitID("P-\(i)"), vehicleID: id, originSiteID: a.id, destinationSiteID: b.id,
                corridor: [a.boundary.interiorPoint, b.boundary.interiorPoint], validFrom: Date().addingTimeInterval(-86_400),
                validTo: Date().addingTimeInterval(86_400)))
        }
        for start in stride(from: 0, to: n, by: 2000) {
            try await store.saveVehicles(Array(vehicles[start..<min(n, start + 2000)]))
            try await store.savePermits(Array(permits[start..<min(n, start + 2000)]))
        }
        let server = JT808Server(platform: platform, host: "127.0.0.1", port: 0)
        let running = Task { try await server.run() }
        defer { running.cancel() }
        let port = await server.port
        let offered = Double(n) / vehicleInterval

        progressLine("vehicles: \(n) terminals connecting, then \(Int(vehicleSeconds)) s at \(Int(offered)) positions/s offered")
        let sim = Process()
        sim.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        sim.arguments = [
            "simulate", "vehicles", "--data", folder.path, "--jt808", "127.0.0.1:\(port)", "--interval", String(vehicleInterval), "--speed", "60",
            "--stay", "60", "--duration", String(vehicleSeconds + 60),
        ]
        sim.standardOutput = FileHandle.nullDevice
        try sim.run()
        // Counted once every terminal is signed in: connections open and the first positions stored.
        let connectDeadline = Date().addingTimeInterval(120)
        while server.counters.openConnections < n, Date() < connectDeadline { try await Task.sleep(for: .milliseconds(200)) }
        let connectedAt = Date()
        let startCount = server.counters.positionCount
        try await Task.sleep(for: .seconds(vehicleSeconds))
        let stored = server.counters.positionCount - startCount
        let seconds = Date().timeIntervalSince(connectedAt)
        let p50 = server.counters.latency(quantile: 0.5) ?? .nan, p99 = server.counters.latency(quantile: 0.99) ?? .nan
        let events = try await store.vehicleEvents(vehicleID: nil, before: nil, limit: 1_000_000).count
        sim.terminate()
        sim.waitUntilExit()
        progressLine("vehicles: done", done: true)
        print("== JT/T 808: \(n) terminals over TCP (a second process), \(vehicleSites) sites, SQLite ==")
        row("connections open (peak)", "\(server.counters.peakOpenConnections)", "target 10,000", String(format: "%.2fx", Double(server.counters.peakOpenConnections) / 10_000))
        row("positions stored/s", String(format: "%.0f", Double(stored) / seconds), String(format: "offered %.0f/s", offered),
            String(format: "%.2fx of 20,000", Double(stored) / seconds / 20_000))
        row("frame → stored and evaluated", String(format: "p50 %.0f ms, p99 %.0f ms", p50 * 1000, p99 * 1000), "target p99 < 1,000 ms",
            String(format: "%.2fx", p99))
        row("vehicle events raised", "\(events)", "", "")
        row("refusals", "\(server.counters.refusalsByTerminal.values.reduce(0) { $0 + $1.byReason.values.reduce(0, +) })", "", "")
    }
}
