import CityLoopDomain
import Foundation
import GRDB

extension SQLiteMigration {
    static let m016 = SQLiteMigration("016_devices") { db in
        // Devices, their readings (one per device, measurement and time), their rules' states, their alarms (at most
        // one up per device and type, held by a partial unique index), last reports and refused readings.
        try db.execute(
            sql: """
                CREATE TABLE devices (id TEXT PRIMARY KEY, profile_id TEXT NOT NULL, grid_code TEXT, data TEXT NOT NULL);
                CREATE TABLE device_readings (
                    device_id TEXT NOT NULL, measurement TEXT NOT NULL, at INTEGER NOT NULL, number REAL, state TEXT,
                    PRIMARY KEY (device_id, measurement, at)
                ) WITHOUT ROWID;
                CREATE TABLE device_rule_states (device_id TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (device_id, type));
                CREATE TABLE device_alarms (
                    id TEXT PRIMARY KEY, device_id TEXT NOT NULL, type TEXT NOT NULL, active INTEGER NOT NULL, raised_at INTEGER NOT NULL,
                    data TEXT NOT NULL
                );
                CREATE UNIQUE INDEX device_alarms_up ON device_alarms (device_id, type) WHERE active;
                CREATE INDEX device_alarms_raised ON device_alarms (raised_at);
                CREATE INDEX device_alarms_device ON device_alarms (device_id, raised_at);
                CREATE TABLE device_seen (device_id TEXT PRIMARY KEY, at INTEGER NOT NULL);
                CREATE TABLE device_rejections (
                    device_id TEXT NOT NULL, reason TEXT NOT NULL, n INTEGER NOT NULL, last_message TEXT NOT NULL, PRIMARY KEY (device_id, reason)
                );
                """)
    }
}
