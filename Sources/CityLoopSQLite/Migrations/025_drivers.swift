import GRDB

extension SQLiteMigration {
    static let m025 = SQLiteMigration("025_drivers") { db in
        // The fleet registry's drivers, listed by company.
        try db.execute(
            sql: """
                CREATE TABLE drivers (id TEXT PRIMARY KEY, company_id TEXT, data TEXT NOT NULL);
                CREATE INDEX drivers_company ON drivers (company_id, id);
                """)
    }
}
