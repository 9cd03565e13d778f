import GRDB

extension SQLiteMigration {
    static let m020 = SQLiteMigration("020_vehicles") { db in
        // The fleet registry (a terminal phone belongs to one vehicle), sites, transport permits, positions (one per
        // vehicle and time, as columns: the largest table of a city with trucks), each vehicle's rule tracker and the
        // vehicle event log.
        try db.execute(
            sql: """
                CREATE TABLE vehicles (id TEXT PRIMARY KEY, terminal_phone TEXT UNIQUE, auth_hash TEXT, data TEXT NOT NULL);
                CREATE TABLE vehicle_sites (id TEXT PRIMARY KEY, data TEXT NOT NULL);
                CREATE TABLE transport_permits (id TEXT PRIMARY KEY, vehicle_id TEXT NOT NULL, data TEXT NOT NULL);
                CREATE INDEX transport_permits_vehicle ON transport_permits (vehicle_id);
                CREATE TABLE vehicle_positions (
                    vehicle_id TEXT NOT NULL, at INTEGER NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL, speed REAL NOT NULL,
                    direction REAL NOT NULL, load TEXT NOT NULL, acc INTEGER NOT NULL, alarm INTEGER NOT NULL, positioned INTEGER NOT NULL,
                    PRIMARY KEY (vehicle_id, at)
                ) WITHOUT ROWID;
                CREATE TABLE vehicle_trackers (vehicle_id TEXT PRIMARY KEY, data TEXT NOT NULL);
                CREATE TABLE vehicle_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, vehicle_id TEXT NOT NULL, at INTEGER NOT NULL, code TEXT NOT NULL, data TEXT NOT NULL);
                CREATE INDEX vehicle_events_vehicle ON vehicle_events (vehicle_id, seq);
                """)
    }
}
