import GRDB

extension SQLiteMigration {
    static let m023 = SQLiteMigration("023_weighbridge_routes_notices") { db in
        // Finished trips, known by vehicle and start, and weighbridge tickets, known by site and number (a ticket sent
        // again is the same ticket); tickets are read by vehicle and by time. Sanitation road segments, route
        // assignments and each shift's coverage, measured once per assignment and shift. Rectification notices to
        // companies, one per company and day, changed by version.
        try db.execute(
            sql: """
                CREATE TABLE vehicle_trips (vehicle_id TEXT NOT NULL, started_at INTEGER NOT NULL, ended_at INTEGER NOT NULL, data TEXT NOT NULL,
                    PRIMARY KEY (vehicle_id, started_at));
                CREATE TABLE weighbridge_tickets (site_id TEXT NOT NULL, number TEXT NOT NULL, vehicle_id TEXT, weighed_at INTEGER NOT NULL,
                    net_kg REAL NOT NULL, finding TEXT, data TEXT NOT NULL, PRIMARY KEY (site_id, number));
                CREATE INDEX weighbridge_tickets_vehicle ON weighbridge_tickets (vehicle_id, weighed_at);
                CREATE INDEX weighbridge_tickets_at ON weighbridge_tickets (weighed_at);
                CREATE TABLE road_segments (id TEXT PRIMARY KEY, data TEXT NOT NULL);
                CREATE TABLE route_assignments (id TEXT PRIMARY KEY, vehicle_id TEXT NOT NULL, data TEXT NOT NULL);
                CREATE INDEX route_assignments_vehicle ON route_assignments (vehicle_id);
                CREATE TABLE shift_coverages (assignment_id TEXT NOT NULL, shift_start INTEGER NOT NULL, vehicle_id TEXT NOT NULL,
                    share REAL NOT NULL, data TEXT NOT NULL, PRIMARY KEY (assignment_id, shift_start));
                CREATE INDEX shift_coverages_start ON shift_coverages (shift_start);
                CREATE TABLE company_notices (id TEXT PRIMARY KEY, company_id TEXT NOT NULL, state TEXT NOT NULL, issued_at INTEGER NOT NULL,
                    version INTEGER NOT NULL, data TEXT NOT NULL);
                CREATE INDEX company_notices_company ON company_notices (company_id, issued_at);
                CREATE INDEX company_notices_issued ON company_notices (issued_at);
                """)
    }
}
