import ArgumentParser
import CityLoopDomain
import CityLoopPostgres
import CityLoopSQLite
import CityLoopServices
import Foundation

/// `cityloop copy`: moves a whole city from one database to another (SQLite ⇄ PostgreSQL), resumable, then
/// verifies the copy.
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy", abstract: "Move a whole city to another database, SQLite or PostgreSQL, and verify it (迁移城市数据).",
        discussion: """
            Copies areas, grids, catalog, departments, rules, components, settings, users with their password hashes, tokens, \
            cases with their history, the city ledger verbatim, the evaluation and analytics sums, places, the outbox and the \
            sign-in log. Media files stay in their folder. The target must be empty; an interrupted copy continues when run \
            again with the same arguments. Exit status 3 when refused, 1 when the copy does not verify.
            """)

    @Option(help: "The city to copy: sqlite:DIR, sqlite:FILE.sqlite, a data folder, or postgres://user@host:5432/db.")
    var from: String

    @Option(help: "The empty database to copy it into (same forms as --from).")
    var to: String

    @Option(help: "A checkpoint log signed before the move, checked against the copied ledger.")
    var checkpoints: String?

    @Option(name: .customLong("public-key"), help: "The base64 Ed25519 key the checkpoints are signed with (default: the key beside a --from data folder).")
    var publicKey: String?

    @Option(help: "Rows per page; each page is one transaction in the target.")
    var pageSize = 5000

    @Option(help: "Message language: zh (default) or en (env CITYLOOP_LANG).")
    var lang: String?

    @Option(name: .customLong("stop-after-pages"), help: .hidden)
    var stopAfterPages: Int?

    func run() async throws {
        let m = Messages(lang: lang ?? ProcessInfo.processInfo.environment["CITYLOOP_LANG"] ?? "zh")
        do {
            try await copy(m)
        } catch let e as CityCopy.Refusal {
            FileHandle.standardError.write(Data((m.t("拒绝：", "refused: ") + e.message + "\n").utf8))
            throw ExitCode(3)
        }
    }

    private func copy(_ m: Messages) async throws {
        let source = try Self.location(from)
        let target = try Self.location(to)
        guard Self.identity(source) != Self.identity(target) else {
            throw CityCopy.Refusal(m.t("来源与目标是同一个数据库 \(source)", "the source and the target are the same database \(source)"))
        }
        if case .sqlite(let path) = source, !FileManager.default.fileExists(atPath: path) {
            throw CityCopy.Refusal(m.t("\(source) 处没有城市数据", "there is no city at \(source)"))
        }
        // The source is read as it is: never migrated (its tables must be the ones this CityLoop copies).
        let from = try await source.open(migrate: false)
        if let pending = try await (from as? any SchemaMigrations)?.migrationStatus().pending, !pending.isEmpty {
            throw CityCopy.Refusal(
                m.t("来源数据库有待应用的迁移（\(pending.joined(separator: ", "))），请先运行 cityloop migrate --database …",
                    "the source has pending migrations (\(pending.joined(separator: ", "))); run cityloop migrate --database … on it first"))
        }
        let into = try await target.open(migrate: true)
        let started = ContinuousClock.now
        let copier = CityCopy(source: from, target: into, sourceName: source.description, pageSize: pageSize)
        progressLine(m.t("复制 \(source) → \(target)", "copying \(source) → \(target)"), done: true)
        let summary: CityCopy.Summary
        do {
            summary = try await copier.run(stopAfterPages: stopAfterPages) { status in
                let seconds = Self.seconds(ContinuousClock.now - started)
                progressLine(
                    m.t("案件 \(status.casesDone)/\(status.casesTotal)", "cases \(status.casesDone)/\(status.casesTotal)")
                        + "  \(status.table) \(status.tableDone)/\(status.tableTotal)  "
                        + m.t("\(Int(Double(status.casesDone) / max(seconds, 0.001))) 件/秒", "\(Int(Double(status.casesDone) / max(seconds, 0.001))) cases/s")
                        + "      ")
            }
        } catch is CityCopy.Stopped {
            progressLine("", done: true)
            print(m.t("已按要求中止；再次运行同样的命令即可继续", "stopped as asked; run the same command again to continue"))
            throw ExitCode(4)
        }
        progressLine("", done: true)
        let copied = ContinuousClock.now - started
        if summary.resumed { print(m.t("继续了上次未完成的复制", "continued an unfinished copy")) }

        // The same checks as `cityloop verify`, on the target.
        let platform = try await Platform(store: into, media: InMemoryMediaStore())
        let key = try publicKey ?? Self.ledgerKey(beside: source).map { try LedgerKey.loadOrCreate(path: $0).publicKey }
        let report = try await CaseService(platform: platform).verifyHistory(checkpoints: checkpoints.map { CheckpointLog(path: $0) }, publicKey: key)
        let shown = ["cases", "case_events", "ledger", "users", "tokens", "grids", "components"]
        func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, n - s.count))
            return left ? s + fill : fill + s
        }
        print(pad(m.t("表", "table"), 20, left: true) + pad(m.t("来源", "source"), 12) + pad(m.t("目标", "target"), 12))
        for c in summary.counts where shown.contains(c.table) || c.source != c.target {
            print(pad(c.table, 20, left: true) + pad(String(c.source), 12) + pad(String(c.target), 12) + (c.source == c.target ? "" : "  ≠"))
        }
        for p in report.problems.prefix(50) { print(p) }
        let total = String(format: "%.1f", Self.seconds(copied))
        print(m.t(
            "已校验目标 \(report.cases) 个案件、\(report.events) 条记录；问题 \(report.problems.count) 个",
            "verified the target: \(report.cases) cases and \(report.events) events; \(report.problems.count) problems"))
        print(m.t("复制用时 \(Self.duration(copied))（共 \(total) 秒）", "copy time \(Self.duration(copied)) (\(total) s)"))
        print(m.t("媒体文件不随数据库复制，仍在原数据目录的 media/ 中", "media files are not in the database: they stay in the data folder's media/"))
        let mismatched = summary.counts.filter { $0.source != $0.target }
        if !report.problems.isEmpty || !mismatched.isEmpty { throw ExitCode(1) }
    }

    /// Reads a location: a URL, or a bare folder (its SQLite file).
    static func location(_ text: String) throws -> DatabaseLocation {
        if text.hasPrefix("sqlite:") || text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            do { return try DatabaseLocation(parsing: text) } catch let e as StoreError { throw CityCopy.Refusal(e.message) }
        }
        return text.hasSuffix(".sqlite") || text.hasSuffix(".db") ? .sqlite(path: text) : .sqlite(folder: URL(fileURLWithPath: text, isDirectory: true))
    }

    /// What makes two locations the same database.
    static func identity(_ location: DatabaseLocation) -> String {
        switch location {
        case .sqlite(let path): "sqlite:" + URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        case .postgres(let l, _): l.displayText
        }
    }

    /// The ledger key file beside a data folder, when the source is one and the key exists.
    static func ledgerKey(beside location: DatabaseLocation) -> String? {
        guard case .sqlite(let path) = location else { return nil }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let key = folder.deletingLastPathComponent().appendingPathComponent(folder.lastPathComponent + ".ledger-key").path
        return FileManager.default.fileExists(atPath: key) ? key : nil
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

    static func duration(_ d: Duration) -> String {
        let s = d.components.seconds
        return String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
    }
}
