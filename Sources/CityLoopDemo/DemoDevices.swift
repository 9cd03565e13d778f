import CityLoopDomain
import Foundation

/// The demo city's devices (感知设备): manhole cover sensors on rain and water covers, water gauges at low spots,
/// noise and dust monitors at construction sites, fill sensors on litter bins, street light controllers and a few
/// generic devices — 2,000 in the standard city. IDs tell the type: `MC-0001`, `WL-0001`, `NZ-…`, `AQ-…`, `WB-…`,
/// `SL-…`, `GD-…`.
public enum DemoDevices {
    /// The kinds and their shares, ID prefixes and reporting intervals.
    static let kinds: [(profile: String, prefix: String, share: Double, interval: Int)] = [
        ("manholeCover", "MC", 0.30, 300), ("waterLevel", "WL", 0.10, 60), ("noise", "NZ", 0.075, 60), ("airQuality", "AQ", 0.075, 60),
        ("wasteContainer", "WB", 0.25, 600), ("streetlight", "SL", 0.175, 600), ("generic", "GD", 0.025, 300),
    ]

    /// A gauge's numbers: the sensor 5 m above the dry street; water at 0.3 m is the alert level, 0.5 m danger.
    public static let gaugeAttributes: [String: Double] = ["referenceLevel": 5, "alertLevel": 0.3, "dangerLevel": 0.5]

    /// `count` devices on `grids`; cover sensors sit on the city's cover components (and watch them).
    public static func make(seed: UInt64, count: Int, grids: [UnitGrid], components: [Component], now: Date) -> [Device] {
        var rng = DemoRandom(seed: seed, stream: 11)
        let covers = components.filter { ["01001", "01002", "01003"].contains($0.classCode) }
        var out: [Device] = []
        for kind in kinds {
            let n = max(1, Int((Double(count) * kind.share).rounded()))
            for i in 0..<n {
                let id = "\(kind.prefix)-\(String(zeroPadded: i + 1, width: 4))"
                var point: GeoPoint
                var grid: String
                var component: String?
                if kind.profile == "manholeCover", !covers.isEmpty {
                    let c = covers[(i * 7919) % covers.count]
                    (point, grid, component) = (c.point, c.gridCode, c.id)
                } else {
                    let g = grids[Int(rng.next() % UInt64(grids.count))]
                    (point, grid) = (DemoHistory.randomPoint(in: g.boundary, &rng), g.code)
                }
                out.append(
                    Device(
                        id: id, profileID: kind.profile, model: "\(kind.prefix)-100", point: point, gridCode: grid, componentID: component,
                        reportingIntervalSeconds: kind.interval, attributes: kind.profile == "waterLevel" ? gaugeAttributes : [:], registeredAt: now))
            }
        }
        return out
    }
}
