import Foundation

/// A store whose schema is kept by numbered migrations, one per file, applied in order and recorded in the
/// database. A store refuses a database migrated by a newer version (`StoreError.schemaTooNew`).
public protocol SchemaMigrations: Sendable {
    /// Which migrations are applied and which are pending.
    func migrationStatus() async throws -> MigrationStatus
    /// Applies the pending migrations; the ones applied.
    func applyPendingMigrations() async throws -> [String]
}

/// A store's numbered schema migrations: which are applied and which this version would apply.
public struct MigrationStatus: Codable, Sendable, Equatable {
    /// Applied migrations this version knows, in order.
    public var applied: [String]
    /// Migrations this version would apply, in order.
    public var pending: [String]

    /// Creates a status.
    public init(applied: [String], pending: [String]) {
        self.applied = applied
        self.pending = pending
    }
}
