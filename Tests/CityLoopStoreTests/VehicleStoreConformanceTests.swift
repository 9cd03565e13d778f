import CityLoopDomain
import Foundation
import Testing

/// The fleet registry, sites, permits, positions, trackers and vehicle events: every store keeps one position per
/// vehicle and time, writes a batch whole, gives a terminal to one vehicle and keeps the event log in order.
@Suite("Vehicle store conformance")
struct VehicleStoreConformanceTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    static func truck(_ n: Int, phone: String? = nil) -> Vehicle {
        Vehicle(id: VehicleID("truck-\(n)"), plate: "豫A\(10000 + n)", kind: .muckTruck, terminalPhone: phone ?? "0139\(String(format: "%08d", n))",
                companyID: DepartmentID("haulage-1"), capacityTonnes: 18)
    }

    static func position(_ vehicle: String, _ seconds: Double, lat: Double = 34.75, load: VehicleLoad = .full) -> VehiclePosition {
        VehiclePosition(
            vehicleID: VehicleID(vehicle), time: t0.addingTimeInterval(seconds), point: GeoPoint(lat: lat, lon: 113.65), speedKmh: 42.5,
            directionDegrees: 90, load: load, accOn: true, alarmBits: 1 << 28, positioned: true)
    }

    static let square = Polygon(outer: [
        GeoPoint(lat: 34.70, lon: 113.60), GeoPoint(lat: 34.70, lon: 113.61), GeoPoint(lat: 34.71, lon: 113.61), GeoPoint(lat: 34.71, lon: 113.60),
        GeoPoint(lat: 34.70, lon: 113.60),
    ])

    @Test("vehicles are registered, replaced, found by terminal and listed; a terminal belongs to one vehicle", arguments: StoreKind.allCases)
    func registry(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.saveVehicles((1...4).map { Self.truck($0) })
            var moved = Self.truck(2)
            moved.driver = "张三"
            moved.terminalPhone = "013900009999"
            try await store.saveVehicles([moved])
            #expect(try await store.vehicle(id: VehicleID("truck-2")) == moved)
            #expect(try await store.vehicle(terminalPhone: "013900009999")?.id == moved.id)
            #expect(try await store.vehicle(terminalPhone: Self.truck(2).terminalPhone!) == nil)
            #expect(try await store.vehicles(after: nil, limit: 2).map(\.id.rawValue) == ["truck-1", "truck-2"])
            #expect(try await store.vehicles(after: VehicleID("truck-2"), limit: 9).map(\.id.rawValue) == ["truck-3", "truck-4"])
            await #expect(throws: DomainError.terminalTaken) { try await store.saveVehicles([Self.truck(7, phone: "013900009999")]) }
            #expect(try await store.vehicle(id: VehicleID("truck-7")) == nil)
            #expect(try await store.terminalAuthCode(vehicleID: VehicleID("truck-1")) == nil)
            try await store.setTerminalAuthCode(vehicleID: VehicleID("truck-1"), hash: "abc123")
            #expect(try await store.terminalAuthCode(vehicleID: VehicleID("truck-1")) == "abc123")
            await #expect(throws: DomainError.self) { try await store.setTerminalAuthCode(vehicleID: VehicleID("nope"), hash: "x") }
        }
    }

    @Test("sites and permits are saved, replaced, listed in ID order and removed", arguments: StoreKind.allCases)
    func sitesAndPermits(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let site = Site(id: SiteID("cs-1"), name: "工地一", kind: .constructionSite, boundary: Self.square, openingHours: [try DailyWindow("06:00-22:00")])
            let dump = Site(id: SiteID("ds-1"), name: "消纳场", kind: .disposalSite, boundary: Self.square)
            try await store.saveSites([dump, site])
            #expect(try await store.sites() == [site, dump])
            #expect(try await store.deleteSite(id: SiteID("ds-1")))
            #expect(try await !store.deleteSite(id: SiteID("ds-1")))
            let permit = TransportPermit(
                id: PermitID("p-1"), vehicleID: VehicleID("truck-1"), originSiteID: SiteID("cs-1"), destinationSiteID: SiteID("ds-1"),
                corridor: [GeoPoint(lat: 34.70, lon: 113.60), GeoPoint(lat: 34.80, lon: 113.70)], corridorMetres: 150, validFrom: Self.t0,
                validTo: Self.t0.addingTimeInterval(86_400 * 30))
            var other = permit
            other.id = PermitID("p-2")
            other.vehicleID = VehicleID("truck-2")
            try await store.savePermits([other, permit])
            #expect(try await store.permits(vehicleID: nil) == [permit, other])
            #expect(try await store.permits(vehicleID: VehicleID("truck-2")) == [other])
        }
    }

    @Test("a permit is removed: gone from the list and from its vehicle's, the others kept", arguments: StoreKind.allCases)
    func deletePermit(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            // setup
            let permit = TransportPermit(
                id: PermitID("p-1"), vehicleID: VehicleID("truck-1"), originSiteID: SiteID("cs-1"), destinationSiteID: SiteID("ds-1"),
                corridor: [GeoPoint(lat: 34.70, lon: 113.60), GeoPoint(lat: 34.80, lon: 113.70)], validFrom: Self.t0, validTo: Self.t0.addingTimeInterval(86_400))
            var kept = permit
            kept.id = PermitID("p-2")
            try await store.savePermits([permit, kept])
            // MUT
            let removed = try await store.deletePermit(id: PermitID("p-1"))
            // validate
            #expect(removed)
            #expect(try await store.permits(vehicleID: nil) == [kept])
            #expect(try await store.permits(vehicleID: VehicleID("truck-1")) == [kept])
            #expect(try await !store.deletePermit(id: PermitID("p-1")))
            #expect(try await !store.deletePermit(id: PermitID("p-404")))
        }
    }

    @Test("drivers are saved, replaced and listed by company in ID order", arguments: StoreKind.allCases)
    func drivers(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let a = DepartmentID("haul-a"), b = DepartmentID("haul-b")
            var d2 = Driver(id: "D-2", name: "李师傅", licenceNumber: "A1234567", phone: "13900000002", companyID: a)
            let d1 = Driver(id: "D-1", name: "张师傅", companyID: b), d3 = Driver(id: "D-3", name: "王师傅")
            try await store.saveDrivers([d2, d1, d3])
            #expect(try await store.drivers(companyID: nil).map(\.id) == ["D-1", "D-2", "D-3"])
            #expect(try await store.drivers(companyID: a) == [d2])
            // Moved to the other company and left: replaced, listed there.
            d2.companyID = b
            d2.active = false
            try await store.saveDrivers([d2])
            #expect(try await store.drivers(companyID: b) == [d1, d2])
            #expect(try await store.drivers(companyID: a).isEmpty)
            #expect(try await store.driver(id: "D-2") == d2)
            #expect(try await store.driver(id: "D-9") == nil)
        }
    }

    @Test("positions are kept once per vehicle and time, with trackers and events in the same batch, and read back", arguments: StoreKind.allCases)
    func ingest(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.saveVehicles([Self.truck(1), Self.truck(2)])
            var batch = VehicleIngestBatch()
            batch.positions = (0..<10).map { Self.position("truck-1", Double($0 * 30), lat: 34.75 + Double($0) / 1000) }
            batch.positions.append(Self.position("truck-2", 0, load: .empty))
            var tracker = VehicleTracker(vehicleID: VehicleID("truck-1"), kind: .muckTruck)
            _ = tracker.ingest(batch.positions[0], sites: SiteIndex(), permits: [], settings: VehicleRuleSettings())
            batch.trackers = [VehicleID("truck-1"): tracker]
            let a = DepartmentID("haul-a"), b = DepartmentID("haul-b")
            batch.events = [
                VehicleEvent(kind: .tampered, vehicleID: VehicleID("truck-1"), time: Self.t0, point: batch.positions[0].point, alarmBits: 1 << 28, companyID: a),
                VehicleEvent(
                    kind: .dumpingSuspected, vehicleID: VehicleID("truck-1"), time: Self.t0.addingTimeInterval(60), point: nil, lastLoadedAt: Self.t0,
                    companyID: a),
                VehicleEvent(kind: .offline, vehicleID: VehicleID("truck-2"), time: Self.t0.addingTimeInterval(90), point: nil),
            ]
            batch.trackerToken = 42
            #expect(try await store.writeVehicleIngest(batch) == 11)
            #expect(try await store.trackerTokens(vehicleIDs: [VehicleID("truck-1"), VehicleID("truck-2")]) == [VehicleID("truck-1"): 42])
            // A terminal flushing its buffer sends points again: they are not stored twice.
            var again = VehicleIngestBatch()
            again.positions = [Self.position("truck-1", 0, lat: 1), Self.position("truck-1", 300)]
            #expect(try await store.writeVehicleIngest(again) == 1)

            let track = try await store.positions(vehicleID: VehicleID("truck-1"), from: Self.t0.addingTimeInterval(30), to: Self.t0.addingTimeInterval(300), limit: 100)
            #expect(track == Array(batch.positions[1..<10]))
            #expect(try await store.positions(vehicleID: VehicleID("truck-1"), from: Self.t0, to: Self.t0.addingTimeInterval(999), limit: 3).count == 3)
            #expect(try await store.latestPositions() == [Self.position("truck-1", 300), batch.positions[10]])
            #expect(try await store.trackers(vehicleIDs: [VehicleID("truck-1"), VehicleID("truck-2")]) == batch.trackers)

            let all = try await store.vehicleEvents(vehicleID: nil, before: nil, limit: 10)
            #expect(all.map(\.event) == batch.events.reversed())
            #expect(all.map(\.seq) == all.map(\.seq).sorted(by: >))
            let ofTruck = try await store.vehicleEvents(vehicleID: VehicleID("truck-1"), before: nil, limit: 1)
            #expect(ofTruck.map(\.event.kind) == [.dumpingSuspected])
            #expect(try await store.vehicleEvents(vehicleID: VehicleID("truck-1"), before: ofTruck[0].seq, limit: 9).map(\.event.kind) == [.tampered])
            // The truck moves to another company: its later event is charged there, the earlier ones stay with the first.
            var moved = VehicleIngestBatch()
            moved.events = [VehicleEvent(kind: .speeding, vehicleID: VehicleID("truck-1"), time: Self.t0.addingTimeInterval(30), point: nil, companyID: b)]
            _ = try await store.writeVehicleIngest(moved)
            // Counted by company and kind in a period: [t0, t0 + 90 s) leaves the offline event out, which has no
            // company anyway.
            #expect(
                try await store.vehicleEventCounts(from: Self.t0, to: Self.t0.addingTimeInterval(90)) == [
                    VehicleEventCount(companyID: a, kind: .dumpingSuspected, count: 1),
                    VehicleEventCount(companyID: a, kind: .tampered, count: 1),
                    VehicleEventCount(companyID: b, kind: .speeding, count: 1),
                ])
            #expect(try await store.vehicleEventCounts(from: Self.t0.addingTimeInterval(61), to: Self.t0.addingTimeInterval(999)).isEmpty)
            // Read by time, oldest first, a page at a time; of one company or all.
            let byTime = try await store.vehicleEvents(companyID: nil, from: Self.t0, to: Self.t0.addingTimeInterval(999), after: nil, limit: 2)
            #expect(byTime.map(\.event.kind) == [.tampered, .speeding])
            let rest = try await store.vehicleEvents(companyID: nil, from: Self.t0, to: Self.t0.addingTimeInterval(999), after: byTime.last, limit: 9)
            #expect(rest.map(\.event.kind) == [.dumpingSuspected, .offline])
            #expect(rest.map(\.event.companyID) == [a, nil])
            let ofA = try await store.vehicleEvents(companyID: a, from: Self.t0.addingTimeInterval(1), to: Self.t0.addingTimeInterval(999), after: nil, limit: 9)
            #expect(ofA.map(\.event.kind) == [.dumpingSuspected])
            #expect(try await store.vehicleEvents(companyID: b, from: Self.t0, to: Self.t0.addingTimeInterval(30), after: nil, limit: 9).isEmpty)
        }
    }
}
