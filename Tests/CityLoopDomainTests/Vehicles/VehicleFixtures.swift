@testable import CityLoopDomain
import Foundation

/// The test city: a construction site (工地) at the origin, a disposal site (消纳场) 5 km east, a permit whose
/// corridor runs straight between them past a weighbridge, and a residential zone 3 km north closed to muck trucks
/// at night (22:00-06:00).
enum VehicleFixtures {
    /// 2026-05-01 00:00 in the city (UTC+8).
    static let midnight = Date(timeIntervalSince1970: 1_777_564_800)
    static let origin = GeoPoint(lat: 34.75, lon: 113.65)
    static let truckID: VehicleID = "truck-1"

    /// 2026-05-01 at the local time given.
    static func local(_ hour: Int, _ minute: Int = 0, _ second: Int = 0) -> Date {
        midnight.addingTimeInterval(TimeInterval(hour * 3600 + minute * 60 + second))
    }

    /// The point `east` and `north` metres from the origin.
    static func at(east: Double, north: Double = 0) -> GeoPoint {
        origin.offset(eastMetres: east, northMetres: north)
    }

    /// A square of side `2 * half` metres centred `east`/`north` of the origin.
    static func square(east: Double, north: Double, half: Double) -> Polygon {
        Polygon(outer: [
            at(east: east - half, north: north - half), at(east: east + half, north: north - half),
            at(east: east + half, north: north + half), at(east: east - half, north: north + half),
        ])
    }

    static let construction = Site(id: "cs-1", name: "金水路项目 Jinshui Rd project", kind: .constructionSite, boundary: square(east: 0, north: 0, half: 100))
    static let disposal = Site(id: "ds-1", name: "东区消纳场 East disposal site", kind: .disposalSite, boundary: square(east: 5000, north: 0, half: 150))
    static let weighbridge = Site(id: "wb-1", name: "地磅 Weighbridge", kind: .weighbridge, boundary: square(east: 2500, north: 0, half: 30))
    static let nightZone = Site(
        id: "fz-1", name: "居民区 Residential zone", kind: .forbiddenZone, boundary: square(east: 0, north: 3000, half: 500),
        forbiddenHours: [try! DailyWindow("22:00-06:00")])
    static let sites = try! SiteIndex(sites: [construction, disposal, weighbridge, nightZone])

    /// truck-1's permit: cs-1 to ds-1 along the straight corridor, valid ten days either side of 1 May, all day.
    static let permit = TransportPermit(
        id: "P-2026-0001", vehicleID: truckID, originSiteID: "cs-1", destinationSiteID: "ds-1",
        corridor: [at(east: 0), at(east: 2500), at(east: 5000)],
        validFrom: midnight.addingTimeInterval(-10 * 86_400), validTo: midnight.addingTimeInterval(10 * 86_400))

    static let settings = VehicleRuleSettings()

    /// Feeds reports to a tracker in order and collects what they raise.
    static func run(
        _ tracker: inout VehicleTracker, _ positions: [VehiclePosition], permits: [TransportPermit] = [permit],
        settings: VehicleRuleSettings = settings, sites: SiteIndex = sites
    ) -> [VehicleEvent] {
        positions.flatMap { tracker.ingest($0, sites: sites, permits: permits, settings: settings) }
    }

    /// The kinds of `events`, in order.
    static func kinds(_ events: [VehicleEvent]) -> [VehicleEvent.Kind] { events.map(\.kind) }
}

/// Builds a vehicle's reports: standing, drifting or driving, one report every `interval` seconds.
struct TrackBuilder {
    var vehicleID: VehicleID
    /// The time of the next report.
    var time: Date
    var interval: TimeInterval
    var here: GeoPoint
    var positions: [VehiclePosition] = []

    init(_ vehicleID: VehicleID = VehicleFixtures.truckID, start: Date, at point: GeoPoint, interval: TimeInterval = 10) {
        self.vehicleID = vehicleID
        time = start
        self.interval = interval
        here = point
    }

    /// One report at `point` (default: where the vehicle is), then the clock moves on by `interval`.
    mutating func report(
        at point: GeoPoint? = nil, load: VehicleLoad = .empty, speedKmh: Double = 0, alarmBits: UInt32 = 0, positioned: Bool = true
    ) {
        if let point { here = point }
        positions.append(
            VehiclePosition(
                vehicleID: vehicleID, time: time, point: positioned ? here : GeoPoint(lat: 0, lon: 0), speedKmh: speedKmh,
                load: load, alarmBits: alarmBits, positioned: positioned))
        time = time.addingTimeInterval(interval)
    }

    /// Reports for `seconds` (one every `interval`) standing at `point` or where the vehicle is.
    mutating func stay(_ seconds: TimeInterval, at point: GeoPoint? = nil, load: VehicleLoad = .empty, speedKmh: Double = 0) {
        for _ in 0..<Int((seconds / interval).rounded()) { report(at: point, load: load, speedKmh: speedKmh) }
    }

    /// Reports driving in a straight line to `point` at `speedKmh`; the last report is at `point`.
    mutating func drive(to point: GeoPoint, speedKmh: Double = 40, load: VehicleLoad = .empty) {
        let start = here
        let seconds = start.distance(to: point) / (speedKmh / 3.6)
        let n = max(1, Int((seconds / interval).rounded(.up)))
        for k in 1...n {
            let f = Double(k) / Double(n)
            report(
                at: GeoPoint(lat: start.lat + f * (point.lat - start.lat), lon: start.lon + f * (point.lon - start.lon)), load: load,
                speedKmh: speedKmh)
        }
    }
}
