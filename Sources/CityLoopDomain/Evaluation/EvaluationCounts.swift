import Foundation

/// Summed counters per subject over a period: what the store answers and every indicator is computed from.
public struct EvaluationCounts: Hashable, Sendable {
    /// Counter totals by subject.
    public var bySubject: [EvaluationSubject: [EvaluationCounter: Int]]

    /// Creates counts.
    public init(_ bySubject: [EvaluationSubject: [EvaluationCounter: Int]] = [:]) { self.bySubject = bySubject }

    /// One subject's total of one counter (0 when absent).
    public subscript(subject: EvaluationSubject, counter: EvaluationCounter) -> Int {
        bySubject[subject]?[counter] ?? 0
    }

    /// Adds `n` to a subject's counter.
    public mutating func add(_ subject: EvaluationSubject, _ counter: EvaluationCounter, _ n: Int) {
        bySubject[subject, default: [:]][counter, default: 0] += n
    }

    /// The subjects of one kind that have any count.
    public func subjects(of kind: EvaluationSubject.Kind) -> [EvaluationSubject] {
        bySubject.keys.filter { $0.kind == kind }.sorted()
    }

    /// The counts of facts on days `days` (the reference the stores' own sums must agree with); `facts` pairs
    /// each case's grid with its facts.
    public static func compute(from facts: some Sequence<(gridCode: String, facts: [EvaluationFact])>, days: ClosedRange<Int>) -> EvaluationCounts {
        var out = EvaluationCounts()
        for (grid, list) in facts {
            for f in list where days.contains(f.day) {
                for s in f.subjects(gridCode: grid) { out.add(s, f.counter, 1) }
            }
        }
        return out
    }
}

/// One row of the store's answer: a subject's total of a counter over the asked days.
public struct EvaluationCount: Hashable, Sendable {
    /// Who.
    public var subject: EvaluationSubject
    /// What.
    public var counter: EvaluationCounter
    /// How many.
    public var count: Int

    /// Creates a row.
    public init(subject: EvaluationSubject, counter: EvaluationCounter, count: Int) {
        self.subject = subject
        self.counter = counter
        self.count = count
    }
}
