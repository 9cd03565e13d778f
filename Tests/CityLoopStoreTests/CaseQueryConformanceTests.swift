import CityLoopDomain
import Foundation
import Testing

/// How the corpus gets into the store: all at once, or replayed as the services would write it.
enum LoadMode: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case bulk
    case live
    var testDescription: String { rawValue }

    func load(_ histories: [CaseHistory], into store: any CityStore) async throws {
        switch self {
        case .bulk:
            try await store.bulkLoad(histories.map { ($0.record, $0.events) })
        case .live:
            for h in histories {
                let prefix = String(h.number.dropLast(5))
                let created = try await store.createCase(h.initial, firstEvent: h.firstEvent, numberPrefix: prefix).record
                #expect(created == h.initial)
                for ch in h.changes { try await store.commit([ch]) }
            }
        }
    }
}

/// `cases(query)` and `countsByState(query)` return exactly what `CaseQuery.matches` selects, newest first.
@Suite("Case query conformance")
struct CaseQueryConformanceTests {
    /// The reference answer: matching cases, createdAt descending then id descending.
    static func expected(_ q: CaseQuery, in corpus: [CaseRecord]) -> [CaseRecord] {
        corpus.filter(q.matches).sorted {
            $0.createdAt != $1.createdAt ? $0.createdAt > $1.createdAt : $0.id.rawValue > $1.id.rawValue
        }
    }

    static func query(_ edit: (inout CaseQuery) -> Void) -> CaseQuery {
        var q = CaseQuery()
        edit(&q)
        return q
    }

    /// Many filter combinations over the corpus, including boundaries taken from the corpus itself.
    static func queries(for corpus: [CaseRecord]) -> [CaseQuery] {
        let byTime = corpus.sorted { $0.createdAt < $1.createdAt }
        let dues = corpus.compactMap(\.stepDueAt).sorted()
        let mid = byTime[byTime.count / 2].createdAt
        let quarter = byTime[byTime.count / 4].createdAt
        let openStates = CaseState.allCases.filter(\.isOpen)
        var qs: [CaseQuery] = [CaseQuery()]
        qs += CaseState.allCases.map { s in query { $0.states = [s] } }
        qs.append(query { $0.states = openStates })
        qs.append(query { $0.states = [.closed, .pendingFiling, .suspended] })
        qs += ["0", "01", "06", "13", "99", "01001", "06012", "06101", "0610"].map { m in query { $0.matterPrefix = m } }
        qs += CaseCorpus.departments.map { d in query { $0.departmentID = d } }
        qs += (CaseCorpus.departments + ["nobody"]).map { d in query { $0.involvingDepartmentID = d } }
        qs += ["110101", "110102", "110101001", "110101001001", "110105003002007", "2"].map { a in query { $0.areaCode = a } }
        qs += (CaseCorpus.grids + ["110101001001003"]).map { g in query { $0.gridCode = g } }
        qs += [["110101001"], ["110101002", "110105"], ["110102001001010"], ["110101", "110101001"], ["3"]].map { p in
            query { $0.gridPrefixes = p }
        }
        qs += CaseSource.allCases.map { s in query { $0.source = s } }
        qs += (CaseCorpus.reporters.compactMap { $0 } + ["nobody"]).map { u in query { $0.reporterUserID = u } }
        qs.append(query { $0.createdFrom = mid })
        qs.append(query { $0.createdTo = mid })
        qs.append(query { $0.createdFrom = quarter; $0.createdTo = mid })
        let instants = [Fixture.at(0), Fixture.at(5 * 86_400), Fixture.at(15 * 86_400), Fixture.at(60 * 86_400)]
            + [dues[dues.count / 3], dues[dues.count / 2]]
        qs += instants.map { t in query { $0.overdueAt = t } }
        qs += instants.map { t in query { $0.dueBefore = t } }
        // Combinations.
        qs.append(query { $0.states = [.dispatched, .inProgress]; $0.departmentID = "water" })
        qs.append(query { $0.involvingDepartmentID = "water"; $0.overdueAt = Fixture.at(20 * 86_400) })
        qs.append(query { $0.matterPrefix = "06"; $0.areaCode = "110101"; $0.source = .citizen })
        qs.append(query { $0.gridPrefixes = ["110101001", "110102"]; $0.reporterUserID = "citizen-2" })
        qs.append(query { $0.states = openStates; $0.createdFrom = quarter; $0.createdTo = mid })
        qs.append(query { $0.dueBefore = Fixture.at(20 * 86_400); $0.involvingDepartmentID = "roads"; $0.matterPrefix = "0" })
        qs.append(query { $0.gridCode = CaseCorpus.grids[0]; $0.areaCode = "110101001" })
        qs.append(query { $0.gridCode = CaseCorpus.grids[0]; $0.gridPrefixes = ["110102"] })
        qs.append(query { $0.reporterUserID = "inspector-7"; $0.source = .inspector; $0.states = [.selfHandled, .closed] })
        return qs
    }

    @Test("cases(query) returns exactly the matching cases, newest first, with total and paging",
          arguments: StoreKind.allCases, LoadMode.allCases)
    func casesMatchReference(kind: StoreKind, mode: LoadMode) async throws {
        let histories = try CaseCorpus.generate()
        let corpus = histories.map(\.record)
        try await withStore(kind) { store in
            try await mode.load(histories, into: store)
            #expect(try await store.caseCount() == corpus.count)
            let queries = Self.queries(for: corpus)
            for (n, q) in queries.enumerated() {
                let want = Self.expected(q, in: corpus)
                var all = q
                all.limit = 1000
                let page = try await store.cases(all)
                #expect(page.total == want.count, "query \(n): \(q)")
                #expect(page.items.map(\.id) == want.map(\.id), "query \(n): \(q)")
                #expect(page.items == want, "query \(n) records")
                var paged: [CaseID] = []
                var p = q
                p.limit = 23
                p.offset = 0
                while p.offset <= want.count {
                    let part = try await store.cases(p)
                    #expect(part.total == want.count, "query \(n) offset \(p.offset)")
                    #expect(part.items.count == min(p.limit, want.count - p.offset), "query \(n) offset \(p.offset)")
                    paged += part.items.map(\.id)
                    p.offset += p.limit
                }
                #expect(paged == want.map(\.id), "query \(n) paged")
            }
        }
    }

    @Test("countsByState equals counting the matching cases", arguments: StoreKind.allCases)
    func countsByState(kind: StoreKind) async throws {
        let histories = try CaseCorpus.generate()
        let corpus = histories.map(\.record)
        try await withStore(kind) { store in
            try await LoadMode.bulk.load(histories, into: store)
            for (n, q) in Self.queries(for: corpus).enumerated() {
                var want: [CaseState: Int] = [:]
                for c in corpus where q.matches(c) { want[c.state, default: 0] += 1 }
                var paged = q
                paged.limit = 1
                paged.offset = 5
                #expect(try await store.countsByState(paged) == want, "query \(n): \(q)")
            }
        }
    }

    @Test("the corpus covers every state and the filters select something", arguments: [0])
    func corpusIsVaried(_: Int) throws {
        let corpus = try CaseCorpus.generate().map(\.record)
        #expect(Set(corpus.map(\.state)) == Set(CaseState.allCases))
        #expect(corpus.contains { !$0.assistingDepartmentIDs.isEmpty })
        #expect(corpus.contains { $0.reporters.count > 1 })
        #expect(corpus.contains { !$0.state.hasDeadline && $0.stepDueAt != nil })
        #expect(Set(corpus.map(\.createdAt)).count < corpus.count)
    }

    @Test("page bounds: offset past the end, limit 1", arguments: StoreKind.allCases)
    func pageBounds(kind: StoreKind) async throws {
        let histories = try CaseCorpus.generate(count: 30, seed: 3)
        let corpus = histories.map(\.record)
        try await withStore(kind) { store in
            try await LoadMode.bulk.load(histories, into: store)
            let want = Self.expected(CaseQuery(), in: corpus)
            var q = CaseQuery()
            q.offset = 30
            #expect(try await store.cases(q) == CasePage(items: [], total: 30))
            q.offset = 29
            q.limit = 1
            #expect(try await store.cases(q) == CasePage(items: [want[29]], total: 30))
            q.offset = 0
            #expect(try await store.cases(q) == CasePage(items: [want[0]], total: 30))
        }
    }
}
