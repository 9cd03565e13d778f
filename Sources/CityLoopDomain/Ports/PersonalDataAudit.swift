import Foundation

/// One read of reporters' personal data (names, phone numbers) by someone whose role may see it
/// (个人信息访问记录): who, when, which cases, through which view.
public struct PersonalDataRead: Hashable, Codable, Sendable {
    /// When.
    public var at: Date
    /// Who read.
    public var userID: UserID
    /// In which role.
    public var role: Role
    /// The cases whose reporters' data was shown.
    public var caseIDs: [CaseID]
    /// The view: `case.detail`, `case.list`…
    public var purpose: String

    /// Creates a record.
    public init(at: Date, userID: UserID, role: Role, caseIDs: [CaseID], purpose: String) {
        self.at = at
        self.userID = userID
        self.role = role
        self.caseIDs = caseIDs
        self.purpose = purpose
    }
}

/// Keeps the record of personal-data reads. A read that cannot be recorded is refused (the caller throws).
public protocol PersonalDataAudit: Sendable {
    /// Records one read.
    func record(_ read: PersonalDataRead) async throws
}

/// Records nothing: for tools and tests without an audit trail.
public struct NoPersonalDataAudit: PersonalDataAudit {
    /// Creates the audit.
    public init() {}
    /// Drops the record.
    public func record(_ read: PersonalDataRead) async throws {}
}

extension CaseRecord {
    /// Whether the case holds a name or phone number of someone other than the citizen `userID` (a hotline
    /// caller's data is the caller's, though it hangs on the operator's account).
    public func holdsPersonalData(besides userID: UserID?) -> Bool {
        reporters.contains { r in (r.name != nil || r.phone != nil) && !(r.source == .citizen && r.userID != nil && r.userID == userID) }
    }
}
