import CityLoopDomain
import Foundation
import GRDB

extension SQLiteMigration {
    static let m005 = SQLiteMigration("005_notice_outbox") { db in
        // Notices to reporters are queued in the transaction of the change they tell of, then delivered
        // and retried from here; the rows are the delivery log.
        try db.execute(
            sql: """
                CREATE TABLE notice_outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    data TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at INTEGER,
                    delivered_at INTEGER,
                    last_error TEXT
                );
                CREATE INDEX notice_outbox_due ON notice_outbox(next_attempt_at) WHERE delivered_at IS NULL;
                """)
    }
}
