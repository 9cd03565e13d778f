import CityLoopDomain
import CityLoopServices
import Foundation
import Testing

/// Track retention (轨迹抽稀): every store keeps the first position of each minute per vehicle in the period and
/// removes the rest; the retention service downsamples only what aged since its last run.
@Suite("Position downsampling conformance")
struct PositionDownsamplingTests {
    typealias V = VehicleStoreConformanceTests
    /// t0 lies 20 s into its minute (1_790_000_000 = 29,833,333 min + 20 s).
    static let t0 = V.t0

    @Test("a period keeps the first position of each minute, before and after it nothing changes", arguments: StoreKind.allCases)
    func downsample(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.saveVehicles([V.truck(1), V.truck(2)])
            var batch = VehicleIngestBatch()
            // A position every 10 s for 5 minutes, for two trucks.
            batch.positions = (0..<30).flatMap { k in ["truck-1", "truck-2"].map { V.position($0, Double(k * 10)) } }
            _ = try await store.writeVehicleIngest(batch)
            // [t0, t0 + 180 s): minutes starting at t0 − 20, + 40, + 100, + 160 s hold 4, 6, 6 and 2 of its positions.
            let removed = try await store.downsamplePositions(
                vehicleID: VehicleID("truck-1"), from: Self.t0, before: Self.t0.addingTimeInterval(180), bucketSeconds: 60)
            #expect(removed == 3 + 5 + 5 + 1)
            let kept = try await store.positions(vehicleID: VehicleID("truck-1"), from: Self.t0, to: Self.t0.addingTimeInterval(999), limit: 100)
            #expect(kept.map { Int($0.time.timeIntervalSince(Self.t0)) } == [0, 40, 100, 160] + Array(stride(from: 180, to: 300, by: 10)))
            #expect(try await store.positions(vehicleID: VehicleID("truck-2"), from: Self.t0, to: Self.t0.addingTimeInterval(999), limit: 100).count == 30)
            #expect(try await store.downsamplePositions(vehicleID: VehicleID("truck-1"), from: Self.t0, before: Self.t0.addingTimeInterval(180), bucketSeconds: 60) == 0)
        }
    }

    @Test("the retention downsamples what turned older than the raw days since its last run", arguments: StoreKind.allCases)
    func retention(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.saveVehicles([V.truck(1), V.truck(2)])
            var batch = VehicleIngestBatch()
            batch.positions = (0..<30).flatMap { k in ["truck-1", "truck-2"].map { V.position($0, Double(k * 10)) } }
            _ = try await store.writeVehicleIngest(batch)
            let clock = FixedClock(Self.t0.addingTimeInterval(30 * 86_400 + 180))
            let retention = PositionRetention(store: store, clock: clock)
            #expect(try await retention.run(rawDays: 30) == 2 * 14)
            #expect(try await retention.run(rawDays: 30) == 0)
            clock.advance(by: 120)
            // [t0 + 180, t0 + 300): minutes from + 160 (its first, + 160, kept before), + 220 and + 280 s.
            #expect(try await retention.run(rawDays: 30) == 2 * (4 + 5 + 1))
            #expect(try await store.positions(vehicleID: VehicleID("truck-2"), from: Self.t0, to: Self.t0.addingTimeInterval(999), limit: 100)
                .map { Int($0.time.timeIntervalSince(Self.t0)) } == [0, 40, 100, 160, 220, 280])
        }
    }

    @Test("a first run over days of history goes a day at a time and thins every day", arguments: StoreKind.allCases)
    func firstRunOverDays(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.saveVehicles([V.truck(1)])
            var batch = VehicleIngestBatch()
            // Three minutes of reports every 10 s on each of five days.
            batch.positions = (0..<5).flatMap { day in (0..<18).map { V.position("truck-1", Double(day * 86_400 + $0 * 10)) } }
            _ = try await store.writeVehicleIngest(batch)
            let clock = FixedClock(Self.t0.addingTimeInterval(40 * 86_400))
            let removed = try await PositionRetention(store: store, clock: clock).run(rawDays: 30)
            let kept = try await store.positions(vehicleID: VehicleID("truck-1"), from: .distantPast, to: .distantFuture, limit: 1000)
            #expect(removed + kept.count == 90 && removed >= 70)
            // One position per minute is left on every day.
            let minutes = kept.map { Int($0.time.timeIntervalSince1970) / 60 }
            #expect(Set(minutes).count == minutes.count && Set(kept.map { Int($0.time.timeIntervalSince(Self.t0)) / 86_400 }) == [0, 1, 2, 3, 4])
            #expect(try await store.setting(PositionRetention.settingKey).flatMap(Double.init) == clock.now().addingTimeInterval(-30 * 86_400).timeIntervalSince1970)
        }
    }
}
