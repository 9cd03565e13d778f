import Foundation

/// What the evaluation asks the store. Stores keep each case's facts (`EvaluationFacts.derive`) and their sums by
/// day and subject up to date with every change, so a period's counts are a sum over days, never a pass over cases.
public protocol EvaluationStore: Sendable {
    /// The counters summed over the days, for every subject (of `kinds`, all when nil) that has any.
    func evaluationCounts(days: ClosedRange<Int>, kinds: Set<EvaluationSubject.Kind>?) async throws -> EvaluationCounts
    /// The cases with a fact of `counter` on the days for `subject`: IDs, in case-number order, after `after`,
    /// at most `limit`.
    func evaluationCases(counter: EvaluationCounter, subject: EvaluationSubject, days: ClosedRange<Int>, after: String?, limit: Int)
        async throws -> [CaseSummary]
}
