import CityLoopDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Replaces areas and grids in one transaction.
    public func replaceAreas(_ areas: [Area], grids: [UnitGrid]) async throws {
        let areaRows = try areas.map { ($0.code, $0.level.rawValue, try json($0)) }
        let gridRows = try grids.map { ($0.code, try json($0)) }
        try await transaction { c in
            try await self.run("DELETE FROM areas", on: c)
            try await self.run("DELETE FROM grids", on: c)
            try await self.run(
                "INSERT INTO areas (code, level, data) SELECT * FROM unnest(\(areaRows.map(\.0))::text[], \(areaRows.map(\.1))::text[], \(areaRows.map(\.2))::text[])",
                on: c)
            try await self.run(
                "INSERT INTO grids (code, data) SELECT * FROM unnest(\(gridRows.map(\.0))::text[], \(gridRows.map(\.1))::text[])", on: c)
        }
    }

    /// Every area.
    public func areas() async throws -> [Area] { try decodeAll(Area.self, try await rows("SELECT data FROM areas ORDER BY code")) }
    /// Every grid.
    public func grids() async throws -> [UnitGrid] { try decodeAll(UnitGrid.self, try await rows("SELECT data FROM grids ORDER BY code")) }

    /// Saves catalog extensions.
    public func saveCatalogExtensions(_ entries: [CatalogEntry]) async throws {
        let rows = try entries.map { ($0.kind.rawValue, $0.code, try json($0)) }
        try await transaction { c in
            for (kind, code, data) in rows {
                try await self.run(
                    """
                    INSERT INTO catalog_extensions (kind, code, data) VALUES (\(kind), \(code), \(data))
                    ON CONFLICT (kind, code) DO UPDATE SET data = excluded.data
                    """, on: c)
            }
        }
    }
    /// Catalog extensions.
    public func catalogExtensions() async throws -> [CatalogEntry] {
        try decodeAll(CatalogEntry.self, try await rows("SELECT data FROM catalog_extensions ORDER BY code"))
    }

    /// Saves departments.
    public func saveDepartments(_ departments: [Department]) async throws {
        let rows = try departments.map { ($0.id.rawValue, try json($0)) }
        try await transaction { c in
            for (id, data) in rows {
                try await self.run("INSERT INTO departments (id, data) VALUES (\(id), \(data)) ON CONFLICT (id) DO UPDATE SET data = excluded.data", on: c)
            }
        }
    }
    /// Every department.
    public func departments() async throws -> [Department] {
        try decodeAll(Department.self, try await rows("SELECT data FROM departments ORDER BY id"))
    }

    /// Replaces the rules, keeping their order.
    public func replaceRules(_ rules: [ResponsibilityRule]) async throws {
        let data = try rules.map { try json($0) }
        let ids = rules.map(\.id)
        try await transaction { c in
            try await self.run("DELETE FROM rules", on: c)
            try await self.run(
                "INSERT INTO rules (position, id, data) SELECT n - 1, id, data FROM unnest(\(ids)::text[], \(data)::text[]) WITH ORDINALITY AS r(id, data, n)",
                on: c)
        }
    }
    /// The rules in order.
    public func rules() async throws -> [ResponsibilityRule] {
        try decodeAll(ResponsibilityRule.self, try await rows("SELECT data FROM rules ORDER BY position"))
    }

    /// Saves components (by ID), many rows per statement.
    public func saveComponents(_ components: [Component]) async throws {
        let rows = components.map { ($0, JSONText.text($0, dates: .millisecondsSince1970)) }
        try await transaction { c in
            for start in stride(from: 0, to: rows.count, by: 5000) {
                let slice = rows[start..<min(start + 5000, rows.count)]
                try await self.run(
                    """
                    INSERT INTO components (id, class_code, grid_code, state, data)
                    SELECT * FROM unnest(\(slice.map(\.0.id))::text[], \(slice.map(\.0.classCode))::text[], \(slice.map(\.0.gridCode))::text[],
                        \(slice.map(\.0.state.rawValue))::text[], \(slice.map(\.1))::text[])
                    ON CONFLICT (id) DO UPDATE SET class_code = excluded.class_code, grid_code = excluded.grid_code,
                        state = excluded.state, data = excluded.data
                    """, on: c)
            }
        }
    }
    /// One component.
    public func component(id: String) async throws -> Component? {
        try decodeAll(Component.self, try await rows("SELECT data FROM components WHERE id = \(id)")).first
    }
    /// Components matching a query.
    public func components(_ query: ComponentQuery) async throws -> ComponentPage {
        var sql = SQLBuilder()
        if let a = query.areaCode { sql.prefix("grid_code", a) }
        if let p = query.classPrefix { sql.prefix("class_code", p) }
        if let s = query.state { sql.condition("state = $", s.rawValue) }
        let w = sql.whereClause
        let total = try await rows(sql.query("SELECT count(*) FROM components \(w)")).first?.decode(Int.self) ?? 0
        var page = sql
        let limit = page.bind(query.limit), offset = page.bind(query.offset)
        let items = try decodeAll(Component.self, try await rows(page.query("SELECT data FROM components \(w) ORDER BY id LIMIT \(limit) OFFSET \(offset)")))
        return ComponentPage(items: items, total: total)
    }

    /// Saves an account; a nil password hash keeps the stored one.
    public func saveUser(_ user: User, passwordHash: String?) async throws {
        let data = try json(user)
        try await transaction { c in
            // Serialises saves of the same user name, so the check below holds until commit.
            try await self.run("SELECT pg_advisory_xact_lock(hashtext(\(user.username)))", on: c)
            if let other = try await self.rows(
                "SELECT id FROM users WHERE username = \(user.username) AND id <> \(user.id.rawValue)", on: c
            ).first?.decode(String.self) {
                throw DomainError(.conflict, code: "user.exists", "username \(user.username) is taken by \(other)", field: "username")
            }
            try await self.run(
                """
                INSERT INTO users (id, username, password_hash, data) VALUES (\(user.id.rawValue), \(user.username), \(passwordHash), \(data))
                ON CONFLICT (id) DO UPDATE SET username = excluded.username, data = excluded.data,
                    password_hash = COALESCE(excluded.password_hash, users.password_hash)
                """, on: c)
        }
    }
    /// An account by username with its password hash.
    public func user(username: String) async throws -> (User, String?)? {
        guard let row = try await rows("SELECT data, password_hash FROM users WHERE username = \(username)").first else { return nil }
        let (data, hash) = try row.decode((String, String?).self)
        return (try decode(User.self, data), hash)
    }
    /// An account by ID.
    public func user(id: UserID) async throws -> User? {
        try decodeAll(User.self, try await rows("SELECT data FROM users WHERE id = \(id.rawValue)")).first
    }
    /// Every account.
    public func users() async throws -> [User] { try decodeAll(User.self, try await rows("SELECT data FROM users ORDER BY username")) }

    /// Saves a token.
    public func saveToken(_ token: AccessToken) async throws {
        let data = try json(token)
        _ = try await rows(
            """
            INSERT INTO tokens (hash, user_id, is_api, created_at, data)
            VALUES (\(token.hash), \(token.userID.rawValue), \(token.isAPIToken), \(Self.ms(token.createdAt)), \(data))
            ON CONFLICT (hash) DO UPDATE SET user_id = excluded.user_id, is_api = excluded.is_api, created_at = excluded.created_at,
                data = excluded.data
            """)
    }
    /// A token by hash.
    public func token(hash: String) async throws -> AccessToken? {
        try decodeAll(AccessToken.self, try await rows("SELECT data FROM tokens WHERE hash = \(hash)")).first
    }
    /// Removes a token.
    public func deleteToken(hash: String) async throws { _ = try await rows("DELETE FROM tokens WHERE hash = \(hash)") }
    /// Removes a user's sessions but one.
    public func deleteSessions(userID: UserID, keeping: String?) async throws {
        _ = try await rows("DELETE FROM tokens WHERE user_id = \(userID.rawValue) AND NOT is_api AND hash <> \(keeping ?? "")")
    }
    /// API tokens, oldest first.
    public func apiTokens() async throws -> [AccessToken] {
        try decodeAll(AccessToken.self, try await rows("SELECT data FROM tokens WHERE is_api ORDER BY created_at, hash"))
    }

    /// A setting.
    public func setting(_ key: String) async throws -> String? {
        try await rows("SELECT value FROM settings WHERE key = \(key)").first?.decode(String.self)
    }
    /// Saves a setting unless present; the stored value.
    public func saveSettingIfAbsent(_ key: String, _ value: String) async throws -> String {
        _ = try await rows("INSERT INTO settings (key, value) VALUES (\(key), \(value)) ON CONFLICT (key) DO NOTHING")
        return try await setting(key) ?? value
    }
    /// Saves a setting.
    public func saveSetting(_ key: String, _ value: String) async throws {
        _ = try await rows("INSERT INTO settings (key, value) VALUES (\(key), \(value)) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
    }
}
