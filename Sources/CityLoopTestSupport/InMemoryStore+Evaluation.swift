import CityLoopDomain
import Foundation

extension InMemoryStore {
    /// Sums every case's facts afresh: the reference the SQLite store's kept sums must agree with.
    public func evaluationCounts(days: ClosedRange<Int>, kinds: Set<EvaluationSubject.Kind>?) async throws -> EvaluationCounts {
        let facts = casesWithEvents().map { c, events in
            (gridCode: c.placement.gridCode, facts: EvaluationFacts.derive(c, events: events, utcOffsetSeconds: EvaluationFacts.utcOffsetSeconds))
        }
        var counts = EvaluationCounts.compute(from: facts, days: days)
        if let kinds { counts.bySubject = counts.bySubject.filter { kinds.contains($0.key.kind) } }
        return counts
    }

    /// The cases behind a count, derived afresh.
    public func evaluationCases(counter: EvaluationCounter, subject: EvaluationSubject, days: ClosedRange<Int>, after: String?, limit: Int)
        async throws -> [CaseSummary]
    {
        var out: [CaseSummary] = []
        for (c, events) in casesWithEvents() {
            let facts = EvaluationFacts.derive(c, events: events, utcOffsetSeconds: EvaluationFacts.utcOffsetSeconds)
            if facts.contains(where: { $0.counter == counter && days.contains($0.day) && $0.subjects(gridCode: c.placement.gridCode).contains(subject) }) {
                out.append(CaseSummary(id: c.id, number: c.number, matterCode: c.matterCode, state: c.state, point: c.point, createdAt: c.createdAt))
            }
        }
        return Array(out.filter { after == nil || $0.number > after! }.sorted { $0.number < $1.number }.prefix(limit))
    }
}
