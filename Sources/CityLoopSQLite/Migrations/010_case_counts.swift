import CityLoopDomain
import Foundation
import GRDB

extension SQLiteMigration {
    static let m010 = SQLiteMigration("010_case_counts") { db in
        // Reported cases per day by area and class for trends and forecasts (SQLiteStore+Analytics.swift);
        // the grid beside created_at and the class lets hotspots and time-of-day counts read only the index.
        try db.execute(
            sql: """
                CREATE TABLE case_counts (
                    area TEXT NOT NULL, matter TEXT NOT NULL, day INTEGER NOT NULL, n INTEGER NOT NULL,
                    PRIMARY KEY (area, matter, day)
                ) WITHOUT ROWID;
                INSERT INTO case_counts (area, matter, day, n)
                    SELECT substr(grid_code, 1, a.l), substr(matter_code, 1, m.l), (created_at / 1000 + \(EvaluationFacts.utcOffsetSeconds)) / 86400, count(*)
                    FROM cases, (SELECT 0 AS l UNION ALL SELECT 6 UNION ALL SELECT 9) AS a, (SELECT 0 AS l UNION ALL SELECT 2 UNION ALL SELECT 5) AS m
                    GROUP BY 1, 2, 3;
                DROP INDEX IF EXISTS cases_created;
                CREATE INDEX cases_created ON cases(created_at, matter_code, grid_code);
                """)
    }
}
