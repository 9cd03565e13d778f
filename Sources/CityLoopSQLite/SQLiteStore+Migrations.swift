import CityLoopDomain
import Foundation
import GRDB

/// One numbered schema migration of the SQLite store, one per file in `Migrations/` (`NNN_name.swift`). Never edit
/// a shipped one; add the next.
struct SQLiteMigration: Sendable {
    /// The identifier GRDB records: the number and a name, e.g. `012_ledger`.
    let identifier: String
    let migrate: @Sendable (Database) throws -> Void

    init(_ identifier: String, migrate: @escaping @Sendable (Database) throws -> Void) {
        self.identifier = identifier
        self.migrate = migrate
    }

    /// Every migration, in order.
    static let all: [SQLiteMigration] = [
        .m001,
        .m002,
        .m003,
        .m004,
        .m005,
        .m006,
        .m007,
        .m008,
        .m009,
        .m010,
        .m011,
        .m012,
        .m013,
        .m014,
        .m015,
        .m016,
        .m017,
        .m018,
        .m019,
        .m020,
        .m021,
        .m022,
        .m023,
        .m024,
        .m025,
    ]
}

extension SQLiteStore {
    /// The migrations as GRDB's migrator applies them.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        for migration in SQLiteMigration.all { m.registerMigration(migration.identifier, migrate: migration.migrate) }
        return m
    }
}
