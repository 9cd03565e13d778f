import CityLoopDomain
import CityLoopServices
import Foundation
import Testing

/// Trackers written when their rules move on and every 30 s otherwise (a quarter of the default 120 s continuity gap):
/// a truck driving along writes its tracker every 30 s, entering a site writes it at once, a flush at shutdown writes the latest, and an ingest started
/// afresh on the store goes on without raising anything twice.
@Suite("Vehicle tracker checkpoints")
struct VehicleTrackerCheckpointTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    static let centre = GeoPoint(lat: 34.75, lon: 113.65)

    @Test("a driving truck's tracker is written every 30 s, on entering a site at once, and by a flush", arguments: [StoreKind.sqlite, .inMemory])
    func checkpoints(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let site = Self.centre.offset(eastMetres: 2000, northMetres: 0)
            let ring = [(-1.0, -1.0), (1, -1), (1, 1), (-1, 1), (-1, -1)].map { site.offset(eastMetres: $0.0 * 100, northMetres: $0.1 * 100) }
            try await store.saveSites([Site(id: "cs-1", name: "工地", kind: .constructionSite, boundary: Polygon(outer: ring))])
            try await store.saveVehicles([Vehicle(id: "truck-1", plate: "豫A12345", kind: .sweeper, terminalPhone: "13912345678")])
            let clock = FixedClock(Self.t0.addingTimeInterval(3600))
            var ingest = VehicleIngest(store: store, clock: clock)
            func stored() async throws -> Double? {
                try await store.trackers(vehicleIDs: ["truck-1"])["truck-1"]?.lastEvaluatedAt.map { $0.timeIntervalSince(Self.t0) }
            }
            func at(_ s: Double, _ p: GeoPoint) -> VehiclePosition { VehiclePosition(vehicleID: "truck-1", time: Self.t0.addingTimeInterval(s), point: p) }
            var written: [Double?] = []
            // Driving east 10 m a second, a position every 10 s, for 90 s: nothing but where it is changes.
            for i in 0..<10 {
                _ = try await ingest.ingest([at(Double(i * 10), Self.centre.offset(eastMetres: Double(i * 100), northMetres: 0))])
                written.append(try await stored())
            }
            #expect(written == [0, 0, 0, 30, 30, 30, 60, 60, 60, 90])
            // Into the site: the crossing starts at once (it is a rule's state), the entry 30 s later.
            var events: [VehicleEvent] = []
            for (i, s) in [100.0, 110, 120, 130].enumerated() {
                events += try await ingest.ingest([at(s, site)]).events
                if i == 0 { #expect(try await stored() == 100) }
            }
            #expect(events.map(\.kind) == [.enteredSite])
            #expect(try await stored() == 130)
            _ = try await ingest.ingest([at(140, site)])
            #expect(try await stored() == 130)
            #expect(try await ingest.flush() == 1)
            #expect(try await stored() == 140)
            #expect(try await ingest.flush() == 0)
            // Unflushed memory lost (a crash): a fresh ingest resumes from the stored tracker and raises nothing again.
            _ = try await ingest.ingest([at(150, site)])
            ingest = VehicleIngest(store: store, clock: clock)
            #expect(try await ingest.ingest([at(160, site), at(170, site)]).events.isEmpty)
        }
    }
}
