import GRDB

extension SQLiteMigration {
    static let m022 = SQLiteMigration("022_vehicle_event_times") { db in
        // The contractors' credit counts vehicle events by time.
        try db.execute(sql: "CREATE INDEX vehicle_events_at ON vehicle_events (at)")
    }
}
