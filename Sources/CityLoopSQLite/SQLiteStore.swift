import CityLoopDomain
import Foundation
import GRDB

/// The storage contract on an embedded SQLite file (GRDB), in WAL mode: a committed transaction survives a
/// killed process. Records are stored as JSON with the columns that queries filter on beside them.
public final class SQLiteStore: CityStore, SchemaMigrations, Sendable {
    let pool: DatabasePool
    /// The database file.
    public let path: String
    let encoder: JSONEncoder
    let decoder: JSONDecoder
    /// Group commit of new cases: a hundred small transactions (each writing the same table and index pages to
    /// the WAL again) become one, each case inside its own savepoint so one refused report does not undo the others.
    let intake = GroupCommit<NewCase, CaseCreation>()
    /// The journal of device messages, a file of its own beside the database.
    let readingJournal: SQLiteReadingJournal

    /// Opens (creating and migrating when needed) the database at `path`. With `migrate` false, pending migrations
    /// are left for `migrate()` (`cityloop migrate --dry-run` shows them). A file migrated by a newer CityLoop is
    /// refused (`StoreError.schemaTooNew`) before anything is written.
    public init(path: String, migrate: Bool = true) throws {
        self.path = path
        readingJournal = SQLiteReadingJournal(path: path + ".device-journal")
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // WAL + NORMAL: durable against process crashes (not power loss), and much faster than FULL.
            // 8 KiB pages for a new file (an existing one keeps its size): a case row is ~1 KiB of JSON, and bulk
            // loads and index builds move half as many pages.
            try db.execute(sql: "PRAGMA page_size = 8192")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // Default page cache, no mmap: a reader drops its whole cache whenever another connection has
            // written, and clearing a large cache after every intake write cost more than it saved; with mmap
            // every reader remapped the growing file.
            // Checkpoint every 8,000 pages (~32 MiB) rather than 1,000: pages written again and again under
            // intake are copied to the database once per checkpoint.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Self.walAutocheckpoint)")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        pool = try DatabasePool(path: path, configuration: config)
        let enc = JSONEncoder()
        enc.dateEncodingStrategy = .millisecondsSince1970
        encoder = enc
        let dec = JSONDecoder()
        dec.dateDecodingStrategy = .millisecondsSince1970
        decoder = dec
        let unknown = try pool.read { db in try Self.migrator.appliedIdentifiers(db).subtracting(Self.migrator.migrations).sorted() }
        guard unknown.isEmpty else {
            throw StoreError(
                .schemaTooNew,
                "the database \(path) was migrated by a newer CityLoop (migrations \(unknown.joined(separator: ", ")) are unknown to this version); run that version or a newer one")
        }
        if migrate { try self.migrate() }
    }

    /// Applies the pending migrations.
    public func migrate() throws {
        try Self.migrator.migrate(pool)
        try pool.write { db in try self.restoreDeferredIndexes(db) }
    }

    /// Applies the pending migrations; the ones applied.
    public func applyPendingMigrations() async throws -> [String] {
        let pending = try migrationStatus().pending
        try migrate()
        return pending
    }

    /// Which migrations are applied and which are pending.
    public func migrationStatus() throws -> MigrationStatus {
        try pool.read { db in
            let applied = try Self.migrator.appliedMigrations(db)
            return MigrationStatus(applied: applied, pending: Self.migrator.migrations.filter { !applied.contains($0) })
        }
    }

    /// WAL pages after which a commit copies the log into the database.
    static let walAutocheckpoint = 8000

    func json(_ v: some Encodable) throws -> String { String(decoding: try encoder.encode(v), as: UTF8.self) }
    /// A case record's stored JSON (hand-written writer: `JSONEncoder` was a fifth of intake time).
    func json(_ c: CaseRecord) -> String { JSONText.text(c, dates: .millisecondsSince1970) }
    func decode<T: Decodable>(_ t: T.Type, _ text: String) throws -> T { try decoder.decode(T.self, from: Data(text.utf8)) }

    static func ms(_ d: Date?) -> Int64? { d.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } }

    /// A query bound in milliseconds, rounded up: stored times are whole milliseconds, so `t >= bound` and
    /// `t < bound` on the rounded-up value match the exact comparison with the sub-millisecond bound.
    static func boundMs(_ d: Date) -> Int64 { Int64((d.timeIntervalSince1970 * 1000).rounded(.up)) }

    /// Closes the database.
    public func close() throws { try pool.close() }

    /// Runs SQLite's own integrity check; "ok" when the file is consistent.
    public func integrityCheck() async throws -> String {
        try await pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "" }
    }

    /// The names of the indexes on a table; for tests of bulk loading.
    public func indexNames(table: String) async throws -> Set<String> {
        try await pool.read { db in Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", arguments: [table])) }
    }

    /// Executes raw SQL; for tests that tamper with stored history.
    public func executeForTesting(_ sql: String, arguments: [String] = []) async throws {
        try await pool.write { db in try db.execute(sql: sql, arguments: StatementArguments(arguments)) }
    }
}
