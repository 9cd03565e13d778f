import CityLoopDomain
import CityLoopSQLite
import Foundation
import Testing

/// A city that had cases before the evaluation existed gets its facts derived from history by migration 009.
@Suite("Evaluation backfill")
struct EvaluationBackfillTests {
    @Test("reopening a file whose evaluation tables were never filled derives them from the stored histories")
    func backfill() async throws {
        let histories = try CaseCorpus.generate(count: 120, seed: 7)
        let path = StoreFactory.temporaryDatabasePath()
        defer { StoreFactory.removeDatabase(at: path) }
        // setup: a store with cases, then the file as an older version left it
        var store: SQLiteStore? = try SQLiteStore(path: path)
        try await LoadMode.live.load(histories, into: store!)
        let facts = EvaluationConformanceTests.reference(histories)
        let days = EvaluationConformanceTests.spans(facts)[0]
        let before = try await store!.evaluationCounts(days: days, kinds: nil)
        try await store!.executeForTesting("DROP TABLE case_facts; DROP TABLE eval_counts; DELETE FROM grdb_migrations WHERE identifier = '009_evaluation'")
        try store!.close()
        store = nil
        // MUT
        let reopened = try SQLiteStore(path: path)
        defer { try? reopened.close() }
        // validate
        let after = try await reopened.evaluationCounts(days: days, kinds: nil)
        #expect(after == EvaluationCounts.compute(from: facts, days: days))
        #expect(after == before)
    }
}
