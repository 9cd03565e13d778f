import GRDB

extension SQLiteMigration {
    static let m024 = SQLiteMigration("024_vehicle_event_companies") { db in
        // Each vehicle event names the company the vehicle belonged to when it was raised (its credit and notice), read
        // by company and time. Events stored before are charged to the vehicle's company now, the best there is.
        try db.execute(
            sql: """
                ALTER TABLE vehicle_events ADD COLUMN company_id TEXT;
                UPDATE vehicle_events SET company_id = (SELECT json_extract(v.data, '$.companyID') FROM vehicles v WHERE v.id = vehicle_events.vehicle_id);
                CREATE INDEX vehicle_events_company ON vehicle_events (company_id, at);
                """)
    }
}
