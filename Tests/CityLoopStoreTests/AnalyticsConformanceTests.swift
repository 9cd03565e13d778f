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

/// Recurrence candidates: every store finds exactly the closed cases of the class in the box closed since the time.
@Suite("Closed cases conformance")
struct ClosedCasesConformanceTests {
    @Test("closed cases of a class in a box since a time equal the reference", arguments: StoreKind.allCases)
    func closed(kind: StoreKind) async throws {
        let histories = try CaseCorpus.generate()
        let records = histories.map(\.record)
        let closed = records.filter { $0.state == .closed }
        #expect(closed.count > 10)
        try await withStore(kind) { store in
            try await LoadMode.bulk.load(histories, into: store)
            for c in closed.prefix(15) {
                for (metres, days) in [(50.0, 30.0), (2000, 10), (10, 1)] {
                    let q = RecurrencePolicy(radiusMetres: metres, windowDays: days).query(matterCode: c.matterCode, at: c.point, now: c.closedAt!.addingTimeInterval(3600))
                    let want = records.filter {
                        $0.state == .closed && $0.matterCode == q.matterCode && q.box.contains($0.point) && $0.closedAt! >= q.closedSince
                    }.map(\.id)
                    let got = try await store.closedCases(q)
                    #expect(Set(got.map(\.id)) == Set(want), "\(c.number) \(metres) m \(days) d")
                    #expect(got.contains { $0.id == c.id })
                }
            }
        }
    }

    @Test("reports stored together are each linked to the closed case they repeat, a repeated request to its first case", arguments: StoreKind.allCases)
    func linkedAtIntake(kind: StoreKind) async throws {
        // setup: new reports near closed cases of their class (within the radius), of another class, and far away
        let histories = try CaseCorpus.generate()
        let records = histories.map(\.record)
        let closed = records.filter { $0.state == .closed }
        let policy = RecurrencePolicy(radiusMetres: 50, windowDays: 30)
        try await withStore(kind) { store in
            try await LoadMode.bulk.load(histories, into: store)
            var reports: [(CaseRecord, CaseEvent, RecurrenceLookup, CaseID?)] = []
            for (i, c) in closed.prefix(24).enumerated() {
                let now = c.closedAt!.addingTimeInterval(3600)
                let point = i % 3 == 2 ? GeoPoint(lat: c.point.lat + 0.01, lon: c.point.lon) : GeoPoint(lat: c.point.lat + 0.0001, lon: c.point.lon)
                let matter = i % 3 == 1 ? (c.matterCode == "06001" ? "06002" : "06001") : c.matterCode
                let (record, first) = Fixture.newCase(matter: matter, createdAt: now, clientRequestID: "again-\(i % 12)", point: point)
                let lookup = policy.lookup(matterCode: matter, at: point, now: now)
                let candidates = records.filter {
                    $0.state == .closed && $0.matterCode == matter && lookup.query.box.contains($0.point) && $0.closedAt! >= lookup.query.closedSince
                }.map { ClosedCase(id: $0.id, number: $0.number, point: $0.point, closedAt: $0.closedAt!) }
                reports.append((record, first, lookup, policy.repeated(at: point, among: candidates)?.id))
            }
            #expect(reports.contains { $0.3 != nil } && reports.contains { $0.3 == nil })
            // MUT: all at once (a store that groups reports writes them together)
            let stored = try await withThrowingTaskGroup(of: (Int, CaseCreation).self) { group in
                for (i, r) in reports.enumerated() {
                    group.addTask { (i, try await store.createCase(r.0, firstEvent: r.1, numberPrefix: "E06001\(Fixture.date)", nearby: nil, recurrence: r.2)) }
                }
                var out: [Int: CaseCreation] = [:]
                for try await (i, c) in group { out[i] = c }
                return out
            }
            // validate: the first report of each request ID made the case, linked as its own lookup says
            for key in 0..<12 {
                let made = try #require(stored.filter { $0.key % 12 == key && $0.value.created }.first)
                #expect(made.value.record.recurrenceOf == reports[made.key].3, "report \(made.key)")
                #expect(try await store.caseRecord(id: made.value.record.id)?.recurrenceOf == reports[made.key].3)
                #expect(stored.filter { $0.key % 12 == key }.allSatisfy { $0.value.record.id == made.value.record.id })
            }
        }
    }

    @Test("closed-case queries asked at once each get their own answer, newest first within the limit", arguments: StoreKind.allCases)
    func askedTogether(kind: StoreKind) async throws {
        // setup
        let histories = try CaseCorpus.generate()
        let records = histories.map(\.record)
        let closed = records.filter { $0.state == .closed }
        try await withStore(kind) { store in
            try await LoadMode.bulk.load(histories, into: store)
            var queries: [ClosedCasesQuery] = []
            for c in closed.prefix(20) {
                for (metres, limit) in [(2000.0, 3), (50, 50)] {
                    var q = RecurrencePolicy(radiusMetres: metres, windowDays: 30).query(matterCode: c.matterCode, at: c.point, now: c.closedAt!.addingTimeInterval(3600))
                    q.limit = limit
                    queries.append(q)
                }
            }
            // MUT: every query at the same time
            let answers = try await withThrowingTaskGroup(of: (Int, [ClosedCase]).self) { group in
                for (i, q) in queries.enumerated() { group.addTask { (i, try await store.closedCases(q)) } }
                var out: [Int: [ClosedCase]] = [:]
                for try await (i, got) in group { out[i] = got }
                return out
            }
            // validate
            for (i, q) in queries.enumerated() {
                let want = records.filter {
                    $0.state == .closed && $0.matterCode == q.matterCode && q.box.contains($0.point) && $0.closedAt! >= q.closedSince
                }.sorted { ($0.closedAt!, $0.number) > ($1.closedAt!, $1.number) }.prefix(q.limit).map(\.id)
                #expect(answers[i]?.map(\.id) == Array(want), "query \(i)")
            }
        }
    }
}
