import Foundation

/// Rectification notices to companies (整改通知书). One conformance suite runs on every store.
public protocol CompanyNoticeStore: Sendable {
    /// Stores a new notice; false (and nothing written) when one with its ID exists (another node sent it).
    func insertCompanyNotice(_ notice: CompanyNotice) async throws -> Bool
    /// The notice with this ID.
    func companyNotice(id: String) async throws -> CompanyNotice?
    /// Notices (of one company and in one state when given), newest issued first, at most `limit`.
    func companyNotices(companyID: DepartmentID?, state: CompanyNotice.State?, limit: Int) async throws -> [CompanyNotice]
    /// Replaces a notice whose stored version is `expectedVersion`; throws `DomainError.noticeChanged` when it is not.
    func updateCompanyNotice(_ notice: CompanyNotice, expectedVersion: Int) async throws
}
