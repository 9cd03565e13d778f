import Foundation

/// One ingest batch worked out (接入处理), pure: raw readings checked against their devices, the accepted ones run
/// through every rule of their device in time order, the alarms raised, updated and cleared, and a device that
/// reports again cleared of its `offline` alarm. The service reads what this needs and stores what it gives.
public enum IngestStep {
    /// The batch to store, and what happened to each raw reading.
    public struct Outcome: Sendable {
        public var batch = DeviceIngestBatch()
        /// Accepted raw readings (derived readings not counted).
        public var accepted = 0
        /// Alarms changed by the batch, each once, as they end up.
        public var alarms: [Alarm] { batch.alarms }
        /// The IDs of the alarms the batch raised (not up before it).
        public var raised: Set<String> = []
    }

    /// Works out a batch: `devices` are the registered devices among the readings' IDs, `state` their stored rule
    /// states, alarms up and last reports, `newID` names new alarms. Without `rules` (a back-fill of history) the
    /// readings are only checked and kept: no rule sees them and no device's silence ends.
    public static func run(
        _ raws: [RawReading], devices: [String: Device], profiles: [String: DeviceProfile], state: DeviceIngestState, now: Date,
        rules: Bool = true, newID: () -> String
    ) -> Outcome {
        var out = Outcome()
        var readings: [Reading] = []
        for raw in raws {
            let device = devices[raw.deviceID]
            switch ReadingCheck.check(raw, device: device, profile: device.flatMap { profiles[$0.profileID] }, now: now) {
            case .success(let got):
                readings += got
                out.accepted += 1
            case .failure(let rejection):
                out.batch.rejections.append(rejection)
            }
        }
        out.batch.readings = readings
        var ruleStates = state.ruleStates
        var alarms = state.activeAlarms
        var changed: [String: Alarm] = [:]
        var order: [String] = []
        func keep(_ alarm: Alarm) {
            if changed[alarm.id] == nil { order.append(alarm.id) }
            changed[alarm.id] = alarm
            alarms[DeviceRuleKey(deviceID: alarm.deviceID, type: alarm.type)] = alarm.active ? alarm : nil
        }
        for reading in readings.sorted(by: { ($0.at, $0.deviceID, $0.measurement) < ($1.at, $1.deviceID, $1.measurement) }) {
            guard let device = devices[reading.deviceID], let profile = profiles[device.profileID] else { continue }
            out.batch.lastSeen[device.id] = max(out.batch.lastSeen[device.id] ?? reading.at, reading.at)
            for rule in device.rules(with: profile) where rules && rule.measurement == reading.measurement {
                let key = DeviceRuleKey(deviceID: device.id, type: rule.type)
                var ruleState = ruleStates[key] ?? RuleState()
                let signal = AlarmEngine.evaluate(rule, reading: reading, device: device, state: &ruleState)
                ruleStates[key] = ruleState
                out.batch.ruleStates[key] = ruleState
                if let signal, let alarm = AlarmEngine.apply(signal, rule: rule, deviceID: device.id, at: reading.at, to: alarms[key], newID: newID) {
                    keep(alarm)
                }
            }
        }
        // Reporting again ends a device's silence.
        for (id, at) in out.batch.lastSeen where rules {
            let key = DeviceRuleKey(deviceID: id, type: Alarm.offlineType)
            guard var offline = alarms[key], state.lastSeen[id].map({ at > $0 }) ?? true else { continue }
            offline.active = false
            offline.clearedAt = at
            keep(offline)
        }
        out.batch.alarms = order.map { changed[$0]! }
        let before = Set(state.activeAlarms.values.map(\.id))
        out.raised = Set(out.batch.alarms.map(\.id)).subtracting(before)
        return out
    }

    /// The `offline` alarms to raise at `now` for devices silent longer than their interval × `factor` (counted from
    /// registration for one that never reported) that have none up.
    public static func offline(
        _ devices: [Device], state: DeviceIngestState, now: Date, factor: Double = 3, newID: () -> String
    ) -> [Alarm] {
        devices.compactMap { d in
            guard state.activeAlarms[DeviceRuleKey(deviceID: d.id, type: Alarm.offlineType)] == nil,
                AlarmEngine.isOffline(d, lastSeen: state.lastSeen[d.id], now: now, factor: factor)
            else { return nil }
            return Alarm(id: newID(), deviceID: d.id, type: Alarm.offlineType, severity: .major, raisedAt: now, value: nil, state: nil)
        }
    }
}
