-- Devices, their readings (one per device, measurement and time), their rules' states, their alarms (at most one up
-- per device and type, held by a partial unique index), last reports and refused readings.
CREATE TABLE devices (id text COLLATE "C" PRIMARY KEY, profile_id text COLLATE "C" NOT NULL, grid_code text COLLATE "C", data text NOT NULL);
CREATE TABLE device_readings (
    device_id text COLLATE "C" NOT NULL,
    measurement text COLLATE "C" NOT NULL,
    at bigint NOT NULL,
    number double precision,
    state text,
    PRIMARY KEY (device_id, measurement, at)
);
CREATE TABLE device_rule_states (device_id text COLLATE "C" NOT NULL, type text COLLATE "C" NOT NULL, data text NOT NULL, PRIMARY KEY (device_id, type));
CREATE TABLE device_alarms (
    id text COLLATE "C" PRIMARY KEY,
    device_id text COLLATE "C" NOT NULL,
    type text COLLATE "C" NOT NULL,
    active boolean NOT NULL,
    raised_at bigint NOT NULL,
    data text NOT NULL
);
CREATE UNIQUE INDEX device_alarms_up ON device_alarms (device_id, type) WHERE active;
CREATE INDEX device_alarms_raised ON device_alarms (raised_at);
CREATE INDEX device_alarms_device ON device_alarms (device_id, raised_at);
CREATE TABLE device_seen (device_id text COLLATE "C" PRIMARY KEY, at bigint NOT NULL);
CREATE TABLE device_rejections (
    device_id text COLLATE "C" NOT NULL,
    reason text COLLATE "C" NOT NULL,
    n bigint NOT NULL,
    last_message text NOT NULL,
    PRIMARY KEY (device_id, reason)
);
