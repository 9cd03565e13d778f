import CityLoopDomain
import Foundation
import GRDB

extension SQLiteStore {
    /// Stores a new notice unless one with its ID exists.
    public func insertCompanyNotice(_ notice: CompanyNotice) async throws -> Bool {
        let text = try json(notice)
        return try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO company_notices (id, company_id, state, issued_at, version, data) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                arguments: [notice.id, notice.companyID.rawValue, notice.state.rawValue, Self.deviceMillis(notice.issuedAt), notice.version, text])
            return db.changesCount == 1
        }
    }

    /// The notice with this ID.
    public func companyNotice(id: String) async throws -> CompanyNotice? {
        try await pool.read { db in try String.fetchOne(db, sql: "SELECT data FROM company_notices WHERE id = ?", arguments: [id]) }
            .map { try decode(CompanyNotice.self, $0) }
    }

    /// Notices newest issued first.
    public func companyNotices(companyID: DepartmentID?, state: CompanyNotice.State?, limit: Int) async throws -> [CompanyNotice] {
        try await pool.read { db in
            var sql = "SELECT data FROM company_notices WHERE 1 = 1"
            var args: [any DatabaseValueConvertible] = []
            if let companyID {
                sql += " AND company_id = ?"
                args.append(companyID.rawValue)
            }
            if let state {
                sql += " AND state = ?"
                args.append(state.rawValue)
            }
            return try String.fetchAll(db, sql: sql + " ORDER BY issued_at DESC, id LIMIT ?", arguments: StatementArguments(args + [max(0, limit)]))
        }.map { try decode(CompanyNotice.self, $0) }
    }

    /// Replaces a notice at the expected version.
    public func updateCompanyNotice(_ notice: CompanyNotice, expectedVersion: Int) async throws {
        let text = try json(notice)
        let changed = try await pool.write { db in
            try db.execute(
                sql: "UPDATE company_notices SET state = ?, version = ?, data = ? WHERE id = ? AND version = ?",
                arguments: [notice.state.rawValue, notice.version, text, notice.id, expectedVersion])
            return db.changesCount
        }
        guard changed == 1 else { throw DomainError.noticeChanged }
    }
}
