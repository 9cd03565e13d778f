import CityLoopDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    /// The advisory lock key held while migrating, so that nodes starting together apply each migration once
    /// ("CityLoop" in ASCII).
    static let migrationLockKey: Int64 = 0x4369_7479_4C6F_6F70

    /// A migration recorded in the database.
    public struct AppliedMigration: Sendable, Hashable {
        /// Its number.
        public var number: Int
        /// Its name.
        public var name: String
        /// The SHA-256 of its SQL when it was applied.
        public var checksum: String
        /// When it was applied.
        public var appliedAt: Date
    }

    /// The migrations recorded in the database, by number (none before the first migration).
    public func appliedMigrations() async throws -> [AppliedMigration] {
        try await withConnection { c in try await self.appliedMigrations(on: c) }
    }

    private func appliedMigrations(on c: PostgresConnection) async throws -> [AppliedMigration] {
        let exists = try await rows("SELECT to_regclass('schema_migrations') IS NOT NULL", on: c).first?.decode(Bool.self) ?? false
        guard exists else { return [] }
        return try await rows("SELECT number, name, checksum, applied_at FROM schema_migrations ORDER BY number", on: c).map { r in
            let (number, name, checksum, at) = try r.decode((Int, String, String, Int64).self)
            return AppliedMigration(number: number, name: name, checksum: checksum, appliedAt: Self.date(at))
        }
    }

    /// The shipped migrations the database has not had yet, in order; applies nothing. Throws when the database
    /// was migrated by a newer CityLoop or a shipped migration differs from the one applied under its number.
    public func pendingMigrations() async throws -> [PostgresMigration] {
        try await withConnection { c in try await self.pending(on: c) }
    }

    private func pending(on c: PostgresConnection) async throws -> [PostgresMigration] {
        let applied = try await appliedMigrations(on: c)
        let shipped = Dictionary(uniqueKeysWithValues: PostgresMigration.shipped.map { ($0.number, $0) })
        for a in applied {
            guard let s = shipped[a.number] else {
                throw StoreError(
                    .schemaTooNew,
                    "database \(location.displayText) has schema migration \(a.number) (\(a.name)), which this CityLoop does not know "
                        + "(it knows up to \(PostgresMigration.shipped.last?.number ?? 0)): run a newer CityLoop")
            }
            guard s.checksum == a.checksum else {
                throw StoreError(
                    .migrationChanged, "schema migration \(a.number) (\(a.name)) in \(location.displayText) differs from the one this CityLoop ships")
            }
        }
        let done = Set(applied.map(\.number))
        return PostgresMigration.shipped.filter { !done.contains($0.number) }
    }

    /// Refuses a schema newer than this CityLoop knows (opening without migrating).
    func checkSchemaKnown() async throws { _ = try await pendingMigrations() }

    /// Applies the pending migrations, each in its own transaction recorded in `schema_migrations`, under an
    /// advisory lock so that nodes starting at the same time apply each once; returns those it applied.
    @discardableResult
    public func migrate() async throws -> [PostgresMigration] {
        try await withConnection { c in
            try await self.run("SELECT pg_advisory_lock(\(Self.migrationLockKey))", on: c)
            do {
                try await self.run(
                    """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        number bigint PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at bigint NOT NULL)
                    """, on: c)
                let pending = try await self.pending(on: c)
                for m in pending {
                    try await self.run("BEGIN", on: c)
                    do {
                        for statement in m.statements { try await self.run(PostgresQuery(unsafeSQL: statement), on: c) }
                        try await self.run(
                            "INSERT INTO schema_migrations (number, name, checksum, applied_at) VALUES (\(m.number), \(m.name), \(m.checksum), \(Self.ms(Date())))",
                            on: c)
                        try await self.run("COMMIT", on: c)
                    } catch {
                        _ = try? await self.run("ROLLBACK", on: c)
                        throw StoreError(.server, "schema migration \(m.number) (\(m.name)) failed on \(self.location.displayText): \(Self.describe(error))")
                    }
                }
                try await self.run("SELECT pg_advisory_unlock(\(Self.migrationLockKey))", on: c)
                return pending
            } catch {
                _ = try? await self.run("SELECT pg_advisory_unlock(\(Self.migrationLockKey))", on: c)
                throw error
            }
        }
    }

    /// A server error's message (PostgreSQL's own words), or the error.
    static func describe(_ error: any Error) -> String {
        if let p = error as? PSQLError, let m = p.serverInfo?[.message] { return m }
        return "\(error)"
    }
}
