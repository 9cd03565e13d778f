import CityLoopDomain
import Foundation
import GRDB

extension SQLiteMigration {
    static let m001 = SQLiteMigration("001_core") { db in
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
}
