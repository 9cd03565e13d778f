import CityLoopDomain
import Foundation
import GRDB

extension SQLiteMigration {
    static let m013 = SQLiteMigration("013_login_attempts") { db in
        // Sign-in attempts: the throttle's counters (shared by every node on this store) and the sign-in audit log.
        try db.execute(
            sql: """
                CREATE TABLE login_attempts (
                    id INTEGER PRIMARY KEY, at INTEGER NOT NULL, username TEXT NOT NULL, address TEXT NOT NULL,
                    outcome TEXT NOT NULL, reason TEXT
                );
                CREATE INDEX login_attempts_user ON login_attempts(username, at);
                CREATE INDEX login_attempts_address ON login_attempts(address, at);
                CREATE INDEX login_attempts_at ON login_attempts(at);
                """)
    }
}
