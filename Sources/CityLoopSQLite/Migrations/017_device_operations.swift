import GRDB

extension SQLiteMigration {
    static let m017 = SQLiteMigration("017_device_operations") { db in
        // People's hands on alarms live in columns of their own, which ingest never writes; device credentials by
        // hash; readings past the raw retention as hourly buckets.
        try db.execute(
            sql: """
                ALTER TABLE device_alarms ADD COLUMN acknowledged_at INTEGER;
                ALTER TABLE device_alarms ADD COLUMN acknowledged_by TEXT;
                ALTER TABLE device_alarms ADD COLUMN cleared_by TEXT;
                ALTER TABLE device_alarms ADD COLUMN case_id TEXT;
                CREATE TABLE device_credentials (hash TEXT PRIMARY KEY, device_id TEXT NOT NULL UNIQUE);
                CREATE TABLE device_readings_hourly (
                    device_id TEXT NOT NULL, measurement TEXT NOT NULL, hour INTEGER NOT NULL, n INTEGER NOT NULL,
                    min REAL, max REAL, sum REAL, last_at INTEGER NOT NULL, last_state TEXT,
                    PRIMARY KEY (device_id, measurement, hour)
                ) WITHOUT ROWID;
                """)
    }
}
