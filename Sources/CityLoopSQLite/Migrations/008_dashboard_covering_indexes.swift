import CityLoopDomain
import Foundation
import GRDB

extension SQLiteMigration {
    static let m008 = SQLiteMigration("008_dashboard_covering_indexes") { db in
        // With (closed_at, state) SQLite preferred cases_state for `state = 'closed'` and read every closed case
        // (0.8 s at a million); state first makes it one range, and the deadline makes it covering. The matter
        // code beside created_at lets the trend count classes without touching the table.
        try db.execute(
            sql: """
                DROP INDEX cases_closed;
                CREATE INDEX cases_closed ON cases(state, closed_at, handling_due_at) WHERE closed_at IS NOT NULL;
                DROP INDEX cases_created;
                CREATE INDEX cases_created ON cases(created_at, matter_code);
                """)
    }
}
