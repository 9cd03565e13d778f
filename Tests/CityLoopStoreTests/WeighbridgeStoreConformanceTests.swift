import CityLoopDomain
import Foundation
import Testing

/// Trips and weighbridge tickets: every store keeps the trips an ingest batch finished, finds them by the period their
/// loaded span meets, keeps a ticket once by its site and number with its event, and lists and sums tickets by time.
@Suite("Weighbridge store conformance")
struct WeighbridgeStoreConformanceTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    static let truck = VehicleID("truck-1")

    static func trip(_ startMinutes: Double, _ endMinutes: Double) -> VehicleTrip {
        var t = VehicleTrip(startedAt: t0.addingTimeInterval(startMinutes * 60), startPoint: GeoPoint(lat: 34.75, lon: 113.65), originSiteID: "cs-1")
        t.lastLoadedAt = t0.addingTimeInterval(endMinutes * 60 - 30)
        t.endedAt = t0.addingTimeInterval(endMinutes * 60)
        t.disposalSiteID = "ds-1"
        return t
    }

    static func ticket(_ number: String, site: SiteID = "ds-1", vehicle: VehicleID? = truck, minutes: Double, net: Double, finding: WeighbridgeFinding? = nil) -> StoredWeighbridgeTicket {
        StoredWeighbridgeTicket(
            ticket: WeighbridgeTicket(
                number: number, siteID: site, vehicleID: vehicle, plate: vehicle == nil ? "豫A99999" : nil, weighedAt: t0.addingTimeInterval(minutes * 60),
                grossKg: 13_000 + net, tareKg: 13_000, material: "渣土"),
            vehicleID: vehicle, tripStartedAt: vehicle == nil ? nil : t0, finding: finding, receivedAt: t0.addingTimeInterval(7200))
    }

    @Test("trips finished by an ingest batch are kept once and found by the period they meet", arguments: StoreKind.allCases)
    func trips(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var batch = VehicleIngestBatch()
            batch.trips = [
                StoredVehicleTrip(vehicleID: Self.truck, trip: Self.trip(0, 40)), StoredVehicleTrip(vehicleID: Self.truck, trip: Self.trip(60, 100)),
                StoredVehicleTrip(vehicleID: "truck-2", trip: Self.trip(0, 40)),
            ]
            _ = try await store.writeVehicleIngest(batch)
            // Written again (a batch retried): still one each.
            _ = try await store.writeVehicleIngest(batch)
            let all = try await store.vehicleTrips(vehicleID: Self.truck, from: Self.t0.addingTimeInterval(-3600), to: Self.t0.addingTimeInterval(7200), limit: 10)
            #expect(all == [Self.trip(0, 40), Self.trip(60, 100)])
            // [t0 + 40 min, t0 + 60 min) meets the first (it ended at 40) but not the second (it starts at 60).
            #expect(try await store.vehicleTrips(vehicleID: Self.truck, from: Self.t0.addingTimeInterval(2400), to: Self.t0.addingTimeInterval(3600), limit: 10)
                == [Self.trip(0, 40)])
            #expect(try await store.vehicleTrips(vehicleID: Self.truck, from: Self.t0.addingTimeInterval(-3600), to: Self.t0.addingTimeInterval(7200), limit: 1).count == 1)
            #expect(try await store.vehicleTrips(vehicleID: "truck-3", from: Self.t0, to: Self.t0.addingTimeInterval(7200), limit: 10).isEmpty)
        }
    }

    @Test("a ticket is kept once by its site and number, with its event, and listed and summed by time", arguments: StoreKind.allCases)
    func tickets(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let empty = Self.ticket("A-2", minutes: 50, net: 400, finding: .arrivedEmpty)
            let event = VehicleEvent(kind: .weighedEmpty, vehicleID: Self.truck, time: empty.ticket.weighedAt, point: nil, siteID: "ds-1", measured: 400, limit: 500)
            let saved0 = try await store.saveWeighbridgeTicket(Self.ticket("A-1", minutes: 30, net: 18_000), event: nil)
            #expect(saved0)
            let saved1 = try await store.saveWeighbridgeTicket(empty, event: event)
            #expect(saved1)
            let saved2 = try await store.saveWeighbridgeTicket(Self.ticket("A-1", site: "ds-2", minutes: 35, net: 9_000), event: nil)
            #expect(saved2)
            let saved3 = try await store.saveWeighbridgeTicket(Self.ticket("B-7", vehicle: nil, minutes: 40, net: 15_000, finding: .unknownVehicle), event: nil)
            #expect(saved3)
            // The same ticket again (another net weight, another event): nothing changes.
            let saved4 = try await store.saveWeighbridgeTicket(Self.ticket("A-2", minutes: 50, net: 20_000), event: event)
            #expect(!saved4)
            #expect(try await store.weighbridgeTicket(siteID: "ds-1", number: "A-2") == empty)
            #expect(try await store.weighbridgeTicket(siteID: "ds-9", number: "A-2") == nil)
            #expect(try await store.vehicleEvents(vehicleID: Self.truck, before: nil, limit: 10).map(\.event) == [event])

            let from = Self.t0, to = Self.t0.addingTimeInterval(3600)
            #expect(try await store.weighbridgeTickets(vehicleID: nil, siteID: nil, from: from, to: to, limit: 10).map(\.ticket.number) == ["A-2", "B-7", "A-1", "A-1"])
            #expect(try await store.weighbridgeTickets(vehicleID: Self.truck, siteID: "ds-1", from: from, to: to, limit: 10).map(\.ticket.number) == ["A-2", "A-1"])
            #expect(try await store.weighbridgeTickets(vehicleID: nil, siteID: nil, from: from, to: Self.t0.addingTimeInterval(2400), limit: 10).count == 2)
            #expect(try await store.weighbridgeTickets(vehicleID: nil, siteID: nil, from: from, to: to, limit: 2).count == 2)
            #expect(
                try await store.weighbridgeTotals(from: from, to: to) == [
                    WeighbridgeTotal(vehicleID: nil, siteID: "ds-1", tickets: 1, netKg: 15_000, emptyTickets: 0),
                    WeighbridgeTotal(vehicleID: Self.truck, siteID: "ds-1", tickets: 2, netKg: 18_400, emptyTickets: 1),
                    WeighbridgeTotal(vehicleID: Self.truck, siteID: "ds-2", tickets: 1, netKg: 9_000, emptyTickets: 0),
                ])
            #expect(try await store.weighbridgeTotals(from: to, to: to.addingTimeInterval(60)).isEmpty)
        }
    }
}
