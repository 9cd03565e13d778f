import CityLoopDomain
import Foundation
import GRDB

extension SQLiteMigration {
    static let m003 = SQLiteMigration("003_duplicate_cells") { db in
        // A latitude band of the old index held every case of the matter across the city's width; cells of
        // about 100 m let the lookup seek to the few cells around the report and read only the index.
        try db.execute(
            sql: """
                ALTER TABLE cases ADD COLUMN cell INTEGER NOT NULL DEFAULT 0;
                DROP INDEX cases_duplicate_lookup;
                CREATE INDEX cases_duplicate_cells ON cases(matter_code, cell, created_at, state, lat, lon);
                """)
        let rows = try Row.fetchAll(db, sql: "SELECT rowid, lat, lon FROM cases")
        let update = try db.makeStatement(sql: "UPDATE cases SET cell = ? WHERE rowid = ?")
        for row in rows {
            try update.execute(arguments: [DuplicateCell.cell(lat: row[1], lon: row[2]), row[0] as Int64])
        }
    }
}
