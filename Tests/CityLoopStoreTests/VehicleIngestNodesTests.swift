import CityLoopDomain
import CityLoopServices
import Foundation
import Testing

/// Two nodes' ingests on one store, a truck's positions spread over both (a fleet platform's posts behind a load
/// balancer): each node keeps the trackers it wrote in memory, and notices by the stored token when the other wrote
/// since, so the rules go on where the truck was and raise each event once.
@Suite("Vehicle ingest on two nodes")
struct VehicleIngestNodesTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    static let centre = GeoPoint(lat: 34.75, lon: 113.65)

    @Test("positions alternating between nodes enter and leave a site once each", arguments: [StoreKind.sqlite, .inMemory])
    func alternating(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let ring = [(-1.0, -1.0), (1, -1), (1, 1), (-1, 1), (-1, -1)].map { Self.centre.offset(eastMetres: $0.0 * 100, northMetres: $0.1 * 100) }
            try await store.saveSites([Site(id: "cs-1", name: "工地", kind: .constructionSite, boundary: Polygon(outer: ring))])
            try await store.saveVehicles([Vehicle(id: "truck-1", plate: "豫A12345", kind: .sweeper, terminalPhone: "13912345678")])
            let clock = FixedClock(Self.t0.addingTimeInterval(600))
            let nodes = [VehicleIngest(store: store, clock: clock), VehicleIngest(store: store, clock: clock)]
            let outside = Self.centre.offset(eastMetres: 1000, northMetres: 0)
            var events: [VehicleEvent] = []
            // Inside every 10 s for a minute, then outside for a minute: each position to the other node.
            for i in 0..<12 {
                let p = VehiclePosition(vehicleID: "truck-1", time: Self.t0.addingTimeInterval(Double(i * 10)), point: i < 6 ? Self.centre : outside)
                events += try await nodes[i % 2].ingest([p]).events
            }
            #expect(events.map(\.kind) == [.enteredSite, .leftSite], "\(events.map(\.kind))")
            // Node 0 wrote last at 100 s; node 1's memory is of 90 s: it reads node 0's tracker, and a repeat of an
            // old point raises nothing.
            let late = VehiclePosition(vehicleID: "truck-1", time: Self.t0.addingTimeInterval(15), point: Self.centre)
            #expect(try await nodes[1].ingest([late]).events.isEmpty)
        }
    }
}
