import CityLoopDomain
import Foundation

/// Keeps raw tracks for a number of days, then downsamples them (轨迹抽稀): positions older than the raw days keep the
/// first of each minute per vehicle, so a track of any period can still be replayed. Where it got to is a setting, so
/// each run (the leader's, hourly) downsamples only what aged since, on whichever node leads.
public struct PositionRetention: Sendable {
    let store: any CityStore
    let clock: any CityClock
    /// The setting holding the time (seconds since 1970) before which the history is downsampled.
    public static let settingKey = "vehicles.downsampledBefore"

    /// Creates a retention over a store.
    public init(store: any CityStore, clock: any CityClock) {
        self.store = store
        self.clock = clock
    }

    /// Downsamples every vehicle's positions that turned older than `rawDays` since the last run to one per
    /// `bucketSeconds`; returns how many positions were removed. The work goes a day at a time, the setting moved on
    /// after each: the first run over a long history holds no transaction for long, and a run cut short resumes.
    public func run(rawDays: Int, bucketSeconds: Int = 60) async throws -> Int {
        let before = clock.now().addingTimeInterval(-Double(rawDays) * 86_400)
        let saved = try await store.setting(Self.settingKey).flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
        let start: Date?
        if let saved { start = saved } else { start = try await oldestPosition() }
        guard var from = start, from < before else { return 0 }
        var removed = 0
        while from < before {
            let to = min(before, from.addingTimeInterval(86_400))
            var after: VehicleID?
            while true {
                let page = try await store.vehicles(after: after, limit: 500)
                for v in page { removed += try await store.downsamplePositions(vehicleID: v.id, from: from, before: to, bucketSeconds: bucketSeconds) }
                guard page.count == 500, let last = page.last else { break }
                after = last.id
            }
            try await store.saveSetting(Self.settingKey, String(to.timeIntervalSince1970))
            from = to
        }
        return removed
    }

    /// The time of the oldest stored position (each vehicle's first, by its index), nil with none: where the first run
    /// starts.
    private func oldestPosition() async throws -> Date? {
        var oldest: Date?
        var after: VehicleID?
        while true {
            let page = try await store.vehicles(after: after, limit: 500)
            for v in page {
                if let first = try await store.positions(vehicleID: v.id, from: .distantPast, to: .distantFuture, limit: 1).first {
                    oldest = min(oldest ?? first.time, first.time)
                }
            }
            guard page.count == 500, let last = page.last else { return oldest }
            after = last.id
        }
    }
}
