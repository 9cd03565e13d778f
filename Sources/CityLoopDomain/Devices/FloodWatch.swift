import Foundation

/// Rainstorm emergency (内涝预警): several water gauges of one district above their alert level within an hour
/// raise an area-level warning for the leader's screen and the early-warning list.
public struct FloodWatch: Hashable, Codable, Sendable {
    /// The alarm types that count.
    public var alarmTypes: Set<String> = ["waterAboveAlert", "waterAboveDanger"]
    /// Gauges of one district with such an alarm up, raised within `windowSeconds`, that make a warning.
    public var gauges = 3
    public var windowSeconds: TimeInterval = 3600
    /// The matter class the warning is filed under (雨水箅子: the street drains).
    public var matterCode = "01004"

    /// The default watch.
    public init() {}

    /// The warning for the district `district` at `now` given the alarms up and their devices' grids; nil when
    /// too few gauges are up. Severe when one of them is above its danger level.
    public func check(district: String, alarms: [Alarm], gridOf: (String) -> String?, now: Date) -> EarlyWarningAlert? {
        let recent = alarms.filter {
            $0.active && alarmTypes.contains($0.type) && now.timeIntervalSince($0.raisedAt) <= windowSeconds
                && gridOf($0.deviceID)?.hasPrefix(district) == true
        }
        let devices = Set(recent.map(\.deviceID))
        guard devices.count >= gauges, let first = recent.map(\.raisedAt).min() else { return nil }
        let severe = recent.contains { $0.type == "waterAboveDanger" }
        return EarlyWarningAlert(
            window: DateInterval(start: first, end: max(first, now)), observed: devices.count, expected: Double(gauges - 1),
            ratio: Double(devices.count) / Double(gauges - 1), pValue: 0, severity: severe ? .severe : .warning)
    }

    /// The districts flooding now: `gauges` or more of their gauges with such an alarm up, however long ago raised
    /// (the leader's screen), most gauges first.
    public func flooding(alarms: [Alarm], gridOf: (String) -> String?) -> [FloodingDistrict] {
        var byDistrict: [String: (devices: Set<String>, severe: Bool)] = [:]
        for a in alarms where a.active && alarmTypes.contains(a.type) {
            guard let grid = gridOf(a.deviceID), grid.count >= 6 else { continue }
            let district = String(grid.prefix(6))
            byDistrict[district, default: ([], false)].devices.insert(a.deviceID)
            if a.type == "waterAboveDanger" { byDistrict[district]?.severe = true }
        }
        return byDistrict.filter { $0.value.devices.count >= gauges }
            .map { FloodingDistrict(district: $0.key, gauges: $0.value.devices.count, severe: $0.value.severe) }
            .sorted { ($0.gauges, $1.district) > ($1.gauges, $0.district) }
    }
}

/// A district with enough gauges above their alert level to be flooding (内涝).
public struct FloodingDistrict: Hashable, Codable, Sendable {
    /// The district's 6-digit code.
    public var district: String
    /// Its gauges with an alarm up.
    public var gauges: Int
    /// One of them is above its danger level.
    public var severe: Bool
}
