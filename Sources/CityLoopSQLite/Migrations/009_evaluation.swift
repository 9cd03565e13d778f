import CityLoopDomain
import Foundation
import GRDB

extension SQLiteMigration {
    static let m009 = SQLiteMigration("009_evaluation") { db in
        // Each case's evaluation facts by day, and their sums by day, subject and counter (see
        // SQLiteStore+Evaluation.swift); a city that already has cases gets them derived from its history.
        try db.execute(
            sql: """
                CREATE TABLE case_facts (
                    day INTEGER NOT NULL, case_id TEXT NOT NULL, grid_code TEXT NOT NULL, data BLOB NOT NULL,
                    PRIMARY KEY (day, case_id)
                ) WITHOUT ROWID;
                CREATE TABLE eval_counts (
                    day INTEGER NOT NULL, kind INTEGER NOT NULL, subject TEXT NOT NULL, counter INTEGER NOT NULL, n INTEGER NOT NULL,
                    PRIMARY KEY (day, kind, subject, counter)
                ) WITHOUT ROWID;
                """)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        try SQLiteStore.backfillEvaluation(db) { try decoder.decode(CaseRecord.self, from: Data($0.utf8)) }
    }
}
