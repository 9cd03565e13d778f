import CityLoopDomain
import CityLoopServices
import CityLoopTestSupport
import Foundation
import Testing

/// Readings through the ingest service on every store: faults refused and counted, alarms raised once and updated,
/// cleared on recovery, silence raised as `offline` and ended by the next report, and the rules' states kept in the
/// store (a new ingest on the same store goes on where the last one stopped).
@Suite("Device ingest")
struct DeviceIngestTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    static func devices() -> [Device] {
        [
            Device(
                id: "wl-1", profileID: "waterLevel", point: GeoPoint(lat: 34.75, lon: 113.65), reportingIntervalSeconds: 60,
                attributes: ["referenceLevel": 5, "alertLevel": 1, "dangerLevel": 1.5], registeredAt: t0),
            Device(id: "mc-1", profileID: "manholeCover", point: GeoPoint(lat: 34.75, lon: 113.65), reportingIntervalSeconds: 300, registeredAt: t0),
            Device(id: "sl-1", profileID: "streetlight", point: GeoPoint(lat: 34.75, lon: 113.65), reportingIntervalSeconds: 600, registeredAt: t0),
        ]
    }

    static func distance(_ seconds: Double, _ metres: Double) -> RawReading {
        RawReading(deviceID: "wl-1", measurement: "measuredDistance", at: t0.addingTimeInterval(seconds), number: metres, unit: "m")
    }

    @Test("a lifted cover and rising water raise one alarm each, updated by repeats and cleared on recovery; faults are counted",
          arguments: StoreKind.allCases)
    func alarms(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let clock = FixedClock(Self.t0.addingTimeInterval(3600))
            let platform = try await Platform(store: store, media: InMemoryMediaStore(), clock: clock)
            try await store.saveDevices(Self.devices())
            let ingest = DeviceIngest(platform: platform)
            let cover = { (s: Double, state: String) in RawReading(deviceID: "mc-1", measurement: "coverState", at: Self.t0.addingTimeInterval(s), state: state) }
            // MUT: open twice (one sent again), water at 1.6 m (distance 3.4), and faults
            let first = try await ingest.ingest([
                cover(0, "open"), cover(60, "open"), cover(60, "open"), Self.distance(0, 3.4),
                Self.distance(60, 99), RawReading(deviceID: "ghost", measurement: "x", at: Self.t0, number: 1),
                RawReading(deviceID: "mc-1", measurement: "coverState", at: Self.t0.addingTimeInterval(7200), state: "open"),
            ])
            #expect(first.accepted == 4 && first.stored == 4)  // 2 cover readings (one repeated), distance + derived level
            #expect(first.rejections.map(\.reason) == [.outOfRange, .unknownDevice, .inFuture])
            let up = try await store.alarms(deviceID: nil, activeOnly: true, limit: 10)
            #expect(Set(up.map(\.type)) == ["coverOpen", "waterAboveDanger"])
            #expect(up.first { $0.type == "coverOpen" }?.count == 2)
            #expect(up.first { $0.type == "waterAboveDanger" }?.peak == 1.6)
            // Recovery: cover closed, water down to 0.5 m.
            let second = try await ingest.ingest([cover(120, "closed"), Self.distance(120, 4.5)])
            #expect(second.alarms.allSatisfy { !$0.active } && second.alarms.count == 2)
            #expect(try await store.alarms(deviceID: nil, activeOnly: true, limit: 10).isEmpty)
            #expect(try await store.alarms(deviceID: nil, activeOnly: false, limit: 10).count == 2)
            let counted = try await store.rejectionCounts(deviceID: nil)
            // Unregistered devices are counted together, the message naming the ID (made-up IDs add no rows).
            #expect(counted.map { "\($0.deviceID) \($0.reason.rawValue) \($0.count)" } == ["_unknown unknown_device 1", "mc-1 in_future 1", "wl-1 out_of_range 1"])
            #expect(counted.first?.lastMessage.hasPrefix("ghost: ") == true)
            #expect(
                try await store.readings(deviceID: "wl-1", measurement: "currentLevel", from: Self.t0, to: Self.t0.addingTimeInterval(999), limit: 9)
                    .compactMap(\.value.number) == [1.6, 0.5])
        }
    }

    @Test("a device silent for three intervals, one that never reported included, is offline until it reports; a new ingest keeps the rules' states",
          arguments: StoreKind.allCases)
    func offlineAndRestart(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let clock = FixedClock(Self.t0)
            let platform = try await Platform(store: store, media: InMemoryMediaStore(), clock: clock)
            try await store.saveDevices(Self.devices())
            var ingest = DeviceIngest(platform: platform)
            // Water above the alert level for three minutes (five are needed), then a "restart".
            clock.set(Self.t0.addingTimeInterval(200))
            _ = try await ingest.ingest((0...3).map { Self.distance(Double($0 * 60), 3.8) })
            ingest = DeviceIngest(platform: platform)
            clock.set(Self.t0.addingTimeInterval(400))
            let later = try await ingest.ingest([Self.distance(240, 3.8), Self.distance(300, 3.8)])
            #expect(later.alarms.map(\.type) == ["waterAboveAlert"])
            // MUT: 20 minutes on, only the gauge reported; the cover (5 min interval) and the light (never) are silent.
            clock.set(Self.t0.addingTimeInterval(1200))
            _ = try await ingest.ingest([Self.distance(1190, 3.8)])
            let raised = try await ingest.scanOffline()
            #expect(Set(raised.map(\.deviceID)) == ["mc-1"])
            #expect(try await ingest.scanOffline().isEmpty)  // one alarm up, not a second
            clock.set(Self.t0.addingTimeInterval(1900))
            #expect(Set(try await ingest.scanOffline().map(\.deviceID)) == ["sl-1", "wl-1"])
            // The cover reports: its offline alarm clears.
            let back = try await ingest.ingest([RawReading(deviceID: "mc-1", measurement: "coverState", at: Self.t0.addingTimeInterval(1890), state: "closed")])
            #expect(back.alarms.map { "\($0.type) \($0.active)" } == ["offline false"])
            let up = try await store.alarms(deviceID: nil, activeOnly: true, limit: 20).map { "\($0.deviceID) \($0.type)" }.sorted()
            #expect(up == ["sl-1 offline", "wl-1 offline", "wl-1 waterAboveAlert"])
        }
    }
}
