import CityLoopSQLite
import Foundation
import Testing

/// `cityloop migrate` and `--database`: numbered migrations shown and applied, a newer schema and bad URLs refused
/// with a clear message and exit code.
@Suite("Migrations and database URLs on the command line")
struct MigrateCommandTests {
    @Test func migrationsAreShownAppliedOnceAndANewerSchemaIsRefused() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-migrate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }

        // MUT: a dry run on an empty folder, the migration, a second dry run, then the same by a sqlite: URL
        let (dry, dryOutput) = try ServerProcess.run(["migrate", "--dry-run", "--lang", "en", "--data", data.path])
        let (applied, appliedOutput) = try ServerProcess.run(["migrate", "--lang", "en", "--data", data.path])
        let (again, againOutput) = try ServerProcess.run(["migrate", "--dry-run", "--lang", "en", "--database", "sqlite:" + data.path])

        // Every migration this version ships is pending on an empty file, and then applied.
        let pending = dryOutput.split(separator: "\n").filter { $0.hasPrefix("  0") }.count
        #expect(dry == 0 && dryOutput.contains("0 migrations applied") && dryOutput.contains("001_core") && dryOutput.contains("014_outbox_leases"), "\(dryOutput)")
        #expect(pending >= 14 && dryOutput.contains("\(pending) pending"), "\(dryOutput)")
        #expect(applied == 0 && appliedOutput.contains("applied \(pending) migrations"), "\(appliedOutput)")
        #expect(again == 0 && againOutput.contains("\(pending) migrations applied") && againOutput.contains("the schema is current"), "\(againOutput)")

        // setup: a newer CityLoop migrated the file
        let store = try SQLiteStore(path: data.appendingPathComponent("cityloop.sqlite").path)
        try await store.executeForTesting("INSERT INTO grdb_migrations (identifier) VALUES ('999_from_the_future')")
        try store.close()
        // MUT: every command refuses it, before writing anything
        let (refused, refusal) = try ServerProcess.run(["migrate", "--lang", "en", "--data", data.path])
        let (verify, verifyOutput) = try ServerProcess.run(["verify", "--lang", "en", "--data", data.path])
        #expect(refused != 0 && refusal.contains("migrated by a newer CityLoop") && refusal.contains("999_from_the_future"), "\(refusal)")
        #expect(verify != 0 && verifyOutput.contains("migrated by a newer CityLoop"), "\(verifyOutput)")
        #expect(!refusal.contains("Fatal error") && !refusal.contains("Stack"), "\(refusal)")
    }

    @Test(arguments: [
        ("mysql://root@localhost/city", "neither sqlite:DIR nor postgres://"),
        ("postgres://localhost/city", "names no user"),
        ("postgres://city@localhost", "names no database"),
        ("postgres://city:s3cret@localhost:70000/city", "port 70000 outside 1–65535"),
    ])
    func badDatabaseURLsGetAClearMessage(url: String, message: String) throws {
        let (status, output) = try ServerProcess.run(["verify", "--lang", "en", "--database", url])
        #expect(status != 0 && output.contains(message), "\(output)")
        // A password in the URL is never printed.
        #expect(!output.contains("s3cret") && !output.contains("Fatal error"), "\(output)")
    }
}
