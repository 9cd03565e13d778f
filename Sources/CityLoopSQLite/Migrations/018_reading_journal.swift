import GRDB

extension SQLiteMigration {
    static let m018 = SQLiteMigration("018_reading_journal") { db in
        // How far each owner's journal of device messages is ingested, written with the readings it ingested. The
        // journal itself is a file of its own beside the database (`SQLiteReadingJournal`), so that appending to it
        // never waits behind an ingest batch for the database's one writer.
        try db.execute(sql: "CREATE TABLE reading_journal_marks (owner TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID")
    }
}
