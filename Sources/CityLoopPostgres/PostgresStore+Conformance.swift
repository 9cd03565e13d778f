import CityLoopDomain
import Foundation

/// The PostgreSQL store implements the whole storage contract.
extension PostgresStore: CityStore {}

/// Its numbered migrations, as `cityloop migrate` and `/ready` read them.
extension PostgresStore: SchemaMigrations {
    /// Applied and pending migrations, named `NNN_name` as their files.
    public func migrationStatus() async throws -> MigrationStatus {
        MigrationStatus(applied: try await appliedMigrations().map { Self.identifier($0.number, $0.name) }, pending: try await pendingMigrations().map(\.identifier))
    }

    /// Applies the pending migrations; the ones applied.
    public func applyPendingMigrations() async throws -> [String] { try await migrate().map(\.identifier) }

    static func identifier(_ number: Int, _ name: String) -> String { String(format: "%03d_", number) + name }
}

extension PostgresMigration {
    /// `NNN_name`, as the file is named.
    public var identifier: String { PostgresStore.identifier(number, name) }
}
