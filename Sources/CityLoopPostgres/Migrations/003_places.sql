-- The city's place table for geocoding addresses, and reports whose address it could not resolve, waiting for an
-- operator to place them.
CREATE TABLE places (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    address text NOT NULL,
    lat double precision NOT NULL,
    lon double precision NOT NULL
);
CREATE TABLE unplaced_reports (
    id text COLLATE "C" PRIMARY KEY,
    key text COLLATE "C" UNIQUE,
    received_at bigint NOT NULL,
    placed boolean NOT NULL,
    data text NOT NULL
);
CREATE INDEX unplaced_pending ON unplaced_reports (received_at, id) WHERE NOT placed;
