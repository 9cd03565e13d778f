import CityLoopDomain
import Foundation
import GRDB

extension SQLiteMigration {
    static let m015 = SQLiteMigration("015_nodes") { db in
        // API keys' request budgets, shared by every node on this store; early-warning alerts as rows (they were
        // one setting, rewritten whole by the scan and by each task made from an alert), moved over in their order.
        try db.execute(
            sql: """
                CREATE TABLE rate_budgets (key TEXT PRIMARY KEY, tokens REAL NOT NULL, at INTEGER NOT NULL, granted INTEGER NOT NULL);
                CREATE INDEX rate_budgets_at ON rate_budgets(at);
                CREATE TABLE early_warnings (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, record TEXT NOT NULL,
                    task_case_id TEXT, task_case_number TEXT
                );
                INSERT INTO early_warnings (id, record, task_case_id, task_case_number)
                    SELECT json_extract(value, '$.id'), value, json_extract(value, '$.taskCaseID'), json_extract(value, '$.taskCaseNumber')
                    FROM json_each((SELECT value FROM settings WHERE key = 'analytics.alerts'))
                    ORDER BY key DESC;
                DELETE FROM settings WHERE key = 'analytics.alerts';
                """)
    }
}
