import Foundation

extension VehicleTracker {
    /// `tampered` when a report newly sets a tampering bit (an edge: a bit held set raises nothing again). A new
    /// tracker has seen no bits, so its first report with one set raises.
    mutating func checkAlarms(_ p: VehiclePosition, settings: VehicleRuleSettings) -> [VehicleEvent] {
        let newlySet = p.alarmBits & ~alarmBits & settings.tamperAlarmBits
        alarmBits = p.alarmBits
        guard newlySet != 0 else { return [] }
        var e = event(.tampered, p)
        e.alarmBits = newlySet
        return [e]
    }

    /// The offline sweep (离线巡检): `offline` when the vehicle's last evaluated report is at least
    /// `offlineAfterSeconds` before `now`, once per silence (the next evaluated report ends it). Mutating, since it
    /// must remember that it reported. A tracker that has seen nothing raises nothing.
    public mutating func offline(now: Date, settings: VehicleRuleSettings) -> VehicleEvent? {
        guard !offlineReported, let last = lastEvaluatedAt, now.timeIntervalSince(last) >= settings.offlineAfterSeconds else {
            return nil
        }
        offlineReported = true
        return VehicleEvent(kind: .offline, vehicleID: vehicleID, time: now, point: lastFix, since: last)
    }
}
