import CityLoopDomain
import Foundation

/// Realistic readings for the demo's devices (设备模拟), with the faults a city sees: a lifted cover (`MC-0001`, from
/// 20 s for two minutes), a dead street light (`SL-0001`, from 30 s), a rainstorm over the district of `WL-0001`
/// (from 40 s the water rises to 0.7 m over five minutes, stays five minutes and recedes), and a silent device
/// (`GD-0001` never reports). The schedule repeats every hour.
public struct DemoDeviceReadings: Sendable {
    /// The devices it speaks for, and the district of the rainstorm.
    public let devices: [Device]
    let stormDistrict: String?
    private var rng: DemoRandom
    private var fill: [String: Double] = [:]

    /// The silent device.
    public static let silent = "GD-0001"
    /// The devices with a fault of their own.
    public static let faulty: Set<String> = ["MC-0001", "SL-0001"]

    /// Readings for `devices`.
    public init(devices: [Device], seed: UInt64 = 7) {
        self.devices = devices.filter { $0.id != Self.silent }
        stormDistrict = devices.first { $0.id == "WL-0001" }?.gridCode.map { String($0.prefix(6)) }
        rng = DemoRandom(seed: seed, stream: 12)
    }

    /// One entry (读数) of `device` at `at`, `elapsed` seconds into the run: measurement name → number or state.
    public mutating func measurements(of device: Device, at: Date, elapsed: Double) -> [String: ReadingValue] {
        let cycle = elapsed.truncatingRemainder(dividingBy: 3600)
        func jitter(_ spread: Double) -> Double { (rng.unit() - 0.5) * 2 * spread }
        switch device.profileID {
        case "manholeCover":
            let lifted = device.id == "MC-0001" && (20..<140).contains(cycle)
            return [
                "coverState": .state(lifted ? "open" : "closed"), "tiltAngle": .number(lifted ? 40 : abs(jitter(1.5))),
                "displacement": .number(lifted ? 120 : abs(jitter(2))),
            ]
        case "waterLevel":
            var depth = abs(jitter(0.01))
            if let d = stormDistrict, device.gridCode?.hasPrefix(d) == true {
                let t = cycle - 40
                if t >= 0 && t < 300 { depth += 0.7 * t / 300 } else if t >= 300 && t < 600 { depth += 0.7 } else if t >= 600 && t < 900 { depth += 0.7 * (900 - t) / 300 }
            }
            return ["measuredDistance": .number((device.attributes["referenceLevel"] ?? 5) - depth)]
        case "noise":
            let laeq = 55 + jitter(8)
            return ["LAeq": .number(laeq), "LAmax": .number(laeq + 8 + abs(jitter(4)))]
        case "airQuality":
            let pm25 = 35 + jitter(15)
            return ["pm25": .number(pm25), "pm10": .number(pm25 * 1.9 + abs(jitter(10)))]
        case "wasteContainer":
            var f = fill[device.id] ?? rng.unit() * 0.6
            f += 0.002
            if f > 0.95 { f = 0.05 }
            fill[device.id] = f
            return ["fillingLevel": .number(min(1, f)), "status": .state("ok")]
        case "streetlight":
            let hour = Calendar(identifier: .gregorian).component(.hour, from: at.addingTimeInterval(8 * 3600))
            let dead = device.id == "SL-0001" && cycle >= 30
            return ["powerState": .state(hour >= 18 || hour < 6 ? "on" : "off"), "status": .state(dead ? "defectiveLamp" : "ok")]
        default:
            return ["value": .number(50 + jitter(10)), "state": .state("ok"), "batteryLevel": .number(0.8)]
        }
    }

    /// An entry as JSON text in the readings payload's form (`device` included when `named`).
    public static func json(device: String, at: Date, _ values: [String: ReadingValue], named: Bool) -> String {
        var parts: [String] = []
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            switch value {
            case .number(let n): parts.append("\"\(name)\":\(n)")
            case .state(let s): parts.append("\"\(name)\":\"\(s)\"")
            }
        }
        let ms = Int64((at.timeIntervalSince1970 * 1000).rounded())
        return "{" + (named ? "\"device\":\"\(device)\"," : "") + "\"at\":\(ms),\"measurements\":{" + parts.joined(separator: ",") + "}}"
    }
}
