import CityLoopDomain
import Foundation

/// A reading's identity: one per device, measurement and time.
struct DeviceReadingKey: Hashable {
    var deviceID: String
    var measurement: String
    var at: Date
}

extension InMemoryStore {
    /// Registers or replaces devices.
    public func saveDevices(_ devices: [Device]) async throws {
        for d in devices { devicesByID[d.id] = d }
    }

    /// The device with this ID.
    public func device(id: String) async throws -> Device? { devicesByID[id] }

    /// Devices in ID order.
    public func devices(after: String?, limit: Int) async throws -> [Device] {
        Array(devicesByID.values.filter { after == nil || $0.id > after! }.sorted { $0.id < $1.id }.prefix(max(0, limit)))
    }

    /// Rule states, alarms up and last reports of the devices.
    public func ingestState(deviceIDs: [String]) async throws -> DeviceIngestState {
        let ids = Set(deviceIDs)
        var out = DeviceIngestState()
        for (k, v) in deviceRuleStates where ids.contains(k.deviceID) { out.ruleStates[k] = v }
        for a in deviceAlarms.values where a.active && ids.contains(a.deviceID) { out.activeAlarms[DeviceRuleKey(deviceID: a.deviceID, type: a.type)] = a }
        for id in ids { out.lastSeen[id] = deviceSeen[id] }
        return out
    }

    /// Writes the batch; a second alarm up for one device and type is refused (nothing written).
    public func writeIngest(_ batch: DeviceIngestBatch) async throws -> Int {
        var alarms = deviceAlarms
        for a in batch.alarms { alarms[a.id] = a }
        var up = Set<DeviceRuleKey>()
        for a in alarms.values where a.active {
            guard up.insert(DeviceRuleKey(deviceID: a.deviceID, type: a.type)).inserted else {
                throw DomainError(.conflict, code: "alarm.active_exists", "device \(a.deviceID) already has a \(a.type) alarm up")
            }
        }
        deviceAlarms = alarms
        var new = 0
        for r in batch.readings {
            let key = DeviceReadingKey(deviceID: r.deviceID, measurement: r.measurement, at: r.at)
            if deviceReadings[key] == nil {
                deviceReadings[key] = r
                new += 1
            }
        }
        for (k, v) in batch.ruleStates { deviceRuleStates[k] = v }
        for r in batch.rejections {
            let key = "\(r.deviceID)\u{1}\(r.reason.rawValue)"
            var c = deviceRejections[key] ?? RejectionCount(deviceID: r.deviceID, reason: r.reason, count: 0, lastMessage: "")
            c.count += 1
            c.lastMessage = r.message
            deviceRejections[key] = c
        }
        for (id, at) in batch.lastSeen { deviceSeen[id] = max(deviceSeen[id] ?? at, at) }
        return new
    }

    /// A device's readings of one measurement in a range.
    public func readings(deviceID: String, measurement: String, from: Date, to: Date, limit: Int) async throws -> [Reading] {
        Array(deviceReadings.values.filter { $0.deviceID == deviceID && $0.measurement == measurement && $0.at >= from && $0.at < to }
            .sorted { $0.at < $1.at }.prefix(max(0, limit)))
    }

    /// Alarms newest raised first.
    public func alarms(deviceID: String?, activeOnly: Bool, limit: Int) async throws -> [Alarm] {
        Array(deviceAlarms.values.filter { (deviceID == nil || $0.deviceID == deviceID) && (!activeOnly || $0.active) }
            .sorted { ($0.raisedAt, $0.id) > ($1.raisedAt, $1.id) }.prefix(max(0, limit)))
    }

    /// Refused readings per device and reason.
    public func rejectionCounts(deviceID: String?) async throws -> [RejectionCount] {
        deviceRejections.values.filter { deviceID == nil || $0.deviceID == deviceID }
            .sorted { ($0.deviceID, $0.reason.rawValue) < ($1.deviceID, $1.reason.rawValue) }
    }
}
