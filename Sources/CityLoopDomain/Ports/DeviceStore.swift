import Foundation

/// A rule of one device: the key of its stored state and of its alarm up.
public struct DeviceRuleKey: Hashable, Codable, Sendable {
    public var deviceID: String
    /// The rule's alarm type.
    public var type: String

    /// Creates a key.
    public init(deviceID: String, type: String) {
        self.deviceID = deviceID
        self.type = type
    }
}

/// What ingest needs of some devices before it evaluates their readings: their rules' states, the alarms they have
/// up, and when each last reported.
public struct DeviceIngestState: Hashable, Sendable {
    public var ruleStates: [DeviceRuleKey: RuleState] = [:]
    public var activeAlarms: [DeviceRuleKey: Alarm] = [:]
    public var lastSeen: [String: Date] = [:]

    /// Nothing known.
    public init() {}
}

/// One ingest batch's writes, stored in one transaction: nothing of it is lost once acknowledged, and a restart
/// finds the rules where the readings left them.
public struct DeviceIngestBatch: Hashable, Sendable {
    /// Accepted readings; one per (device, measurement, time) is kept, a repeat is skipped.
    public var readings: [Reading] = []
    /// The rule states the readings moved.
    public var ruleStates: [DeviceRuleKey: RuleState] = [:]
    /// Alarms raised, updated or cleared.
    public var alarms: [Alarm] = []
    /// Refused readings, counted per device and reason.
    public var rejections: [ReadingRejection] = []
    /// The newest reading time per device (a stored time is never moved back).
    public var lastSeen: [String: Date] = [:]
    /// The journal's messages this batch ingests, when it came from one (recorded in the same transaction).
    public var journal: JournalMark?

    /// An empty batch.
    public init() {}
}

/// Refused readings of a device for one reason.
public struct RejectionCount: Hashable, Codable, Sendable {
    public var deviceID: String
    public var reason: ReadingRejection.Reason
    public var count: Int
    /// The last refusal's message.
    public var lastMessage: String

    /// Creates a count.
    public init(deviceID: String, reason: ReadingRejection.Reason, count: Int, lastMessage: String) {
        self.deviceID = deviceID
        self.reason = reason
        self.count = count
        self.lastMessage = lastMessage
    }
}

/// Devices, their readings, their rules' states and their alarms (感知设备). One conformance suite runs on every store.
public protocol DeviceStore: Sendable {
    /// Registers devices, or replaces the stored ones with the same ID.
    func saveDevices(_ devices: [Device]) async throws
    /// The device with this ID.
    func device(id: String) async throws -> Device?
    /// Devices in ID order after `after` (nil: from the first), at most `limit`.
    func devices(after: String?, limit: Int) async throws -> [Device]
    /// The rule states, alarms up and last reports of these devices.
    func ingestState(deviceIDs: [String]) async throws -> DeviceIngestState
    /// Writes one ingest batch in one transaction; returns how many readings were new.
    func writeIngest(_ batch: DeviceIngestBatch) async throws -> Int
    /// A device's readings of one measurement from `from` up to (not including) `to`, oldest first, at most `limit`.
    func readings(deviceID: String, measurement: String, from: Date, to: Date, limit: Int) async throws -> [Reading]
    /// Alarms newest raised first (of one device when given; only those up when `activeOnly`), at most `limit`.
    func alarms(deviceID: String?, activeOnly: Bool, limit: Int) async throws -> [Alarm]
    /// Refused readings per device and reason (of one device when given), by device then reason.
    func rejectionCounts(deviceID: String?) async throws -> [RejectionCount]
    /// The alarm with this ID.
    func alarm(id: String) async throws -> Alarm?
    /// Records a person's hand on an alarm and returns it as stored; nil when there is no such alarm, or when
    /// clearing one that is no longer up.
    func markAlarm(id: String, _ mark: AlarmMark) async throws -> Alarm?
    /// Keeps the hash of a device's credential (its token, its MQTT password) and the form of it Mosquitto's
    /// password file wants, replacing the ones it had.
    func saveDeviceCredential(deviceID: String, hash: String, mqttHash: String) async throws
    /// Every device's MQTT password as Mosquitto's password file wants it, by device ID.
    func deviceMQTTPasswords() async throws -> [DeviceMQTTPassword]
    /// The device whose credential has this hash.
    func deviceID(credentialHash: String) async throws -> String?
    /// A device's readings of one measurement from `from` up to `to` in buckets of `seconds` (aligned on `from`),
    /// raw and compacted readings together; empty buckets are left out.
    func readingBuckets(deviceID: String, measurement: String, from: Date, to: Date, seconds: Int) async throws -> [ReadingBucket]
    /// Rolls a device's raw readings of one measurement older than `before` into hourly buckets and deletes them;
    /// returns how many raw readings went.
    func compactReadings(deviceID: String, measurement: String, before: Date) async throws -> Int
}

/// A device's MQTT password in Mosquitto's `$7$` form.
public struct DeviceMQTTPassword: Hashable, Sendable {
    public var deviceID: String
    public var hash: String

    /// Creates an entry.
    public init(deviceID: String, hash: String) {
        self.deviceID = deviceID
        self.hash = hash
    }
}
