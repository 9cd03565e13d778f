import CityLoopDomain
import Foundation
import Testing

/// Every store's daily counts, hotspots and time-of-day counts equal the reference counted from the records,
/// however the cases arrived, and follow a case whose class or place is corrected.
@Suite("Analytics store conformance")
struct AnalyticsConformanceTests {
    static func filters(_ records: [CaseRecord]) -> [CaseCountFilter] {
        let days = records.map { EvaluationFacts.day(of: $0.createdAt, utcOffsetSeconds: EvaluationFacts.utcOffsetSeconds) }
        let all = days.min()!...days.max()!
        let some = (all.lowerBound + 3)...(all.lowerBound + 12)
        var out: [CaseCountFilter] = []
        for span in [all, some, (all.upperBound + 1)...(all.upperBound + 9)] {
            // City, district, street (kept as sums), community and grid (counted from the cases).
            for area in [nil, "110101", "110101001", "110101001001", "110105003002007", "999999"] as [String?] {
                for matter in [nil, "06", "06001", "0", "13002"] as [String?] { out.append(CaseCountFilter(area: area, matter: matter, days: span)) }
            }
        }
        return out
    }

    static func expectSame(_ store: any CityStore, _ records: [CaseRecord]) async throws {
        for f in filters(records) {
            #expect(try await store.dailyCounts(f) == CaseCounts.daily(records, f), "\(f)")
            #expect(try await store.gridMatterCounts(f) == CaseCounts.byGridAndMatter(records, f), "\(f)")
            #expect(try await store.weekdayHourCounts(f) == CaseCounts.weekdayHour(records, f), "\(f)")
        }
    }

    @Test("daily, grid and weekday-hour counts equal the reference", arguments: StoreKind.allCases, LoadMode.allCases)
    func counts(kind: StoreKind, mode: LoadMode) async throws {
        let histories = try CaseCorpus.generate()
        try await withStore(kind) { store in
            try await mode.load(histories, into: store)
            let total = try await store.dailyCounts(CaseCountFilter(days: 0...100_000)).values.reduce(0, +)
            #expect(total == histories.count)
            try await Self.expectSame(store, histories.map(\.record))
        }
    }

    @Test("a corrected class and grid move the case's counts", arguments: StoreKind.allCases)
    func correction(kind: StoreKind) async throws {
        var histories = try CaseCorpus.generate(count: 80, seed: 11)
        try await withStore(kind) { store in
            try await LoadMode.live.load(histories, into: store)
            // MUT: the first open case moves to another grid and class
            let i = try #require(histories.firstIndex { !$0.record.state.isTerminal })
            histories[i].amend {
                $0.placement.gridCode = "110102001001010"
                $0.matterCode = "07001"
            }
            try await store.commit([histories[i].changes.last!])
            // validate
            let records = histories.map(\.record)
            try await Self.expectSame(store, records)
            let facts = EvaluationConformanceTests.reference(histories)
            let days = EvaluationConformanceTests.spans(facts)[0]
            #expect(try await store.evaluationCounts(days: days, kinds: nil) == EvaluationCounts.compute(from: facts, days: days))
        }
    }
}
