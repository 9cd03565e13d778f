import GRDB

extension SQLiteMigration {
    static let m022 = SQLiteMigration("022_vehicle_tokens") { db in
        // Each tracker row carries the token of the batch that wrote it, so a node keeping trackers in memory knows
        // whether the stored one is still its own; the contractors' credit counts vehicle events by time.
        try db.execute(
            sql: """
                ALTER TABLE vehicle_trackers ADD COLUMN token INTEGER NOT NULL DEFAULT 0;
                CREATE INDEX vehicle_events_at ON vehicle_events (at);
                """)
    }
}
