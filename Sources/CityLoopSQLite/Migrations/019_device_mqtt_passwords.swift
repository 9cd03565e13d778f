import GRDB

extension SQLiteMigration {
    static let m019 = SQLiteMigration("019_device_mqtt_passwords") { db in
        // A device's credential is also its MQTT password: kept as Mosquitto's password file wants it.
        try db.execute(sql: "ALTER TABLE device_credentials ADD COLUMN mqtt_hash TEXT")
    }
}
