import ArgumentParser
import CityLoopDomain
import Foundation

/// `cityloop migrate`: show and apply the database's schema migrations.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Show and apply the database's numbered schema migrations (数据库迁移).",
        discussion: "Every command applies pending migrations when it opens the database; this one shows them first. A database migrated by a newer CityLoop is refused.")

    @OptionGroup var options: DataOptions

    @Flag(help: "Show the applied and pending migrations without applying any.") var dryRun = false

    func run() async throws {
        let settings = try await options.settings()
        let m = settings.messages
        guard let store = try await settings.openStore(migrate: false) as? any SchemaMigrations else {
            throw ValidationError(m.t("该数据库不使用迁移", "this database has no migrations"))
        }
        let status = try await store.migrationStatus()
        print(m.t("数据库", "database") + ": \(settings.database)")
        print(m.t("已应用 \(status.applied.count) 个迁移", "\(status.applied.count) migrations applied") + (status.applied.last.map { " (\(m.t("最新", "latest")) \($0))" } ?? ""))
        guard !status.pending.isEmpty else {
            print(m.t("数据库结构已是最新", "the schema is current"))
            return
        }
        print(m.t("待应用 \(status.pending.count) 个", "\(status.pending.count) pending") + ":")
        for p in status.pending { print("  \(p)") }
        guard !dryRun else { return }
        let applied = try await store.applyPendingMigrations()
        print(m.t("已应用 \(applied.count) 个迁移", "applied \(applied.count) migrations"))
    }
}
