import CityLoopDomain
import Foundation
import GRDB

extension SQLiteStore {
    /// Replaces areas and grids in one transaction.
    public func replaceAreas(_ areas: [Area], grids: [UnitGrid]) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM areas; DELETE FROM grids")
            for a in areas {
                try db.cachedStatement(sql: "INSERT INTO areas (code, level, data) VALUES (?, ?, ?)")
                    .execute(arguments: [a.code, a.level.rawValue, try self.json(a)])
            }
            for g in grids {
                try db.cachedStatement(sql: "INSERT INTO grids (code, data) VALUES (?, ?)").execute(arguments: [g.code, try self.json(g)])
            }
        }
    }

    /// Every area.
    public func areas() async throws -> [Area] { try await all("SELECT data FROM areas ORDER BY code", Area.self) }
    /// Every grid.
    public func grids() async throws -> [UnitGrid] { try await all("SELECT data FROM grids ORDER BY code", UnitGrid.self) }

    func all<T: Decodable & Sendable>(_ sql: String, _ t: T.Type, _ args: StatementArguments = []) async throws -> [T] {
        try await pool.read { db in try String.fetchAll(db, sql: sql, arguments: args).map { try self.decode(T.self, $0) } }
    }

    /// Saves catalog extensions.
    public func saveCatalogExtensions(_ entries: [CatalogEntry]) async throws {
        try await pool.write { db in
            for e in entries {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO catalog_extensions (kind, code, data) VALUES (?, ?, ?)",
                    arguments: [e.kind.rawValue, e.code, try self.json(e)])
            }
        }
    }
    /// Catalog extensions.
    public func catalogExtensions() async throws -> [CatalogEntry] {
        try await all("SELECT data FROM catalog_extensions ORDER BY code", CatalogEntry.self)
    }

    /// Saves departments.
    public func saveDepartments(_ departments: [Department]) async throws {
        try await pool.write { db in
            for d in departments {
                try db.execute(sql: "INSERT OR REPLACE INTO departments (id, data) VALUES (?, ?)", arguments: [d.id.rawValue, try self.json(d)])
            }
        }
    }
    /// Every department.
    public func departments() async throws -> [Department] { try await all("SELECT data FROM departments ORDER BY id", Department.self) }

    /// Replaces the rules, keeping their order.
    public func replaceRules(_ rules: [ResponsibilityRule]) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM rules")
            for (i, r) in rules.enumerated() {
                try db.execute(sql: "INSERT INTO rules (position, id, data) VALUES (?, ?, ?)", arguments: [i, r.id, try self.json(r)])
            }
        }
    }
    /// The rules in order.
    public func rules() async throws -> [ResponsibilityRule] { try await all("SELECT data FROM rules ORDER BY position", ResponsibilityRule.self) }

    /// Saves components.
    public func saveComponents(_ components: [Component]) async throws {
        // Encoded before the single writer takes over.
        let rows = components.map { ($0, JSONText.data($0, dates: .millisecondsSince1970)) }
        try await pool.write { db in
            let insert = try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO components (id, class_code, grid_code, state, data) VALUES (?, ?, ?, ?, ?)")
            for (c, json) in rows {
                try insert.executeRaw { b in
                    b.text(c.id)
                    b.text(c.classCode)
                    b.text(c.gridCode)
                    b.text(c.state.rawValue)
                    b.text(utf8: json)
                }
            }
        }
    }
    /// One component.
    public func component(id: String) async throws -> Component? {
        try await all("SELECT data FROM components WHERE id = ?", Component.self, [id]).first
    }
    /// Components matching a query.
    public func components(_ query: ComponentQuery) async throws -> ComponentPage {
        var parts: [String] = []
        var args: [String] = []
        if let a = query.areaCode {
            parts.append("grid_code >= ? AND grid_code < ?")
            args += [a, a + "~"]
        }
        if let p = query.classPrefix {
            parts.append("class_code >= ? AND class_code < ?")
            args += [p, p + "~"]
        }
        if let s = query.state {
            parts.append("state = ?")
            args.append(s.rawValue)
        }
        let w = parts.isEmpty ? "" : "WHERE " + parts.joined(separator: " AND ")
        let finalArgs = args
        return try await pool.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM components \(w)", arguments: StatementArguments(finalArgs)) ?? 0
            let items = try String.fetchAll(
                db, sql: "SELECT data FROM components \(w) ORDER BY id LIMIT ? OFFSET ?",
                arguments: StatementArguments(finalArgs) + [query.limit, query.offset]
            ).map { try self.decode(Component.self, $0) }
            return ComponentPage(items: items, total: total)
        }
    }

    /// Saves an account; a nil password hash keeps the stored one.
    public func saveUser(_ user: User, passwordHash: String?) async throws {
        try await pool.write { db in
            if let other = try String.fetchOne(
                db, sql: "SELECT id FROM users WHERE username = ? AND id != ?", arguments: [user.username, user.id.rawValue])
            {
                throw DomainError(.conflict, code: "user.exists", "username \(user.username) is taken by \(other)", field: "username")
            }
            try db.execute(
                sql: """
                    INSERT INTO users (id, username, password_hash, data) VALUES (?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET username = excluded.username, data = excluded.data,
                        password_hash = COALESCE(excluded.password_hash, users.password_hash)
                    """, arguments: [user.id.rawValue, user.username, passwordHash, try self.json(user)])
        }
    }
    /// An account by username with its password hash.
    public func user(username: String) async throws -> (User, String?)? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT data, password_hash FROM users WHERE username = ?", arguments: [username]) else {
                return nil
            }
            return (try self.decode(User.self, row["data"]), row["password_hash"])
        }
    }
    /// An account by ID.
    public func user(id: UserID) async throws -> User? {
        try await all("SELECT data FROM users WHERE id = ?", User.self, [id.rawValue]).first
    }
    /// Every account.
    public func users() async throws -> [User] { try await all("SELECT data FROM users ORDER BY username", User.self) }

    /// Saves a token.
    public func saveToken(_ token: AccessToken) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO tokens (hash, user_id, is_api, data) VALUES (?, ?, ?, ?)",
                arguments: [token.hash, token.userID.rawValue, token.isAPIToken, try self.json(token)])
        }
    }
    /// A token by hash.
    public func token(hash: String) async throws -> AccessToken? {
        try await all("SELECT data FROM tokens WHERE hash = ?", AccessToken.self, [hash]).first
    }
    /// Removes a token.
    public func deleteToken(hash: String) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM tokens WHERE hash = ?", arguments: [hash]) }
    }
    /// Removes a user's sessions but one.
    public func deleteSessions(userID: UserID, keeping: String?) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "DELETE FROM tokens WHERE user_id = ? AND is_api = 0 AND hash != ?", arguments: [userID.rawValue, keeping ?? ""])
        }
    }
    /// API tokens.
    public func apiTokens() async throws -> [AccessToken] {
        try await all("SELECT data FROM tokens WHERE is_api = 1", AccessToken.self).sorted { $0.createdAt < $1.createdAt }
    }

    /// A setting.
    public func setting(_ key: String) async throws -> String? {
        try await pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key]) }
    }
    /// Saves a setting unless present; the stored value.
    public func saveSettingIfAbsent(_ key: String, _ value: String) async throws -> String {
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING", arguments: [key, value])
            return try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key]) ?? value
        }
    }
    /// Saves a setting.
    public func saveSetting(_ key: String, _ value: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", arguments: [key, value])
        }
    }
}
