-- People's hands on alarms live in columns of their own, which ingest never writes; device credentials by hash;
-- readings past the raw retention as hourly buckets.
ALTER TABLE device_alarms ADD COLUMN acknowledged_at bigint, ADD COLUMN acknowledged_by text, ADD COLUMN cleared_by text, ADD COLUMN case_id text;
CREATE TABLE device_credentials (hash text COLLATE "C" PRIMARY KEY, device_id text COLLATE "C" NOT NULL UNIQUE);
CREATE TABLE device_readings_hourly (
    device_id text COLLATE "C" NOT NULL,
    measurement text COLLATE "C" NOT NULL,
    hour bigint NOT NULL,
    n bigint NOT NULL,
    min double precision,
    max double precision,
    sum double precision,
    last_at bigint NOT NULL,
    last_state text,
    PRIMARY KEY (device_id, measurement, hour)
);
