import CityLoopDomain
import Foundation
import GRDB

extension SQLiteMigration {
    static let m002 = SQLiteMigration("002_duplicate_lookup_index") { db in
        // The duplicate lookup filters on matter, a lat/lon box, age and state: all of it in one index,
        // so only real candidates touch the table (with (matter, lat) alone every row in the latitude band did).
        try db.execute(
            sql: """
                DROP INDEX cases_matter_lat;
                CREATE INDEX cases_duplicate_lookup ON cases(matter_code, lat, lon, created_at, state);
                """)
    }
}
