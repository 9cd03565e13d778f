import CityLoopDomain
import Foundation

extension InMemoryStore {
    /// Stores a new notice unless one with its ID exists.
    public func insertCompanyNotice(_ notice: CompanyNotice) async throws -> Bool {
        guard companyNoticeRows[notice.id] == nil else { return false }
        companyNoticeRows[notice.id] = notice
        return true
    }

    /// The notice with this ID.
    public func companyNotice(id: String) async throws -> CompanyNotice? { companyNoticeRows[id] }

    /// Notices newest issued first.
    public func companyNotices(companyID: DepartmentID?, state: CompanyNotice.State?, limit: Int) async throws -> [CompanyNotice] {
        Array(
            companyNoticeRows.values.filter { (companyID == nil || $0.companyID == companyID) && (state == nil || $0.state == state) }
                .sorted { $0.issuedAt != $1.issuedAt ? $0.issuedAt > $1.issuedAt : $0.id < $1.id }.prefix(max(0, limit)))
    }

    /// Replaces a notice at the expected version.
    public func updateCompanyNotice(_ notice: CompanyNotice, expectedVersion: Int) async throws {
        guard companyNoticeRows[notice.id]?.version == expectedVersion else { throw DomainError.noticeChanged }
        companyNoticeRows[notice.id] = notice
    }
}
