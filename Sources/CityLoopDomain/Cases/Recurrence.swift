import Foundation

/// When a new report repeats a closed case (复发): the same matter class within `radiusMetres` of a case closed at
/// most `windowDays` days before. Configuration.
public struct RecurrencePolicy: Hashable, Codable, Sendable {
    /// Maximum distance in metres.
    public var radiusMetres: Double
    /// Maximum days since the earlier case was closed.
    public var windowDays: Double

    /// Creates a policy; defaults 50 m and 30 days.
    public init(radiusMetres: Double = 50, windowDays: Double = 30) {
        self.radiusMetres = radiusMetres
        self.windowDays = windowDays
    }

    /// Problems naming the field.
    public func problems() -> [(field: String, message: String)] {
        var out: [(String, String)] = []
        if !(1...5000).contains(radiusMetres) { out.append(("recurrencePolicy.radiusMetres", "radiusMetres must be between 1 and 5000")) }
        if !(1...366).contains(windowDays) { out.append(("recurrencePolicy.windowDays", "windowDays must be between 1 and 366")) }
        return out
    }

    /// The store's question for a report of `matterCode` at `point` at `now`.
    public func query(matterCode: String, at point: GeoPoint, now: Date) -> ClosedCasesQuery {
        ClosedCasesQuery(
            matterCode: matterCode, box: BoundingBox(minLat: point.lat, minLon: point.lon, maxLat: point.lat, maxLon: point.lon).expanded(byMetres: radiusMetres),
            closedSince: now.addingTimeInterval(-windowDays * 86_400))
    }

    /// The lookup a store makes for a report of `matterCode` at `point` at `now` as it stores the new case.
    public func lookup(matterCode: String, at point: GeoPoint, now: Date) -> RecurrenceLookup {
        RecurrenceLookup(query: query(matterCode: matterCode, at: point, now: now), point: point, policy: self)
    }

    /// The closed case a report repeats: the nearest within the radius (the latest closed on a tie); nil when none.
    public func repeated(at point: GeoPoint, among closed: [ClosedCase]) -> ClosedCase? {
        closed.filter { $0.point.distance(to: point) <= radiusMetres }
            .min { a, b in
                let (da, db) = (a.point.distance(to: point), b.point.distance(to: point))
                return da != db ? da < db : a.closedAt > b.closedAt
            }
    }
}

/// A new case's recurrence lookup (复发), made by the store as it stores the case (so that intake asks the store
/// once): the closed cases `query` finds, and among them the one `policy` says the report at `point` repeats.
public struct RecurrenceLookup: Sendable {
    /// The closed cases to look at.
    public var query: ClosedCasesQuery
    /// Where the new report is.
    public var point: GeoPoint
    /// The rule that picks the repeated case.
    public var policy: RecurrencePolicy

    /// Creates a lookup.
    public init(query: ClosedCasesQuery, point: GeoPoint, policy: RecurrencePolicy) {
        self.query = query
        self.point = point
        self.policy = policy
    }

    /// The case the report repeats among those `query` found; nil when none.
    public func repeated(among closed: [ClosedCase]) -> CaseID? { policy.repeated(at: point, among: closed)?.id }

    /// `record` with `recurrenceOf` set from the closed cases `query` found.
    public func linking(_ record: CaseRecord, among closed: [ClosedCase]) -> CaseRecord {
        var c = record
        c.recurrenceOf = repeated(among: closed)
        return c
    }
}

/// Closed cases of a matter class inside a box, closed since a time.
public struct ClosedCasesQuery: Hashable, Sendable {
    /// The matter class.
    public var matterCode: String
    /// Where.
    public var box: BoundingBox
    /// The earliest closing time.
    public var closedSince: Date
    /// At most this many.
    public var limit: Int

    /// Creates a query.
    public init(matterCode: String, box: BoundingBox, closedSince: Date, limit: Int = 50) {
        self.matterCode = matterCode
        self.box = box
        self.closedSince = closedSince
        self.limit = limit
    }
}

/// A closed case as a recurrence candidate.
public struct ClosedCase: Hashable, Codable, Sendable {
    /// The case.
    public var id: CaseID
    /// Its number.
    public var number: String
    /// Where it was.
    public var point: GeoPoint
    /// When it was closed.
    public var closedAt: Date

    /// Creates a candidate.
    public init(id: CaseID, number: String, point: GeoPoint, closedAt: Date) {
        self.id = id
        self.number = number
        self.point = point
        self.closedAt = closedAt
    }
}
