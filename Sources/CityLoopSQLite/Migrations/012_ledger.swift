import CityLoopDomain
import Foundation
import GRDB

extension SQLiteMigration {
    static let m012 = SQLiteMigration("012_ledger") { db in
        // The city ledger (总账): one append-only chain over every event of every case (SQLiteStore+Ledger.swift);
        // a city stored before it gets its ledger from its history in a deterministic order.
        try db.execute(
            sql: """
                CREATE TABLE ledger (
                    seq INTEGER PRIMARY KEY, case_id TEXT NOT NULL, event_seq INTEGER NOT NULL, event_hash TEXT NOT NULL, hash TEXT NOT NULL
                );
                CREATE INDEX ledger_event ON ledger(case_id, event_seq);
                """)
        try SQLiteStore.backfillLedger(db)
    }
}
