import CityLoopDomain
import Foundation
import GRDB

extension SQLiteMigration {
    static let m014 = SQLiteMigration("014_outbox_leases") { db in
        // A node claims due notices for a while (a lease) before delivering them, so nodes sharing a database
        // never deliver the same notice at once, and a dead node's notices are claimed again when its lease ends.
        try db.execute(
            sql: """
                ALTER TABLE notice_outbox ADD COLUMN leased_by TEXT;
                ALTER TABLE notice_outbox ADD COLUMN lease_until INTEGER;
                """)
    }
}
