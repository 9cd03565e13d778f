import CityLoopDomain
import Foundation
import Testing

/// Devices, readings, rule states and alarms: every store keeps one reading per device, measurement and time,
/// writes an ingest batch whole or not at all, and holds at most one alarm up per device and type.
@Suite("Device store conformance")
struct DeviceStoreConformanceTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    static func device(_ id: String, profile: String = "waterLevel") -> Device {
        Device(
            id: id, profileID: profile, point: GeoPoint(lat: 34.75, lon: 113.65), gridCode: "410102001001001", reportingIntervalSeconds: 60,
            attributes: ["referenceLevel": 5, "alertLevel": 1], registeredAt: t0)
    }

    static func level(_ device: String, _ seconds: Double, _ v: Double) -> Reading {
        Reading(deviceID: device, measurement: "currentLevel", at: t0.addingTimeInterval(seconds), value: .number(v))
    }

    static func alarm(_ id: String, device: String, type: String = "waterAboveDanger", at seconds: Double, value: Double) -> Alarm {
        Alarm(id: id, deviceID: device, type: type, severity: .critical, raisedAt: t0.addingTimeInterval(seconds), value: value, state: nil)
    }

    @Test("devices are registered, replaced, read by ID and listed in pages", arguments: StoreKind.allCases)
    func registry(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.saveDevices((0..<5).map { Self.device("wl-\($0)") })
            var moved = Self.device("wl-2")
            moved.attributes["alertLevel"] = 2
            moved.model = "WL-100"
            try await store.saveDevices([moved])
            #expect(try await store.device(id: "wl-2") == moved)
            #expect(try await store.device(id: "nope") == nil)
            #expect(try await store.devices(after: nil, limit: 2).map(\.id) == ["wl-0", "wl-1"])
            #expect(try await store.devices(after: "wl-1", limit: 10).map(\.id) == ["wl-2", "wl-3", "wl-4"])
        }
    }

    @Test("readings are kept once per device, measurement and time, numbers and states alike, and read back by range", arguments: StoreKind.allCases)
    func readings(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var batch = DeviceIngestBatch()
            batch.readings = (0..<10).map { (i: Int) -> Reading in Self.level("wl-1", Double(i * 60), Double(i) / 10) }
            batch.readings.append(Reading(deviceID: "mc-1", measurement: "coverState", at: Self.t0, value: .state("open")))
            #expect(try await store.writeIngest(batch) == 11)
            var again = DeviceIngestBatch()
            again.readings = [Self.level("wl-1", 0, 9.9), Self.level("wl-1", 600, 1.0)]
            #expect(try await store.writeIngest(again) == 1)
            let got = try await store.readings(
                deviceID: "wl-1", measurement: "currentLevel", from: Self.t0.addingTimeInterval(60), to: Self.t0.addingTimeInterval(600), limit: 100)
            let want: [Reading] = (1..<10).map { (i: Int) -> Reading in Self.level("wl-1", Double(i * 60), Double(i) / 10) }
            #expect(got == want)
            #expect(try await store.readings(deviceID: "wl-1", measurement: "currentLevel", from: Self.t0, to: Self.t0.addingTimeInterval(9999), limit: 3).count == 3)
            #expect(
                try await store.readings(deviceID: "mc-1", measurement: "coverState", from: Self.t0, to: Self.t0.addingTimeInterval(1), limit: 10)
                    .map(\.value) == [.state("open")])
        }
    }

    @Test("rule states, alarms, last reports and refused readings come back as written; a last report never moves back", arguments: StoreKind.allCases)
    func ingestState(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var state = RuleState()
            state.lastAt = Self.t0.addingTimeInterval(120)
            state.lastValue = 1.6
            state.active = true
            state.since = Self.t0
            state.hits = [Self.t0, Self.t0.addingTimeInterval(60)]
            var batch = DeviceIngestBatch()
            batch.ruleStates = [DeviceRuleKey(deviceID: "wl-1", type: "waterAboveDanger"): state]
            var up = Self.alarm("a-1", device: "wl-1", at: 120, value: 1.6)
            batch.alarms = [up, { var a = Self.alarm("a-0", device: "wl-1", at: 0, value: 1.7); a.active = false; a.clearedAt = Self.t0.addingTimeInterval(60); return a }()]
            batch.lastSeen = ["wl-1": Self.t0.addingTimeInterval(120)]
            let raw = RawReading(deviceID: "wl-1", measurement: "measuredDistance", at: Self.t0, number: 99)
            batch.rejections = [
                ReadingRejection(.outOfRange, raw, "first"), ReadingRejection(.outOfRange, raw, "second"), ReadingRejection(.wrongUnit, raw, "unit"),
            ]
            _ = try await store.writeIngest(batch)
            // An update of the alarm up, and an older last report.
            up.count = 2
            up.peak = 1.8
            var next = DeviceIngestBatch()
            next.alarms = [up]
            next.lastSeen = ["wl-1": Self.t0]
            next.rejections = [ReadingRejection(.outOfRange, raw, "third")]
            _ = try await store.writeIngest(next)

            let got = try await store.ingestState(deviceIDs: ["wl-1", "wl-2"])
            #expect(got.ruleStates == batch.ruleStates)
            #expect(got.activeAlarms == [DeviceRuleKey(deviceID: "wl-1", type: "waterAboveDanger"): up])
            #expect(got.lastSeen == ["wl-1": Self.t0.addingTimeInterval(120)])
            #expect(try await store.ingestState(deviceIDs: ["wl-2"]) == DeviceIngestState())
            #expect(try await store.alarms(deviceID: "wl-1", activeOnly: false, limit: 10).map(\.id) == ["a-1", "a-0"])
            #expect(try await store.alarms(deviceID: nil, activeOnly: true, limit: 10) == [up])
            #expect(try await store.alarms(deviceID: "wl-2", activeOnly: false, limit: 10).isEmpty)
            #expect(
                try await store.rejectionCounts(deviceID: "wl-1") == [
                    RejectionCount(deviceID: "wl-1", reason: .outOfRange, count: 3, lastMessage: "third"),
                    RejectionCount(deviceID: "wl-1", reason: .wrongUnit, count: 1, lastMessage: "unit"),
                ])
            #expect(try await store.rejectionCounts(deviceID: "wl-9").isEmpty)
        }
    }

    @Test("a second alarm up for one device and type is refused and nothing of its batch is written; after a clear a new one may rise",
          arguments: StoreKind.allCases)
    func oneAlarmUp(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var first = DeviceIngestBatch()
            var a1 = Self.alarm("a-1", device: "wl-1", at: 0, value: 1.6)
            first.alarms = [a1]
            _ = try await store.writeIngest(first)
            // MUT: another alarm of the same type up, with a reading
            var second = DeviceIngestBatch()
            second.alarms = [Self.alarm("a-2", device: "wl-1", at: 60, value: 1.7)]
            second.readings = [Self.level("wl-1", 60, 1.7)]
            await expectDomainError(code: "alarm.active_exists") { _ = try await store.writeIngest(second) }
            #expect(try await store.readings(deviceID: "wl-1", measurement: "currentLevel", from: Self.t0, to: Self.t0.addingTimeInterval(999), limit: 9).isEmpty)
            #expect(try await store.alarms(deviceID: "wl-1", activeOnly: false, limit: 9).map(\.id) == ["a-1"])
            // Cleared and raised again in one batch.
            a1.active = false
            a1.clearedAt = Self.t0.addingTimeInterval(120)
            var third = DeviceIngestBatch()
            third.alarms = [Self.alarm("a-3", device: "wl-1", at: 180, value: 1.9), a1]
            _ = try await store.writeIngest(third)
            #expect(try await store.alarms(deviceID: "wl-1", activeOnly: true, limit: 9).map(\.id) == ["a-3"])
            // Another type or another device is free.
            var other = DeviceIngestBatch()
            other.alarms = [Self.alarm("a-4", device: "wl-1", type: "waterRisingFast", at: 200, value: 1), Self.alarm("a-5", device: "wl-2", at: 200, value: 2)]
            _ = try await store.writeIngest(other)
            #expect(try await store.alarms(deviceID: nil, activeOnly: true, limit: 9).count == 3)
        }
    }

    @Test("a person's hand on an alarm stays: ingest's updates keep the acknowledgement and the case, and do not raise again one cleared by hand",
          arguments: StoreKind.allCases)
    func hands(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var up = Self.alarm("a-1", device: "wl-1", at: 0, value: 1.6)
            var batch = DeviceIngestBatch()
            batch.alarms = [up]
            _ = try await store.writeIngest(batch)
            let seen = Self.t0.addingTimeInterval(30)
            // MUT: acknowledged, linked to a case, then updated by ingest (which read it before the hands)
            let acked = try #require(try await store.markAlarm(id: "a-1", .acknowledge(by: "u-op", at: seen)))
            #expect(acked.acknowledgedAt == seen && acked.acknowledgedBy == "u-op" && acked.active)
            _ = try await store.markAlarm(id: "a-1", .linkCase("c-1"))
            up.count = 2
            up.lastValue = 1.9
            batch.alarms = [up]
            _ = try await store.writeIngest(batch)
            let got = try #require(try await store.alarm(id: "a-1"))
            #expect(got.count == 2 && got.lastValue == 1.9)
            #expect(got.acknowledgedAt == seen && got.acknowledgedBy == "u-op" && got.caseID == "c-1")
            #expect(try await store.ingestState(deviceIDs: ["wl-1"]).activeAlarms.values.first == got)
            // acknowledging again keeps the first
            #expect(try await store.markAlarm(id: "a-1", .acknowledge(by: "u-other", at: seen.addingTimeInterval(5)))?.acknowledgedBy == "u-op")

            // MUT: cleared by hand, then ingest writes the alarm it read while up
            let cleared = try #require(try await store.markAlarm(id: "a-1", .clear(by: "u-op", at: seen.addingTimeInterval(60))))
            #expect(!cleared.active && cleared.clearedBy == "u-op" && cleared.clearedAt == seen.addingTimeInterval(60))
            up.count = 3
            batch.alarms = [up]
            _ = try await store.writeIngest(batch)
            let after = try #require(try await store.alarm(id: "a-1"))
            #expect(!after.active && after.clearedBy == "u-op" && after.caseID == "c-1")
            #expect(try await store.ingestState(deviceIDs: ["wl-1"]).activeAlarms.isEmpty)
            #expect(try await store.alarms(deviceID: nil, activeOnly: true, limit: 9).isEmpty)
            // a cleared alarm cannot be cleared again; an unknown one is nil
            #expect(try await store.markAlarm(id: "a-1", .clear(by: "u-op", at: seen.addingTimeInterval(90))) == nil)
            #expect(try await store.markAlarm(id: "nope", .acknowledge(by: "u-op", at: seen)) == nil)
            #expect(try await store.alarm(id: "nope") == nil)
            // a new alarm of the type may rise
            batch.alarms = [Self.alarm("a-2", device: "wl-1", at: 120, value: 2)]
            _ = try await store.writeIngest(batch)
            #expect(try await store.alarms(deviceID: "wl-1", activeOnly: true, limit: 9).map(\.id) == ["a-2"])
        }
    }

    @Test("a journal gives its messages back in order per owner, and an ingest batch's mark takes them off with its readings, or not at all",
          arguments: StoreKind.allCases)
    func journal(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.saveDevices([Self.device("wl-1")])
            let messages = (0..<5).map { JournalMessage(topic: "cityloop/city/devices/wl-1/readings", payload: Data("{\"n\": \($0)}".utf8)) }
            try await store.appendJournal(Array(messages[0..<3]), owner: "node-a")
            try await store.appendJournal([JournalMessage(topic: "t", payload: Data([0, 0xFF, 0x7E]))], owner: "node-b")
            try await store.appendJournal(Array(messages[3...]), owner: "node-a")
            let all = try await store.journal(owner: "node-a", after: nil, limit: 100)
            #expect(all.map(\.message) == messages)
            #expect(zip(all, all.dropFirst()).allSatisfy { $0.seq < $1.seq })
            #expect(try await store.journal(owner: "node-a", after: all[1].seq, limit: 2).map(\.message) == Array(messages[2..<4]))
            #expect(try await store.journal(owner: "node-b", after: nil, limit: 100).map(\.message.payload) == [Data([0, 0xFF, 0x7E])])

            // A batch refused as a whole (a second alarm up) leaves the journal where it was.
            var first = DeviceIngestBatch()
            first.alarms = [Self.alarm("a-1", device: "wl-1", at: 0, value: 2)]
            _ = try await store.writeIngest(first)
            var refused = DeviceIngestBatch()
            refused.alarms = [Self.alarm("a-2", device: "wl-1", at: 1, value: 2)]
            refused.journal = JournalMark(owner: "node-a", seq: all[2].seq)
            await #expect(throws: DomainError.self) { try await store.writeIngest(refused) }
            #expect(try await store.journal(owner: "node-a", after: nil, limit: 100).count == 5)

            // MUT: a batch ingests the first three
            var batch = DeviceIngestBatch()
            batch.readings = [Self.level("wl-1", 10, 1.5)]
            batch.journal = JournalMark(owner: "node-a", seq: all[2].seq)
            #expect(try await store.writeIngest(batch) == 1)

            // validate: the rest is left, whatever `after` asks; the other owner's is untouched; a mark never moves back
            #expect(try await store.journal(owner: "node-a", after: nil, limit: 100).map(\.message) == Array(messages[3...]))
            #expect(try await store.journal(owner: "node-a", after: 0, limit: 100).map(\.message) == Array(messages[3...]))
            #expect(try await store.journal(owner: "node-b", after: nil, limit: 100).count == 1)
            var behind = DeviceIngestBatch()
            behind.journal = JournalMark(owner: "node-a", seq: all[0].seq)
            _ = try await store.writeIngest(behind)
            #expect(try await store.journal(owner: "node-a", after: nil, limit: 100).map(\.message) == Array(messages[3...]))
            // new messages are numbered past everything ingested
            try await store.appendJournal([messages[0]], owner: "node-a")
            let after = try await store.journal(owner: "node-a", after: nil, limit: 100)
            #expect(after.count == 3 && after.last!.seq > all[4].seq)
        }
    }

    @Test("a device credential is found by its hash, and a new one replaces the old", arguments: StoreKind.allCases)
    func credentials(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.saveDeviceCredential(deviceID: "wl-1", hash: "h1", mqttHash: "$7$1")
            try await store.saveDeviceCredential(deviceID: "wl-2", hash: "h2", mqttHash: "$7$2")
            #expect(try await store.deviceID(credentialHash: "h1") == "wl-1")
            try await store.saveDeviceCredential(deviceID: "wl-1", hash: "h3", mqttHash: "$7$3")
            #expect(try await store.deviceID(credentialHash: "h1") == nil)
            #expect(try await store.deviceID(credentialHash: "h3") == "wl-1")
            #expect(try await store.deviceID(credentialHash: "h2") == "wl-2")
            #expect(try await store.deviceMQTTPasswords() == [DeviceMQTTPassword(deviceID: "wl-1", hash: "$7$3"), DeviceMQTTPassword(deviceID: "wl-2", hash: "$7$2")])
        }
    }

    @Test("readings come back in buckets, and the same after the old ones are rolled into hours", arguments: StoreKind.allCases)
    func bucketsAndCompaction(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            // setup: three hours of a level every 10 minutes (0.0, 0.1, …), a cover's states, t0 on an hour
            let t0 = Date(timeIntervalSince1970: Double(1_790_000_000 - 1_790_000_000 % 3600))
            var batch = DeviceIngestBatch()
            batch.readings = (0..<18).map { Reading(deviceID: "wl-1", measurement: "currentLevel", at: t0.addingTimeInterval(Double($0 * 600)), value: .number(Double($0) / 10)) }
            batch.readings += [(0, "closed"), (1200, "open"), (4000, "closed")].map {
                Reading(deviceID: "mc-1", measurement: "coverState", at: t0.addingTimeInterval($0.0), value: .state($0.1))
            }
            _ = try await store.writeIngest(batch)
            let end = t0.addingTimeInterval(3 * 3600)
            func hourly() async throws -> [ReadingBucket] {
                try await store.readingBuckets(deviceID: "wl-1", measurement: "currentLevel", from: t0, to: end, seconds: 3600)
            }
            let before = try await hourly()
            #expect(before.map(\.count) == [6, 6, 6])
            #expect(before.map(\.start) == [t0, t0.addingTimeInterval(3600), t0.addingTimeInterval(7200)])
            #expect(before[1].min == 0.6 && before[1].max == 1.1)
            #expect(abs((before[1].mean ?? 0) - 0.85) < 1e-9)
            #expect(try await store.readingBuckets(deviceID: "wl-1", measurement: "currentLevel", from: t0, to: end, seconds: 5400).map(\.count) == [9, 9])
            let covers = try await store.readingBuckets(deviceID: "mc-1", measurement: "coverState", from: t0, to: end, seconds: 3600)
            #expect(covers.map(\.lastState) == ["open", "closed"] && covers.map(\.count) == [2, 1] && covers[0].mean == nil)

            // MUT: the first two hours rolled up (the second in two goes)
            #expect(try await store.compactReadings(deviceID: "wl-1", measurement: "currentLevel", before: t0.addingTimeInterval(4800)) == 8)
            #expect(try await store.compactReadings(deviceID: "wl-1", measurement: "currentLevel", before: t0.addingTimeInterval(7200)) == 4)
            #expect(try await store.compactReadings(deviceID: "mc-1", measurement: "coverState", before: end) == 3)
            #expect(try await store.readings(deviceID: "wl-1", measurement: "currentLevel", from: t0, to: end, limit: 99).count == 6)
            let after = try await hourly()
            #expect(after.map(\.count) == before.map(\.count))
            #expect(after.map(\.min) == before.map(\.min) && after.map(\.max) == before.map(\.max))
            #expect(zip(after, before).allSatisfy { abs(($0.mean ?? 0) - ($1.mean ?? 0)) < 1e-9 })
            #expect(try await store.readingBuckets(deviceID: "mc-1", measurement: "coverState", from: t0, to: end, seconds: 3600).map(\.lastState) == ["open", "closed"])
        }
    }
}
