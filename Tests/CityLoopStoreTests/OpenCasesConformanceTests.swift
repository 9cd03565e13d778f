import CityLoopDomain
import Foundation
import Testing

/// Duplicate candidates (`openCases`) and query time bounds at instants that are not whole milliseconds.
@Suite("Open cases and time bounds conformance")
struct OpenCasesConformanceTests {
    @Test("openCases returns only open cases of the matter inside the box since the date, newest first",
          arguments: StoreKind.allCases)
    func openCases(kind: StoreKind) async throws {
        let histories = try Self.histories()
        let corpus = histories.map(\.record)
        try await withStore(kind) { store in
            try await store.bulkLoad(histories.map { ($0.record, $0.events) })
            let boxes = [
                BoundingBox(minLat: 39.9, minLon: 116.4, maxLat: 39.91, maxLon: 116.41),
                BoundingBox(minLat: 39.902, minLon: 116.403, maxLat: 39.906, maxLon: 116.408),
                BoundingBox(minLat: 40.5, minLon: 117, maxLat: 40.6, maxLon: 117.1),
                // Edges on stored points: the box includes its border.
                BoundingBox(minLat: corpus[5].point.lat, minLon: corpus[5].point.lon, maxLat: corpus[5].point.lat, maxLon: corpus[5].point.lon),
            ]
            let sinces = [Fixture.at(0), Fixture.at(60 * 3600), corpus[80].createdAt, Fixture.at(200 * 3600)]
            for (b, box) in boxes.enumerated() {
                for since in sinces {
                    for matter in ["06001", "06002", "01001"] {
                        let want = corpus.filter {
                            $0.matterCode == matter && $0.state.isOpen && box.contains($0.point) && $0.createdAt >= since
                        }.sorted { $0.createdAt > $1.createdAt }
                        for limit in [1000, 3] {
                            let got = try await store.openCases(matterCode: matter, in: box, since: since, limit: limit)
                            #expect(got == want.prefix(limit).map(\.summary), "box \(b) since \(since) matter \(matter) limit \(limit)")
                        }
                    }
                }
            }
        }
    }

    /// 120 cases of two matter classes in a small area over five days, some rejected, some filed.
    static func histories() throws -> [CaseHistory] {
        var rng = SeededRandom(seed: 99)
        var histories: [CaseHistory] = []
        for i in 0..<120 {
            let matter = ["06001", "06002"][i % 2]
            let point = GeoPoint(lat: 39.9 + Double(rng.next() % 1000) / 100_000, lon: 116.4 + Double(rng.next() % 1000) / 100_000)
            // Distinct creation times (i seconds apart, shuffled by the random offset) so newest-first is unambiguous.
            let created = Fixture.at(Double(i) * 3600 + Double(rng.next() % 1000) / 1000)
            let reported = Fixture.newCase(
                id: CaseID(String(format: "open-%03d", i)), matter: matter, source: .sensor, createdAt: created, point: point)
            var h = CaseHistory(reported, number: "E\(matter)\(Fixture.date)" + String(format: "%05d", i + 1))
            switch rng.next() % 4 {
            case 0: try h.apply(.reject, input: ActionInput(comment: "no"), actor: Fixture.operatorActor, at: created.addingTimeInterval(60))
            case 1: try h.apply(.file, actor: Fixture.operatorActor, at: created.addingTimeInterval(60))
            default: break
            }
            histories.append(h)
        }
        return histories
    }

    @Test("createCase with a nearby query returns what openCases finds right after, the new case included",
          arguments: StoreKind.allCases)
    func nearbyOnCreate(kind: StoreKind) async throws {
        let histories = try Self.histories()
        let box = BoundingBox(minLat: 39.902, minLon: 116.403, maxLat: 39.906, maxLon: 116.408)
        try await withStore(kind) { store in
            try await store.bulkLoad(histories.map { ($0.record, $0.events) })
            let (record, first) = Fixture.newCase(
                id: "open-new", matter: "06001", source: .sensor, createdAt: Fixture.at(130 * 3600), clientRequestID: "near-1",
                point: GeoPoint(lat: 39.904, lon: 116.405))
            let query = OpenCasesQuery(matterCode: "06001", box: box, since: Fixture.at(0), limit: 1000)
            let creation = try await store.createCase(record, firstEvent: first, numberPrefix: "E0600120260302", nearby: query)
            #expect(creation.created)
            let after = try await store.openCases(query)
            #expect(creation.nearby == after)
            #expect(creation.nearby.first?.id == "open-new")
            #expect(after.count > 1)
            let again = try await store.createCase(record, firstEvent: first, numberPrefix: "E0600120260302", nearby: query)
            #expect(!again.created && again.record.number == creation.record.number)
            #expect(again.nearby == after)
            let (other, otherFirst) = Fixture.newCase(
                id: "open-new-2", matter: "06001", source: .sensor, createdAt: Fixture.at(131 * 3600), point: GeoPoint(lat: 39.904, lon: 116.405))
            let without = try await store.createCase(other, firstEvent: otherFirst, numberPrefix: "E0600120260302", nearby: nil)
            #expect(without.created && without.nearby.isEmpty)
        }
    }

    /// Queries carry instants straight from the clock (`overdueAt = now`), finer than the stored milliseconds.
    /// The reference semantics compare the exact instants.
    @Test("time filters at sub-millisecond instants follow CaseQuery.matches", arguments: StoreKind.allCases)
    func subMillisecondBounds(kind: StoreKind) async throws {
        let (record, first) = Fixture.newCase(source: .sensor, createdAt: Fixture.at(1000))
        let due = try #require(record.stepDueAt)
        try await withStore(kind) { store in
            let stored = try await store.createCase(record, firstEvent: first, numberPrefix: "E0600120260302").record
            var queries: [(String, CaseQuery)] = []
            for delta in [-0.0004, 0.0004] {
                var q = CaseQuery()
                q.createdFrom = record.createdAt.addingTimeInterval(delta)
                queries.append(("createdFrom \(delta)", q))
                q = CaseQuery()
                q.createdTo = record.createdAt.addingTimeInterval(delta)
                queries.append(("createdTo \(delta)", q))
                q = CaseQuery()
                q.overdueAt = due.addingTimeInterval(delta)
                queries.append(("overdueAt \(delta)", q))
                q = CaseQuery()
                q.dueBefore = due.addingTimeInterval(delta)
                queries.append(("dueBefore \(delta)", q))
            }
            for (name, q) in queries {
                let want = q.matches(stored) ? [stored.id] : []
                let got = try await store.cases(q).items.map(\.id)
                #expect(got == want, "\(name)")
            }
        }
    }
}
