import ArgumentParser
import CityLoopDemo
import CityLoopDomain
import CityLoopPostgres
import CityLoopSQLite
import CityLoopServices
import Foundation

/// A city a benchmark runs against: the platform over one store, the folder of its media and scratch files, and
/// what removes it again.
struct BenchCity: Sendable {
    /// Which store holds the city.
    enum Kind: String, Sendable {
        case sqlite = "SQLite"
        case postgres = "PostgreSQL"
    }

    var kind: Kind
    var platform: Platform
    /// Media and scratch files.
    var folder: URL
    /// The database URL of a PostgreSQL city (with its password), for nodes started as separate processes.
    var url: String?
    /// Closes the store and removes a scratch city (a kept one stays).
    var dispose: @Sendable () async -> Void
}

extension BenchCommand {
    /// The stores measured in this run: SQLite always, PostgreSQL beside it when `--database` names a server.
    var kinds: [BenchCity.Kind] { database == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// An empty city on a fresh store: an SQLite file in a temporary folder, or a database created on the
    /// `--database` server (dropped by `dispose`).
    func scratchCity(_ kind: BenchCity.Kind) async throws -> BenchCity {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let removeFolder: @Sendable () -> Void = { try? FileManager.default.removeItem(at: folder) }
        switch kind {
        case .sqlite:
            let store = try SQLiteStore(path: folder.appendingPathComponent("cityloop.sqlite").path)
            let platform = try await Self.benchPlatform(store, folder)
            return BenchCity(kind: kind, platform: platform, folder: folder, url: nil, dispose: removeFolder)
        case .postgres:
            let server = try postgresServer()
            let name = "cityloop_bench_" + UUID().uuidString.prefix(8).lowercased()
            try await PostgresStore.createDatabase(named: name, onServerOf: server)
            let url = try PostgresStore.url(server, database: name)
            do {
                let store = try await PostgresStore(url: url)
                let platform = try await Self.benchPlatform(store, folder)
                return BenchCity(kind: kind, platform: platform, folder: folder, url: url) {
                    store.close()
                    try? await PostgresStore.dropDatabase(named: name, onServerOf: server)
                    removeFolder()
                }
            } catch {
                try? await PostgresStore.dropDatabase(named: name, onServerOf: server)
                removeFolder()
                throw error
            }
        }
    }

    /// The demo city at `--cases`: on a scratch store, or with `--reuse` kept between runs — the SQLite city in that
    /// folder, the PostgreSQL city in the `--database` URL's own database (created when missing) — and built there
    /// on first use.
    func demoCity(_ kind: BenchCity.Kind) async throws -> BenchCity {
        let city: BenchCity
        if let reuse {
            let folder = URL(fileURLWithPath: reuse, isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            switch kind {
            case .sqlite:
                let store = try SQLiteStore(path: folder.appendingPathComponent("cityloop.sqlite").path)
                city = BenchCity(kind: kind, platform: try await Self.benchPlatform(store, folder), folder: folder, url: nil) {}
            case .postgres:
                let url = try postgresServer()
                let store = try await Self.openCreating(url)
                let media = folder.appendingPathComponent("postgres", isDirectory: true)
                city = BenchCity(kind: kind, platform: try await Self.benchPlatform(store, media), folder: media, url: url) { store.close() }
            }
        } else {
            city = try await scratchCity(kind)
        }
        do {
            if try await city.platform.store.caseCount() == 0 {
                let started = Date()
                _ = try await DemoCity.install(into: city.platform, scale: .forCases(cases), password: "bench-password") { phase, done, total in
                    progressLine("\(kind.rawValue): \(phase) \(done)/\(total)", done: phase == "cases" && done == total)
                }
                print(String(format: "(%@ demo city built in %.0f s)", kind.rawValue, Date().timeIntervalSince(started)))
            }
        } catch {
            await city.dispose()
            throw error
        }
        return city
    }

    /// The `--database` URL, read as a PostgreSQL URL.
    func postgresServer() throws -> String {
        guard let database else { throw ValidationError("--database postgres://… is needed for the PostgreSQL figures") }
        guard case .postgres = try DatabaseLocation(parsing: database) else {
            throw ValidationError("--database must be a postgres:// URL (SQLite is always measured)")
        }
        return database
    }

    /// Opens the database of `url`, creating it first (through the server's `postgres` database) when missing.
    static func openCreating(_ url: String) async throws -> PostgresStore {
        do {
            return try await PostgresStore(url: url)
        } catch let e as StoreError where e.kind == .missingDatabase {
            let location = try PostgresLocation(url)
            try await PostgresStore.createDatabase(named: location.database, onServerOf: try PostgresStore.url(url, database: "postgres"))
            return try await PostgresStore(url: url)
        }
    }

    /// A platform over `store` with its media in `folder` (cheap bcrypt cost: accounts are not the subject).
    static func benchPlatform(_ store: any CityStore, _ folder: URL) async throws -> Platform {
        let media = try FileMediaStore(root: folder.appendingPathComponent("media"))
        return try await Platform(store: store, media: media, passwords: Passwords(cost: 4))
    }

    /// Prints a figure of every store side by side: the name, then one cell per column.
    func compare(_ name: String, _ cells: [String]) {
        print(name.padding(toLength: 34, withPad: " ", startingAt: 0) + cells.map { $0.padding(toLength: 26, withPad: " ", startingAt: 0) }.joined())
    }
}
