import CityLoopDomain
import Foundation
import Testing

/// The place table and the queue of reports waiting to be placed by hand.
@Suite("Placement store conformance")
struct PlacementConformanceTests {
    static func entry(_ id: String, key: String?, at seconds: TimeInterval) -> UnplacedReport {
        UnplacedReport(
            id: id, key: key, receivedAt: Fixture.at(seconds), actor: Fixture.operatorActor, address: "幸福里小区\(id)",
            input: #"{"matterCode":"06010"}"#, candidates: [Place(name: "幸福里", address: "幸福路1号", point: GeoPoint(lat: 34.75, lon: 113.65))])
    }

    @Test("places are replaced whole and read back in order", arguments: StoreKind.allCases)
    func places(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            #expect(try await store.places().isEmpty)
            let first = [
                Place(name: "紫荆山公园", address: "金水路", point: GeoPoint(lat: 34.76, lon: 113.68)),
                Place(name: "二七纪念塔", address: "二七广场1号", point: GeoPoint(lat: 34.75, lon: 113.66)),
            ]
            try await store.replacePlaces(first)
            #expect(try await store.places() == first)
            let second = [Place(name: "文化路小学", address: "文化路12号", point: GeoPoint(lat: 34.78, lon: 113.67))]
            try await store.replacePlaces(second)
            #expect(try await store.places() == second)
        }
    }

    @Test("the queue keeps one entry per key, lists the waiting oldest first and places each once", arguments: StoreKind.allCases)
    func queue(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let a = Self.entry("Ua", key: "u-1/ticket:1", at: 20)
            let b = Self.entry("Ub", key: nil, at: 10)
            #expect(try await store.enqueueUnplaced(a) == a)
            #expect(try await store.enqueueUnplaced(b) == b)
            // The same key again: the first entry comes back, nothing new is queued.
            let replay = Self.entry("Uc", key: "u-1/ticket:1", at: 30)
            #expect(try await store.enqueueUnplaced(replay) == a)
            #expect(try await store.unplacedReport(id: "Uc") == nil)
            #expect(try await store.pendingUnplaced(limit: 10).map(\.id) == ["Ub", "Ua"])
            #expect(try await store.pendingUnplaced(limit: 1).map(\.id) == ["Ub"])

            try await store.markPlaced(id: "Ua", caseNumber: "E0601020261124000001", by: "u-op", at: Fixture.at(40))
            let placed = try #require(try await store.unplacedReport(id: "Ua"))
            #expect(placed.caseNumber == "E0601020261124000001" && placed.placedBy == "u-op" && placed.placedAt == Fixture.at(40))
            #expect(try await store.pendingUnplaced(limit: 10).map(\.id) == ["Ub"])
            await expectDomainError(code: "unplaced.placed") {
                try await store.markPlaced(id: "Ua", caseNumber: "E0601020261124000002", by: "u-op", at: Fixture.at(50))
            }
            await expectDomainError(code: "unplaced.not_found") {
                try await store.markPlaced(id: "Uzz", caseNumber: "x", by: "u-op", at: Fixture.at(50))
            }
            // A key already placed still finds its entry (and so its case).
            #expect(try await store.enqueueUnplaced(Self.entry("Ud", key: "u-1/ticket:1", at: 60)).caseNumber == "E0601020261124000001")
        }
    }
}
