import CityLoopDomain
import Foundation

/// Readings into the city (设备接入): every channel (MQTT, HTTP batch, file back-fill) hands its raw readings here.
/// A batch is checked, run through the rules and stored in one transaction (`DeviceStore.writeIngest`), so an
/// acknowledged reading is kept and the rules' states survive a restart. Batches of one node are written one at a
/// time (the rules' states are read, moved and written back); several nodes share the devices' topics so that a
/// device's readings reach one node.
public actor DeviceIngest {
    private let store: any CityStore
    private let clock: any CityClock
    private let ids: any IDGenerator
    /// The device types in force by ID (the built-in ones with the rules an administrator set: every batch reads
    /// them anew, so a change is in force at the next batch on every node).
    public nonisolated var profiles: [String: DeviceProfile] { profileSource() }
    private let profileSource: @Sendable () -> [String: DeviceProfile]
    /// Devices read lately, and when (per node: a device changed on another node is read again within
    /// `deviceCacheSeconds`; one changed here at once).
    private var deviceCache: [String: (device: Device?, readAt: Date)] = [:]
    /// What is done with the alarms a batch changed, once the batch is stored (their cases: `AlarmCases`).
    private var alarmHandler: (@Sendable (_ changed: [Alarm], _ raised: Set<String>) async throws -> Void)?
    /// How long a read device is used before it is read again.
    static let deviceCacheSeconds: TimeInterval = 30

    /// Creates an ingest of `platform`'s store with its device types (each platform has one: `Platform.deviceIngest`).
    public init(platform: Platform) {
        self.init(store: platform.store, clock: platform.clock, ids: platform.ids) { platform.context.deviceProfiles }
    }

    /// Creates an ingest over a store, reading the device types in force from `profiles`.
    init(store: any CityStore, clock: any CityClock, ids: any IDGenerator, profiles: @escaping @Sendable () -> [String: DeviceProfile]) {
        self.store = store
        self.clock = clock
        self.ids = ids
        profileSource = profiles
    }

    /// Checks, evaluates and stores `raws`; returns what happened (readings accepted and new, rejections, alarms changed).
    /// `refused` are readings the channel could not read (a malformed MQTT payload of a device): they are counted with
    /// the others.
    public func ingest(_ raws: [RawReading], refused: [ReadingRejection] = []) async throws -> IngestResult {
        try await ingest(raws, refused: refused, rules: true, journal: nil)
    }

    /// Ingests the readings of a journal's messages (`ReadingJournalStore`) and records, in the same transaction,
    /// that the journal is ingested up to `journal`.
    public func ingest(_ raws: [RawReading], refused: [ReadingRejection], journal: JournalMark) async throws -> IngestResult {
        try await ingest(raws, refused: refused, rules: true, journal: journal)
    }

    /// Keeps readings of the past from a file (历史数据补录): checked, counted and deduplicated like any others and
    /// written `batchSize` at a time, but no rule sees them — last week's flood raises no alarm today — and they end
    /// no device's silence. Rejections are counted per device as ever. `progress` hears of the readings done so far.
    public func backfill(
        _ raws: [RawReading], refused: [ReadingRejection] = [], batchSize: Int = 5000, progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> IngestResult {
        var total = IngestResult(accepted: 0, stored: 0, rejections: [], alarms: [])
        var start = 0
        repeat {
            let part = Array(raws[start..<min(raws.count, start + batchSize)])
            let r = try await ingest(part, refused: start == 0 ? refused : [], rules: false, journal: nil)
            total.accepted += r.accepted
            total.stored += r.stored
            total.rejections += r.rejections
            start += batchSize
            progress?(min(start, raws.count))
        } while start < raws.count
        return total
    }

    private func ingest(_ raws: [RawReading], refused: [ReadingRejection], rules: Bool, journal: JournalMark?) async throws -> IngestResult {
        var attempt = 0
        while true {
            do {
                return try await ingestOnce(raws, refused: refused, rules: rules, journal: journal)
            } catch let e as DomainError where e.code == "alarm.active_exists" && attempt < 3 {
                // Another node raised the same alarm between our read and our write: read again and run again.
                attempt += 1
            }
        }
    }

    private func ingestOnce(_ raws: [RawReading], refused: [ReadingRejection], rules: Bool, journal: JournalMark?) async throws -> IngestResult {
        let deviceIDs = Array(Set(raws.map(\.deviceID)))
        var devices: [String: Device] = [:]
        let now = clock.now()
        for id in deviceIDs {
            if let hit = deviceCache[id], now.timeIntervalSince(hit.readAt) < Self.deviceCacheSeconds, now >= hit.readAt {
                devices[id] = hit.device
                continue
            }
            let d = try await store.device(id: id)
            if deviceCache.count > 100_000 { deviceCache.removeAll() }
            deviceCache[id] = (d, now)
            devices[id] = d
        }
        let state = rules ? try await store.ingestState(deviceIDs: Array(devices.keys)) : DeviceIngestState()
        let ids = ids
        let profiles = profiles
        var outcome = IngestStep.run(raws, devices: devices, profiles: profiles, state: state, now: clock.now(), rules: rules) { ids.next() }
        outcome.batch.rejections += refused
        outcome.batch.journal = journal
        let answered = outcome.batch.rejections
        // Readings of devices nobody registered are counted together (the message names the ID): a sender making up
        // IDs cannot grow the table a row per ID.
        outcome.batch.rejections = answered.map { r in
            guard r.reason == .unknownDevice else { return r }
            var counted = r
            counted.deviceID = Self.unknownDevices
            counted.message = "\(r.deviceID): \(r.message)"
            return counted
        }
        let stored = try await store.writeIngest(outcome.batch)
        // The readings are stored whatever becomes of the cases: an alarm left without its case is found by the
        // sweep (`AlarmCases.sweep`).
        if let handler = alarmHandler, !outcome.alarms.isEmpty { try? await handler(outcome.alarms, outcome.raised) }
        return IngestResult(accepted: outcome.accepted, stored: stored, rejections: answered, alarms: outcome.alarms)
    }

    /// Sets what is done with the alarms each batch changed.
    public func onAlarms(_ handler: @escaping @Sendable (_ changed: [Alarm], _ raised: Set<String>) async throws -> Void) {
        alarmHandler = handler
    }

    /// Where readings of unregistered devices are counted (`GET /api/v1/devices/_unknown/rejections`).
    public static let unknownDevices = "_unknown"

    /// Forgets what it read of these devices (they were registered or changed on this node).
    public func forget(_ ids: [String]) {
        for id in ids { deviceCache[id] = nil }
    }

    /// Raises `offline` for every device silent longer than its interval × `factor` (one that never reported is
    /// counted from its registration); returns the alarms raised.
    public func scanOffline(factor: Double = 3) async throws -> [Alarm] {
        var raised: [Alarm] = []
        var after: String?
        let ids = ids
        while true {
            let page = try await store.devices(after: after, limit: 500)
            guard let last = page.last else { break }
            after = last.id
            let state = try await store.ingestState(deviceIDs: page.map(\.id))
            var batch = DeviceIngestBatch()
            batch.alarms = IngestStep.offline(page, state: state, now: clock.now(), factor: factor) { ids.next() }
            if !batch.alarms.isEmpty { _ = try await store.writeIngest(batch) }
            raised += batch.alarms
        }
        return raised
    }
}

extension DeviceIngest {
    /// Rolls every device's raw readings older than `rawDays` into hourly buckets (降采样); returns the raw readings
    /// removed. Device by device and measurement by measurement, each in a transaction of its own.
    public func compact(rawDays: Int) async throws -> Int {
        let before = clock.now().addingTimeInterval(-Double(rawDays) * 86400)
        var removed = 0
        var after: String?
        while true {
            let page = try await store.devices(after: after, limit: 500)
            guard let last = page.last else { break }
            after = last.id
            for device in page {
                for m in profiles[device.profileID]?.measurements ?? [] {
                    removed += try await store.compactReadings(deviceID: device.id, measurement: m.name, before: before)
                }
            }
        }
        return removed
    }
}

/// What an ingest call did.
public struct IngestResult: Sendable {
    /// Raw readings accepted.
    public var accepted: Int
    /// Readings stored new (derived ones included; a repeat of a stored one is not new).
    public var stored: Int
    /// Raw readings refused, each with its reason.
    public var rejections: [ReadingRejection]
    /// Alarms raised, updated or cleared.
    public var alarms: [Alarm]
}
