import CityLoopDomain
import CityLoopPostgres
import CityLoopSQLite
import Foundation

/// Where a city's data lives, from `--database` (env `CITYLOOP_DATABASE`, config key `database`): an SQLite file
/// (`sqlite:DIR` for `DIR/cityloop.sqlite`, `sqlite:FILE.sqlite`; by default the one in the data folder) or a
/// PostgreSQL database (`postgres://user[:password]@host[:port]/database[?sslmode=…]`). The one place a store is
/// chosen by its URL.
enum DatabaseLocation: CustomStringConvertible {
    /// An SQLite file.
    case sqlite(path: String)
    /// A PostgreSQL database, and the URL it was read from (with its password).
    case postgres(PostgresLocation, url: String)

    /// The SQLite file of a data folder.
    static func sqlite(folder: URL) -> DatabaseLocation { .sqlite(path: folder.appendingPathComponent("cityloop.sqlite").path) }

    /// Reads a database URL; `sqlite:` paths are taken as they are (a folder, or a file ending in .sqlite or .db).
    init(parsing text: String) throws {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw StoreError(.badURL, "database URL '\(text)' names no file or folder (sqlite:DIR or sqlite:FILE.sqlite)") }
            self = path.hasSuffix(".sqlite") || path.hasSuffix(".db") ? .sqlite(path: path) : .sqlite(folder: URL(fileURLWithPath: path, isDirectory: true))
            return
        }
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") else {
            throw StoreError(.badURL, "database URL '\(PostgresLocation.redacted(text))' is neither sqlite:DIR nor postgres://user@host:5432/database")
        }
        // The PostgreSQL store reads its own URLs (user, host, port, database, sslmode, socket).
        self = .postgres(try PostgresLocation(text), url: text)
    }

    /// Opens the store at this location (every store can also be copied from and into), applying pending
    /// migrations unless `migrate` is false.
    func open(migrate: Bool = true) async throws -> any CityStore & CityCopyStore {
        switch self {
        case .sqlite(let path):
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            return try SQLiteStore(path: path, migrate: migrate)
        case .postgres(_, let url):
            return try await PostgresStore(url: url, migrate: migrate)
        }
    }

    var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let location, _): location.displayText
        }
    }
}
