import CityLoopDomain
import Foundation
import Testing

/// Every store's evaluation counts and the cases behind them equal the reference derived afresh from the case
/// histories — whether the cases were bulk-loaded or lived through every change one commit at a time (the
/// SQLite store keeps its sums by adding each change's difference).
@Suite("Evaluation store conformance")
struct EvaluationConformanceTests {
    static let corpus = Result { try CaseCorpus.generate() }

    static func reference(_ histories: [CaseHistory]) -> [(gridCode: String, facts: [EvaluationFact])] {
        histories.map { h in (h.record.placement.gridCode, EvaluationFacts.derive(h.record, events: h.events)) }
    }

    static func spans(_ facts: [(gridCode: String, facts: [EvaluationFact])]) -> [ClosedRange<Int>] {
        let days = facts.flatMap { $0.facts.map(\.day) }
        let first = days.min()!, last = days.max()!
        return [first...last, first...first, (first + 3)...(first + 9), last...last, (last + 1)...(last + 30), (first - 10)...(first - 1)]
    }

    @Test("counts equal the reference for every span and subject kind", arguments: StoreKind.allCases, LoadMode.allCases)
    func counts(kind: StoreKind, mode: LoadMode) async throws {
        let histories = try Self.corpus.get()
        let facts = Self.reference(histories)
        #expect(facts.reduce(0) { $0 + $1.facts.count } > 2000, "the corpus exercises the evaluation")
        try await withStore(kind) { store in
            try await mode.load(histories, into: store)
            for days in Self.spans(facts) {
                let want = EvaluationCounts.compute(from: facts, days: days)
                #expect(try await store.evaluationCounts(days: days, kinds: nil) == want, "days \(days)")
                let people = try await store.evaluationCounts(days: days, kinds: [.user, .department])
                #expect(people.bySubject == want.bySubject.filter { [.user, .department].contains($0.key.kind) })
            }
        }
    }

    @Test("the cases behind a count are exactly the cases counted, in number order and by page", arguments: StoreKind.allCases)
    func cases(kind: StoreKind) async throws {
        let histories = try Self.corpus.get()
        let facts = Self.reference(histories)
        let all = Self.spans(facts)[0]
        let subjects: [EvaluationSubject] = [
            .city, EvaluationSubject(kind: .district, id: "110101"), EvaluationSubject(kind: .street, id: "110105003"),
            EvaluationSubject(kind: .department, id: "water"), EvaluationSubject(kind: .user, id: Fixture.inspector.userID.rawValue),
            EvaluationSubject(kind: .user, id: Fixture.dispatcher.userID.rawValue),
        ]
        try await withStore(kind) { store in
            try await LoadMode.live.load(histories, into: store)
            var checked = 0
            for subject in subjects {
                for counter in [EvaluationCounter.filed, .closedOnTime, .tasks, .tasksHandledOnTime, .verifications, .dispatchesAccurate, .reported] {
                    for days in [all, all.lowerBound...(all.lowerBound + 5)] {
                        let want = zip(histories, facts).filter { _, f in
                            f.facts.contains { $0.counter == counter && days.contains($0.day) && $0.subjects(gridCode: f.gridCode).contains(subject) }
                        }.map(\.0.number).sorted()
                        let counted = EvaluationCounts.compute(from: facts, days: days)[subject, counter]
                        let got = try await store.evaluationCases(counter: counter, subject: subject, days: days, after: nil, limit: 10_000).map(\.number)
                        #expect(got == want, "\(subject) \(counter) \(days)")
                        // A case counts once per fact; most counters have at most one fact per case.
                        #expect(got.count <= counted)
                        if want.count > 3 {
                            let page = try await store.evaluationCases(counter: counter, subject: subject, days: days, after: want[1], limit: 2)
                            #expect(page.map(\.number) == Array(want[2..<4]))
                        }
                        checked += want.count
                    }
                }
            }
            #expect(checked > 500)
        }
    }
}
