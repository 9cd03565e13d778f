-- A device's credential is also its MQTT password: kept as Mosquitto's password file wants it.
ALTER TABLE device_credentials ADD COLUMN mqtt_hash text;
