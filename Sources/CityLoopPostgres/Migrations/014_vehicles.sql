-- The fleet registry (a terminal phone belongs to one vehicle), sites, transport permits, positions (one per vehicle
-- and time, as columns: the largest table of a city with trucks), each vehicle's rule tracker and the vehicle event log.
CREATE TABLE vehicles (id text COLLATE "C" PRIMARY KEY, terminal_phone text COLLATE "C" UNIQUE, auth_hash text, data text NOT NULL);
CREATE TABLE vehicle_sites (id text COLLATE "C" PRIMARY KEY, data text NOT NULL);
CREATE TABLE transport_permits (id text COLLATE "C" PRIMARY KEY, vehicle_id text COLLATE "C" NOT NULL, data text NOT NULL);
CREATE INDEX transport_permits_vehicle ON transport_permits (vehicle_id);
CREATE TABLE vehicle_positions (
    vehicle_id text COLLATE "C" NOT NULL,
    at bigint NOT NULL,
    lat double precision NOT NULL,
    lon double precision NOT NULL,
    speed double precision NOT NULL,
    direction double precision NOT NULL,
    load text NOT NULL,
    acc boolean NOT NULL,
    alarm bigint NOT NULL,
    positioned boolean NOT NULL,
    PRIMARY KEY (vehicle_id, at)
);
CREATE TABLE vehicle_trackers (vehicle_id text COLLATE "C" PRIMARY KEY, data text NOT NULL);
CREATE TABLE vehicle_events (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    vehicle_id text COLLATE "C" NOT NULL,
    at bigint NOT NULL,
    code text NOT NULL,
    data text NOT NULL
);
CREATE INDEX vehicle_events_vehicle ON vehicle_events (vehicle_id, seq);
