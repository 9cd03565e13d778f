import CityLoopDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Stores a new notice unless one with its ID exists.
    public func insertCompanyNotice(_ notice: CompanyNotice) async throws -> Bool {
        let text = try json(notice)
        return try await rows(
            """
            INSERT INTO company_notices (id, company_id, state, issued_at, version, data)
            VALUES (\(notice.id), \(notice.companyID.rawValue), \(notice.state.rawValue), \(Self.ms(notice.issuedAt)), \(Int64(notice.version)), \(text))
            ON CONFLICT DO NOTHING RETURNING 1
            """
        ).count == 1
    }

    /// The notice with this ID.
    public func companyNotice(id: String) async throws -> CompanyNotice? {
        try await rows("SELECT data FROM company_notices WHERE id = \(id)").first.map { try decode(CompanyNotice.self, try $0.decode(String.self)) }
    }

    /// Notices newest issued first.
    public func companyNotices(companyID: DepartmentID?, state: CompanyNotice.State?, limit: Int) async throws -> [CompanyNotice] {
        try await rows(
            """
            SELECT data FROM company_notices
            WHERE (\(companyID?.rawValue)::text IS NULL OR company_id = \(companyID?.rawValue)) AND (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue))
            ORDER BY issued_at DESC, id LIMIT \(Int64(max(0, limit)))
            """
        ).map { try decode(CompanyNotice.self, try $0.decode(String.self)) }
    }

    /// Replaces a notice at the expected version.
    public func updateCompanyNotice(_ notice: CompanyNotice, expectedVersion: Int) async throws {
        let text = try json(notice)
        let changed = try await rows(
            """
            UPDATE company_notices SET state = \(notice.state.rawValue), version = \(Int64(notice.version)), data = \(text)
            WHERE id = \(notice.id) AND version = \(Int64(expectedVersion)) RETURNING 1
            """
        ).count
        guard changed == 1 else { throw DomainError.noticeChanged }
    }
}
