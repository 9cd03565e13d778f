import CityLoopDomain
import Foundation
import GRDB

extension SQLiteMigration {
    static let m006 = SQLiteMigration("006_places") { db in
        // The city's place table for geocoding addresses, and reports whose address it could not resolve,
        // waiting for an operator to place them.
        try db.execute(
            sql: """
                CREATE TABLE places (id INTEGER PRIMARY KEY, name TEXT NOT NULL, address TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL);
                CREATE TABLE unplaced_reports (
                    id TEXT PRIMARY KEY, key TEXT UNIQUE, received_at INTEGER NOT NULL, placed INTEGER NOT NULL, data TEXT NOT NULL
                );
                CREATE INDEX unplaced_pending ON unplaced_reports(received_at) WHERE placed = 0;
                """)
    }
}
