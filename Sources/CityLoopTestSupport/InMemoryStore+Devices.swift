import CityLoopDomain
import Foundation

/// A reading's identity: one per device, measurement and time.
struct DeviceReadingKey: Hashable {
    var deviceID: String
    var measurement: String
    var at: Date
}

/// People's hands on an alarm, kept apart from what ingest writes (as the SQL stores keep them in columns of their own).
struct AlarmHands {
    var active: Bool
    var acknowledgedAt: Date?
    var acknowledgedBy: UserID?
    var clearedBy: UserID?
    var caseID: CaseID?
}

/// An hourly bucket's identity.
struct DeviceHourKey: Hashable {
    var deviceID: String
    var measurement: String
    var hour: Int64
}

extension InMemoryStore {
    /// An alarm as stored: ingest's record with the hands beside it.
    func storedAlarm(_ id: String) -> Alarm? {
        guard let a = deviceAlarms[id] else { return nil }
        guard let h = deviceAlarmHands[id] else { return a }
        return a.withHands(active: h.active, acknowledgedAt: h.acknowledgedAt, acknowledgedBy: h.acknowledgedBy, clearedBy: h.clearedBy, caseID: h.caseID)
    }

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
        for id in deviceAlarms.keys {
            guard let a = storedAlarm(id), a.active, ids.contains(a.deviceID) else { continue }
            out.activeAlarms[DeviceRuleKey(deviceID: a.deviceID, type: a.type)] = a
        }
        for id in ids { out.lastSeen[id] = deviceSeen[id] }
        return out
    }

    /// Writes the batch; a second alarm up for one device and type is refused (nothing written).
    public func writeIngest(_ batch: DeviceIngestBatch) async throws -> Int {
        var alarms = deviceAlarms
        // An alarm cleared by hand is not written again.
        for a in batch.alarms where deviceAlarmHands[a.id]?.active != false { alarms[a.id] = a }
        var up = Set<DeviceRuleKey>()
        for a in alarms.values where a.active && deviceAlarmHands[a.id]?.active != false {
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
        if let mark = batch.journal {
            journalMarks[mark.owner] = max(journalMarks[mark.owner] ?? 0, mark.seq)
            journalEntries[mark.owner]?.removeAll { $0.seq <= mark.seq }
        }
        return new
    }

    /// Appends messages to an owner's journal.
    public func appendJournal(_ messages: [JournalMessage], owner: String) async throws {
        for m in messages {
            journalSeq += 1
            journalEntries[owner, default: []].append(JournalEntry(seq: journalSeq, message: m))
        }
    }

    /// The oldest messages of an owner's journal after `seq` (after its mark when nil).
    public func journal(owner: String, after seq: Int64?, limit: Int) async throws -> [JournalEntry] {
        let from = max(seq ?? 0, journalMarks[owner] ?? 0)
        return Array((journalEntries[owner] ?? []).filter { $0.seq > from }.prefix(max(0, limit)))
    }

    /// A device's readings of one measurement in a range.
    public func readings(deviceID: String, measurement: String, from: Date, to: Date, limit: Int) async throws -> [Reading] {
        Array(deviceReadings.values.filter { $0.deviceID == deviceID && $0.measurement == measurement && $0.at >= from && $0.at < to }
            .sorted { $0.at < $1.at }.prefix(max(0, limit)))
    }

    /// Alarms newest raised first.
    public func alarms(deviceID: String?, activeOnly: Bool, limit: Int) async throws -> [Alarm] {
        Array(deviceAlarms.keys.compactMap(storedAlarm).filter { (deviceID == nil || $0.deviceID == deviceID) && (!activeOnly || $0.active) }
            .sorted { ($0.raisedAt, $0.id) > ($1.raisedAt, $1.id) }.prefix(max(0, limit)))
    }

    /// Refused readings per device and reason.
    public func rejectionCounts(deviceID: String?) async throws -> [RejectionCount] {
        deviceRejections.values.filter { deviceID == nil || $0.deviceID == deviceID }
            .sorted { ($0.deviceID, $0.reason.rawValue) < ($1.deviceID, $1.reason.rawValue) }
    }

    /// The alarm with this ID.
    public func alarm(id: String) async throws -> Alarm? { storedAlarm(id) }

    /// Records a person's hand on an alarm.
    public func markAlarm(id: String, _ mark: AlarmMark) async throws -> Alarm? {
        guard let next = storedAlarm(id)?.marked(mark) else { return nil }
        deviceAlarmHands[id] = AlarmHands(
            active: next.active, acknowledgedAt: next.acknowledgedAt, acknowledgedBy: next.acknowledgedBy, clearedBy: next.clearedBy, caseID: next.caseID)
        deviceAlarms[id] = next
        return next
    }

    /// Keeps a device credential's hash, replacing the device's former one.
    public func saveDeviceCredential(deviceID: String, hash: String, mqttHash: String) async throws {
        deviceCredentials = deviceCredentials.filter { $0.value != deviceID }
        deviceCredentials[hash] = deviceID
        deviceMQTTHashes[deviceID] = mqttHash
    }

    /// Every device's MQTT password, by device ID.
    public func deviceMQTTPasswords() async throws -> [DeviceMQTTPassword] {
        deviceMQTTHashes.sorted { $0.key < $1.key }.map { DeviceMQTTPassword(deviceID: $0.key, hash: $0.value) }
    }

    /// The device whose credential has this hash.
    public func deviceID(credentialHash: String) async throws -> String? { deviceCredentials[credentialHash] }

    /// Raw and hourly readings together, in buckets of `seconds` from `from`.
    public func readingBuckets(deviceID: String, measurement: String, from: Date, to: Date, seconds: Int) async throws -> [ReadingBucket] {
        let f = Self.millis(from), t = Self.millis(to), w = Int64(max(1, seconds)) * 1000
        var parts: [Int64: [(bucket: ReadingBucket, last: Int64)]] = [:]
        for r in deviceReadings.values where r.deviceID == deviceID && r.measurement == measurement {
            let at = Self.millis(r.at)
            guard at >= f, at < t else { continue }
            var state: String?
            if case .state(let s) = r.value { state = s }
            let n = r.value.number
            parts[(at - f) / w, default: []].append((ReadingBucket(start: r.at, count: 1, min: n, max: n, mean: n, lastState: state), at))
        }
        for (k, b) in deviceHourly where k.deviceID == deviceID && k.measurement == measurement && k.hour >= f && k.hour < t {
            parts[(k.hour - f) / w, default: []].append((b, Self.millis(b.start)))
        }
        return parts.keys.sorted().map { key in
            let p = parts[key]!
            let n = p.map(\.bucket.count).reduce(0, +)
            let sums = p.compactMap { part in part.bucket.mean.map { $0 * Double(part.bucket.count) } }
            let lows = p.compactMap(\.bucket.min), highs = p.compactMap(\.bucket.max)
            return ReadingBucket(
                start: Date(timeIntervalSince1970: Double(f + key * w) / 1000), count: n, min: lows.min(), max: highs.max(),
                mean: sums.isEmpty ? nil : sums.reduce(0, +) / Double(n), lastState: p.max { $0.last < $1.last }?.bucket.lastState)
        }
    }

    /// Rolls raw readings older than `before` into hourly buckets and deletes them. The hourly bucket's `start` holds
    /// its last reading's time.
    public func compactReadings(deviceID: String, measurement: String, before: Date) async throws -> Int {
        let gone = deviceReadings.filter { $0.key.deviceID == deviceID && $0.key.measurement == measurement && $0.key.at < before }
        for (key, r) in gone.sorted(by: { $0.key.at < $1.key.at }) {
            deviceReadings[key] = nil
            let at = Self.millis(r.at)
            let hk = DeviceHourKey(deviceID: deviceID, measurement: measurement, hour: at / 3_600_000 * 3_600_000)
            var b = deviceHourly[hk] ?? ReadingBucket(start: r.at, count: 0, min: nil, max: nil, mean: nil, lastState: nil)
            let n = r.value.number
            let sum = (b.mean.map { $0 * Double(b.count) }).map { s in n.map { s + $0 } ?? s } ?? n
            b.count += 1
            b.min = [b.min, n].compactMap { $0 }.min()
            b.max = [b.max, n].compactMap { $0 }.max()
            b.mean = sum.map { $0 / Double(b.count) }
            if case .state(let s) = r.value { b.lastState = s }
            b.start = r.at
            deviceHourly[hk] = b
        }
        return gone.count
    }

    private static func millis(_ d: Date) -> Int64 { Int64((d.timeIntervalSince1970 * 1000).rounded()) }
}
