import CityLoopDomain
import Foundation

/// Where a city's data lives, from `--database` (env `CITYLOOP_DATABASE`, config key `database`): an SQLite file
/// (`sqlite:DIR` for `DIR/cityloop.sqlite`, `sqlite:FILE.sqlite`; by default the one in the data folder) or a
/// PostgreSQL database (`postgres://user[:password]@host[:port]/database[?sslmode=…]`). The one place a store is
/// chosen by its URL.
enum DatabaseLocation: Equatable, CustomStringConvertible {
    /// An SQLite file.
    case sqlite(path: String)
    /// A PostgreSQL database.
    case postgres(url: URL)

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
            throw StoreError(.badURL, "database URL '\(Self.redact(text))' is neither sqlite:DIR nor postgres://user@host:port/database")
        }
        guard let url = URL(string: text), let host = url.host, !host.isEmpty else {
            throw StoreError(.badURL, "database URL '\(Self.redact(text))' is not a URL such as postgres://user@host:5432/cityloop")
        }
        guard url.user?.isEmpty == false else { throw StoreError(.badURL, "database URL '\(Self.redact(text))' names no user") }
        guard url.path.count > 1, !url.path.dropFirst().contains("/") else {
            throw StoreError(.badURL, "database URL '\(Self.redact(text))' names no database (…/cityloop)")
        }
        if let port = url.port, !(1...65535).contains(port) { throw StoreError(.badURL, "database URL port \(port) is not 1–65535") }
        self = .postgres(url: url)
    }

    /// The URL with any password replaced by `***`, for messages and logs.
    static func redact(_ text: String) -> String {
        guard let at = text.firstIndex(of: "@"), let scheme = text.range(of: "://"), scheme.upperBound < at else { return text }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }

    var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): Self.redact(url.absoluteString)
        }
    }
}
