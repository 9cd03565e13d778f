import CityLoopDomain
import Foundation
import GRDB

extension SQLiteMigration {
    static let m007 = SQLiteMigration("007_case_times") { db in
        // The dashboard and the evaluation count cases filed and closed in a period, and closings against the
        // handling deadline: indexed columns instead of reading every record's JSON.
        try db.execute(
            sql: """
                ALTER TABLE cases ADD COLUMN filed_at INTEGER;
                ALTER TABLE cases ADD COLUMN closed_at INTEGER;
                ALTER TABLE cases ADD COLUMN handling_due_at INTEGER;
                UPDATE cases SET filed_at = json_extract(data, '$.filedAt'), closed_at = json_extract(data, '$.closedAt'),
                    handling_due_at = json_extract(data, '$.handlingDueAt');
                CREATE INDEX cases_filed ON cases(filed_at) WHERE filed_at IS NOT NULL;
                CREATE INDEX cases_closed ON cases(closed_at, state) WHERE closed_at IS NOT NULL;
                """)
    }
}
