import CityLoopDomain
import Foundation

/// The demo city's muck-truck fleet (渣土车): construction sites and disposal sites (消纳场) as squares in the city's
/// grids, forbidden zones (禁行区) away from the trucks' roads, trucks `ZT-0001`… of the two haulage companies with
/// terminal numbers `13900000001`…, and a transport permit (准运证) per truck from its site to a disposal site along the
/// straight road between them — 500 trucks in the standard city.
public enum DemoFleet {
    /// What the fleet is made of.
    public struct Fleet: Sendable {
        /// The trucks.
        public var vehicles: [Vehicle]
        /// Construction sites, disposal sites, then forbidden zones.
        public var sites: [Site]
        /// One permit per truck.
        public var permits: [TransportPermit]
        /// One driver per truck, of the truck's company.
        public var drivers: [Driver] = []
    }

    /// The `n`th truck's driver (from 1): a name made from the number, so the demo's random draws stay as they were.
    static func driver(_ n: Int, company: DepartmentID) -> Driver {
        let surnames = Array("张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗"), given = Array("建国志强海军明华伟东立新振宇永庆德胜春生")
        let name = "\(surnames[n % surnames.count])\(given[(n / surnames.count) % given.count])\(given[(n * 7) % given.count])"
        return Driver(
            id: DriverID("SJ-\(String(zeroPadded: n, width: 4))"), name: name, licenceNumber: "4101021980" + String(zeroPadded: n, width: 8),
            phone: "137" + String(zeroPadded: n, width: 8), companyID: company)
    }

    /// The terminal number of the `n`th truck (from 1).
    public static func terminalPhone(_ n: Int) -> String { "139" + String(zeroPadded: n, width: 8) }

    /// The haulage companies (contractor departments of the demo organization) the trucks belong to, in turn.
    public static let companies: [DepartmentID] = ["haulage-hengtong", "haulage-jiejing"]

    /// `count` trucks over `grids`, their sites and permits; permits run from 30 days before `now` to 180 days after.
    /// One forbidden zone per 100 trucks (at least two), each at least 500 m from every permit's road: the first closed
    /// to muck trucks all day (a school's surroundings), the others from 07:00 to 22:00.
    public static func make(seed: UInt64, count: Int, grids: [UnitGrid], now: Date) -> Fleet {
        guard count > 0, !grids.isEmpty else { return Fleet(vehicles: [], sites: [], permits: []) }
        var rng = DemoRandom(seed: seed, stream: 17)
        func square(_ id: String, _ name: String, _ kind: Site.Kind, metres: Double) -> Site {
            let c = grids[Int(rng.next() % UInt64(grids.count))].boundary.interiorPoint
            let ring = [(-1.0, -1.0), (1, -1), (1, 1), (-1, 1), (-1, -1)].map { c.offset(eastMetres: $0.0 * metres, northMetres: $0.1 * metres) }
            return Site(id: SiteID(id), name: name, kind: kind, boundary: Polygon(outer: ring))
        }
        let building = (0..<max(1, count / 10)).map { square("CS-\(String(zeroPadded: $0 + 1, width: 3))", "工地 \($0 + 1)", .constructionSite, metres: 80) }
        let disposal = (0..<max(1, count / 100)).map { square("DS-\(String(zeroPadded: $0 + 1, width: 2))", "消纳场 \($0 + 1)", .disposalSite, metres: 150) }
        var vehicles: [Vehicle] = []
        var permits: [TransportPermit] = []
        var drivers: [Driver] = []
        for n in 1...count {
            let id = VehicleID("ZT-\(String(zeroPadded: n, width: 4))")
            let company = companies[(n - 1) % companies.count]
            drivers.append(driver(n, company: company))
            vehicles.append(
                Vehicle(id: id, plate: "豫A\(String(zeroPadded: 80000 + n, width: 5))", kind: .muckTruck, terminalPhone: terminalPhone(n),
                        companyID: company, capacityTonnes: 18, driverID: drivers[n - 1].id))
            let from = building[(n - 1) % building.count], to = disposal[(n - 1) % disposal.count]
            permits.append(
                TransportPermit(
                    id: PermitID("ZY-\(String(zeroPadded: n, width: 4))"), vehicleID: id, originSiteID: from.id, destinationSiteID: to.id,
                    corridor: [from.boundary.interiorPoint, to.boundary.interiorPoint], corridorMetres: 300,
                    validFrom: now.addingTimeInterval(-30 * 86_400), validTo: now.addingTimeInterval(180 * 86_400)))
        }
        var zones: [Site] = []
        for z in 0..<max(2, count / 100) {
            // A zone no permitted road passes, so only a truck leaving its road is in it.
            var zone = square("FZ-\(String(zeroPadded: z + 1, width: 2))", z == 0 ? "禁行区 \(z + 1)（学校周边）" : "禁行区 \(z + 1)", .forbiddenZone, metres: 100)
            for _ in 0..<50 where permits.contains(where: { PolylineGeometry.distanceMetres(from: zone.boundary.interiorPoint, to: $0.corridor) < 500 }) {
                zone = square(zone.id.rawValue, zone.name, .forbiddenZone, metres: 100)
            }
            zone.forbiddenHours = [try! DailyWindow(z == 0 ? "00:00-24:00" : "07:00-22:00")]
            zones.append(zone)
        }
        return Fleet(vehicles: vehicles, sites: building + disposal + zones, permits: permits, drivers: drivers)
    }
}
