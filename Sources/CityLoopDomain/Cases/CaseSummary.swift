import Foundation

/// The few fields of a case that duplicate detection needs, read from indexed columns without decoding the
/// whole record.
public struct CaseSummary: Hashable, Codable, Sendable {
    /// The case.
    public var id: CaseID
    /// Its number.
    public var number: String
    /// Its matter class.
    public var matterCode: String
    /// Its state.
    public var state: CaseState
    /// Where it was reported.
    public var point: GeoPoint
    /// When it was reported.
    public var createdAt: Date

    /// Creates a summary.
    public init(id: CaseID, number: String, matterCode: String, state: CaseState, point: GeoPoint, createdAt: Date) {
        self.id = id
        self.number = number
        self.matterCode = matterCode
        self.state = state
        self.point = point
        self.createdAt = createdAt
    }
}

extension CaseRecord {
    /// This case's summary.
    public var summary: CaseSummary {
        CaseSummary(id: id, number: number, matterCode: matterCode, state: state, point: point, createdAt: createdAt)
    }
}
