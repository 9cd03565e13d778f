-- Finished trips, known by vehicle and start, and weighbridge tickets, known by site and number (a ticket sent again
-- is the same ticket); tickets are read by vehicle and by time.
CREATE TABLE vehicle_trips (
    vehicle_id text COLLATE "C" NOT NULL,
    started_at bigint NOT NULL,
    ended_at bigint NOT NULL,
    data text NOT NULL,
    PRIMARY KEY (vehicle_id, started_at)
);
CREATE TABLE weighbridge_tickets (
    site_id text COLLATE "C" NOT NULL,
    number text COLLATE "C" NOT NULL,
    vehicle_id text COLLATE "C",
    weighed_at bigint NOT NULL,
    net_kg double precision NOT NULL,
    finding text,
    data text NOT NULL,
    PRIMARY KEY (site_id, number)
);
CREATE INDEX weighbridge_tickets_vehicle ON weighbridge_tickets (vehicle_id, weighed_at);
CREATE INDEX weighbridge_tickets_at ON weighbridge_tickets (weighed_at);
-- Sanitation road segments, route assignments and each shift's coverage, measured once per assignment and shift.
CREATE TABLE road_segments (id text COLLATE "C" PRIMARY KEY, data text NOT NULL);
CREATE TABLE route_assignments (id text COLLATE "C" PRIMARY KEY, vehicle_id text COLLATE "C" NOT NULL, data text NOT NULL);
CREATE INDEX route_assignments_vehicle ON route_assignments (vehicle_id);
CREATE TABLE shift_coverages (
    assignment_id text COLLATE "C" NOT NULL,
    shift_start bigint NOT NULL,
    vehicle_id text COLLATE "C" NOT NULL,
    share double precision NOT NULL,
    data text NOT NULL,
    PRIMARY KEY (assignment_id, shift_start)
);
CREATE INDEX shift_coverages_start ON shift_coverages (shift_start);
-- Rectification notices to companies, one per company and day, changed by version.
CREATE TABLE company_notices (
    id text COLLATE "C" PRIMARY KEY,
    company_id text COLLATE "C" NOT NULL,
    state text NOT NULL,
    issued_at bigint NOT NULL,
    version bigint NOT NULL,
    data text NOT NULL
);
CREATE INDEX company_notices_company ON company_notices (company_id, issued_at);
CREATE INDEX company_notices_issued ON company_notices (issued_at);
