import Crypto
import Foundation

/// One numbered schema migration of the PostgreSQL store: an SQL file `NNN_name.sql` shipped as a resource.
/// Never edit a shipped one (its checksum is recorded when applied); add the next number.
public struct PostgresMigration: Sendable, Hashable {
    /// The migration's number; applied in increasing order.
    public var number: Int
    /// The name after the number, e.g. `core`.
    public var name: String
    /// The SQL it runs, in one transaction.
    public var sql: String

    /// SHA-256 of the SQL, recorded with the migration so that a changed file is noticed.
    public var checksum: String { SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined() }

    /// Creates a migration.
    public init(number: Int, name: String, sql: String) {
        self.number = number
        self.name = name
        self.sql = sql
    }

    /// The migrations this CityLoop ships, by number.
    public static let shipped: [PostgresMigration] = {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil),
            let files = try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        else { return [] }
        return files.compactMap { url -> PostgresMigration? in
            guard url.pathExtension == "sql", let sql = try? String(contentsOf: url, encoding: .utf8) else { return nil }
            let stem = url.deletingPathExtension().lastPathComponent
            guard let underscore = stem.firstIndex(of: "_"), let number = Int(stem[..<underscore]) else { return nil }
            return PostgresMigration(number: number, name: String(stem[stem.index(after: underscore)...]), sql: sql)
        }.sorted { $0.number < $1.number }
    }()

    /// The statements of the SQL, split at semicolons that end a line (the shipped files put nothing else there),
    /// comment lines left out.
    var statements: [String] {
        var out: [String] = []
        var current = ""
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("--") || trimmed.isEmpty { continue }
            current += line + "\n"
            if trimmed.hasSuffix(";") {
                out.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
                current = ""
            }
        }
        let rest = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { out.append(rest) }
        return out
    }
}
