import CityLoopDomain
import Foundation
import Testing

/// The dashboard's figures and the map's clusters from every store equal the reference computed from the records.
@Suite("Dashboard store conformance")
struct DashboardConformanceTests {
    static let corpus = Result { try CaseCorpus.generate() }

    static func queries() -> [DashboardQuery] {
        let instants = [Fixture.at(-86_400), Fixture.at(3 * 86_400 + 5_000), Fixture.at(15 * 86_400), Fixture.at(31 * 86_400), Fixture.at(45 * 86_400)]
        var out: [DashboardQuery] = []
        for now in instants {
            for area in [nil, "110101", "110101001001", "110105003002007", "9"] as [String?] {
                out.append(DashboardQuery(areaCode: area, now: now))
            }
        }
        out.append(DashboardQuery(now: Fixture.at(20 * 86_400), utcOffsetSeconds: 0, trendDays: 7, overdueLimit: 3))
        out.append(DashboardQuery(now: Fixture.at(20 * 86_400), utcOffsetSeconds: -5 * 3600, trendDays: 1, overdueLimit: 0))
        return out
    }

    @Test("dashboard figures equal the reference for many instants and areas", arguments: StoreKind.allCases, LoadMode.allCases)
    func dashboard(kind: StoreKind, mode: LoadMode) async throws {
        let histories = try Self.corpus.get()
        let records = histories.map(\.record)
        try await withStore(kind) { store in
            try await mode.load(histories, into: store)
            for q in Self.queries() {
                let got = try await store.dashboard(q)
                let want = DashboardFigures.compute(from: records, q)
                #expect(got == want, "now \(q.now) area \(q.areaCode ?? "city") offset \(q.utcOffsetSeconds)")
            }
        }
    }

    @Test("clusters equal the reference for several boxes and cell sizes", arguments: StoreKind.allCases)
    func clusters(kind: StoreKind) async throws {
        let histories = try Self.corpus.get()
        let records = histories.map(\.record)
        try await withStore(kind) { store in
            try await LoadMode.bulk.load(histories, into: store)
            let boxes = [
                BoundingBox(minLat: 39.8, minLon: 116.3, maxLat: 40.0, maxLon: 116.5),
                BoundingBox(minLat: 39.905, minLon: 116.405, maxLat: 39.912, maxLon: 116.41),
                BoundingBox(minLat: 10, minLon: 10, maxLat: 11, maxLon: 11),
            ]
            for box in boxes {
                for cell in [0.1, 0.005, 0.0007] {
                    for area in [nil, "110101"] as [String?] {
                        let q = ClusterQuery(box: box, cellDegrees: cell, areaCode: area)
                        let got = try await store.openCaseClusters(q)
                        let want = CaseCluster.compute(from: records, q)
                        #expect(got.count == want.count)
                        for (g, w) in zip(got, want) {
                            #expect(g.state == w.state && g.count == w.count && g.caseID == w.caseID && g.number == w.number)
                            #expect(abs(g.point.lat - w.point.lat) < 1e-9 && abs(g.point.lon - w.point.lon) < 1e-9)
                        }
                        #expect(got.reduce(0) { $0 + $1.count } == records.filter { !$0.state.isTerminal && box.contains($0.point) && (area.map($0.placement.gridCode.hasPrefix) ?? true) }.count)
                    }
                }
            }
        }
    }
}
