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

/// Open cases of a matter class inside a box reported since a time (duplicate candidates), newest first.
public struct OpenCasesQuery: Hashable, Sendable {
    /// The matter class.
    public var matterCode: String
    /// Where.
    public var box: BoundingBox
    /// Reported at or after.
    public var since: Date
    /// At most this many.
    public var limit: Int

    /// Creates a query.
    public init(matterCode: String, box: BoundingBox, since: Date, limit: Int) {
        self.matterCode = matterCode
        self.box = box
        self.since = since
        self.limit = limit
    }

    /// Whether the case is one the query finds (before its limit).
    public func matches(_ c: CaseRecord) -> Bool {
        c.matterCode == matterCode && c.state.isOpen && box.contains(c.point) && c.createdAt >= since
    }
}

/// What storing a new case did.
public struct CaseCreation: Sendable {
    /// The case as stored (or as stored before, for a repeated request).
    public var record: CaseRecord
    /// False when the same request had been stored before and nothing was written.
    public var created: Bool
    /// The open cases the `nearby` query found, read in the same transaction.
    public var nearby: [CaseSummary]

    /// Creates the outcome.
    public init(record: CaseRecord, created: Bool, nearby: [CaseSummary] = []) {
        self.record = record
        self.created = created
        self.nearby = nearby
    }
}

extension CaseRecord {
    /// This case's summary.
    public var summary: CaseSummary {
        CaseSummary(id: id, number: number, matterCode: matterCode, state: state, point: point, createdAt: createdAt)
    }
}
