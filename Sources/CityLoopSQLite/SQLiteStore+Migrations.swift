import CityLoopDomain
import Foundation
import GRDB

extension SQLiteStore {
    /// The numbered schema migrations. Never edit a shipped one; add the next.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("001_core") { db in
            try db.execute(
                sql: """
                    CREATE TABLE cases (
                        id TEXT PRIMARY KEY,
                        number TEXT NOT NULL UNIQUE,
                        client_request_id TEXT,
                        request_key TEXT UNIQUE,
                        source TEXT NOT NULL,
                        matter_code TEXT NOT NULL,
                        state TEXT NOT NULL,
                        lead_department TEXT,
                        assisting TEXT NOT NULL DEFAULT '',
                        grid_code TEXT NOT NULL,
                        lat REAL NOT NULL,
                        lon REAL NOT NULL,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        step_due_at INTEGER,
                        has_deadline INTEGER NOT NULL,
                        version INTEGER NOT NULL,
                        data TEXT NOT NULL
                    );
                    CREATE INDEX cases_state ON cases(state, created_at);
                    CREATE INDEX cases_department ON cases(lead_department, state);
                    CREATE INDEX cases_grid ON cases(grid_code, created_at);
                    CREATE INDEX cases_created ON cases(created_at);
                    CREATE INDEX cases_matter_lat ON cases(matter_code, lat);
                    CREATE INDEX cases_due ON cases(step_due_at) WHERE has_deadline = 1;
                    CREATE TABLE case_events (
                        case_id TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        hash TEXT NOT NULL,
                        data TEXT NOT NULL,
                        PRIMARY KEY (case_id, seq)
                    ) WITHOUT ROWID;
                    CREATE TABLE case_reporters (
                        case_id TEXT NOT NULL,
                        user_id TEXT NOT NULL,
                        PRIMARY KEY (user_id, case_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE sequences (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
                    CREATE TABLE areas (code TEXT PRIMARY KEY, level TEXT NOT NULL, data TEXT NOT NULL);
                    CREATE TABLE grids (code TEXT PRIMARY KEY, data TEXT NOT NULL);
                    CREATE TABLE catalog_extensions (kind TEXT NOT NULL, code TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (kind, code));
                    CREATE TABLE departments (id TEXT PRIMARY KEY, data TEXT NOT NULL);
                    CREATE TABLE rules (position INTEGER PRIMARY KEY, id TEXT NOT NULL, data TEXT NOT NULL);
                    CREATE TABLE components (
                        id TEXT PRIMARY KEY, class_code TEXT NOT NULL, grid_code TEXT NOT NULL, state TEXT NOT NULL,
                        data TEXT NOT NULL
                    );
                    CREATE INDEX components_grid ON components(grid_code);
                    CREATE INDEX components_class ON components(class_code);
                    CREATE TABLE users (id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, password_hash TEXT, data TEXT NOT NULL);
                    CREATE TABLE tokens (hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, is_api INTEGER NOT NULL, data TEXT NOT NULL);
                    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    """)
        }
        m.registerMigration("002_duplicate_lookup_index") { db in
            // The duplicate lookup filters on matter, a lat/lon box, age and state: all of it in one index,
            // so only real candidates touch the table (with (matter, lat) alone every row in the latitude band did).
            try db.execute(
                sql: """
                    DROP INDEX cases_matter_lat;
                    CREATE INDEX cases_duplicate_lookup ON cases(matter_code, lat, lon, created_at, state);
                    """)
        }
        m.registerMigration("003_duplicate_cells") { db in
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
        m.registerMigration("004_canonical_events") { db in
            // Events are kept as the canonical text their hash covers rather than JSON: half the size, nothing
            // to encode at write time (the text is built for the hash anyway), and what verify checks is what is read.
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .millisecondsSince1970
            let update = try db.makeStatement(sql: "UPDATE case_events SET data = ? WHERE case_id = ? AND seq = ?")
            let rows = try Row.fetchCursor(db, sql: "SELECT case_id, seq, data FROM case_events WHERE data LIKE '{%'")
            var pending: [(String, String, Int)] = []
            while let row = try rows.next() {
                let event = try decoder.decode(CaseEvent.self, from: Data((row[2] as String).utf8))
                pending.append((event.canonicalText, row[0], row[1]))
            }
            for (text, caseID, seq) in pending { try update.execute(arguments: [text, caseID, seq]) }
        }
        m.registerMigration("005_notice_outbox") { db in
            // Notices to reporters are queued in the transaction of the change they tell of, then delivered
            // and retried from here; the rows are the delivery log.
            try db.execute(
                sql: """
                    CREATE TABLE notice_outbox (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        data TEXT NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at INTEGER,
                        delivered_at INTEGER,
                        last_error TEXT
                    );
                    CREATE INDEX notice_outbox_due ON notice_outbox(next_attempt_at) WHERE delivered_at IS NULL;
                    """)
        }
        m.registerMigration("006_places") { db in
            // The city's place table for geocoding addresses, and reports whose address it could not resolve,
            // waiting for an operator to place them.
            try db.execute(
                sql: """
                    CREATE TABLE places (id INTEGER PRIMARY KEY, name TEXT NOT NULL, address TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL);
                    CREATE TABLE unplaced_reports (
                        id TEXT PRIMARY KEY, key TEXT UNIQUE, received_at INTEGER NOT NULL, placed INTEGER NOT NULL, data TEXT NOT NULL
                    );
                    CREATE INDEX unplaced_pending ON unplaced_reports(received_at) WHERE placed = 0;
                    """)
        }
        m.registerMigration("007_case_times") { db in
            // The dashboard and the evaluation count cases filed and closed in a period, and closings against the
            // handling deadline: indexed columns instead of reading every record's JSON.
            try db.execute(
                sql: """
                    ALTER TABLE cases ADD COLUMN filed_at INTEGER;
                    ALTER TABLE cases ADD COLUMN closed_at INTEGER;
                    ALTER TABLE cases ADD COLUMN handling_due_at INTEGER;
                    UPDATE cases SET filed_at = json_extract(data, '$.filedAt'), closed_at = json_extract(data, '$.closedAt'),
                        handling_due_at = json_extract(data, '$.handlingDueAt');
                    CREATE INDEX cases_filed ON cases(filed_at) WHERE filed_at IS NOT NULL;
                    CREATE INDEX cases_closed ON cases(closed_at, state) WHERE closed_at IS NOT NULL;
                    """)
        }
        m.registerMigration("008_dashboard_covering_indexes") { db in
            // With (closed_at, state) SQLite preferred cases_state for `state = 'closed'` and read every closed case
            // (0.8 s at a million); state first makes it one range, and the deadline makes it covering. The matter
            // code beside created_at lets the trend count classes without touching the table.
            try db.execute(
                sql: """
                    DROP INDEX cases_closed;
                    CREATE INDEX cases_closed ON cases(state, closed_at, handling_due_at) WHERE closed_at IS NOT NULL;
                    DROP INDEX cases_created;
                    CREATE INDEX cases_created ON cases(created_at, matter_code);
                    """)
        }
        m.registerMigration("009_evaluation") { db in
            // Each case's evaluation facts by day, and their sums by day, subject and counter (see
            // SQLiteStore+Evaluation.swift); a city that already has cases gets them derived from its history.
            try db.execute(
                sql: """
                    CREATE TABLE case_facts (
                        day INTEGER NOT NULL, case_id TEXT NOT NULL, grid_code TEXT NOT NULL, data BLOB NOT NULL,
                        PRIMARY KEY (day, case_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE eval_counts (
                        day INTEGER NOT NULL, kind INTEGER NOT NULL, subject TEXT NOT NULL, counter INTEGER NOT NULL, n INTEGER NOT NULL,
                        PRIMARY KEY (day, kind, subject, counter)
                    ) WITHOUT ROWID;
                    """)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .millisecondsSince1970
            try SQLiteStore.backfillEvaluation(db) { try decoder.decode(CaseRecord.self, from: Data($0.utf8)) }
        }
        m.registerMigration("010_case_counts") { db in
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
        m.registerMigration("011_repair_control_characters") { db in try repairControlCharacters(db) }
        m.registerMigration("012_ledger") { db in
            // The city ledger (总账): one append-only chain over every event of every case (SQLiteStore+Ledger.swift);
            // a city stored before it gets its ledger from its history in a deterministic order.
            try db.execute(
                sql: """
                    CREATE TABLE ledger (
                        seq INTEGER PRIMARY KEY, case_id TEXT NOT NULL, event_seq INTEGER NOT NULL, event_hash TEXT NOT NULL, hash TEXT NOT NULL
                    );
                    CREATE INDEX ledger_event ON ledger(case_id, event_seq);
                    """)
            try SQLiteStore.backfillLedger(db)
        }
        m.registerMigration("013_login_attempts") { db in
            // Sign-in attempts: the throttle's counters (shared by every node on this store) and the sign-in audit log.
            try db.execute(
                sql: """
                    CREATE TABLE login_attempts (
                        id INTEGER PRIMARY KEY, at INTEGER NOT NULL, username TEXT NOT NULL, address TEXT NOT NULL,
                        outcome TEXT NOT NULL, reason TEXT
                    );
                    CREATE INDEX login_attempts_user ON login_attempts(username, at);
                    CREATE INDEX login_attempts_address ON login_attempts(address, at);
                    CREATE INDEX login_attempts_at ON login_attempts(at);
                    """)
        }
        return m
    }
}
