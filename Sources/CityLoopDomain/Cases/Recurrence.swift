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

    /// The closed case a report repeats: the nearest within the radius (the latest closed on a tie); nil when none.
    public func repeated(at point: GeoPoint, among closed: [ClosedCase]) -> ClosedCase? {
        closed.filter { $0.point.distance(to: point) <= radiusMetres }
            .min { a, b in
                let (da, db) = (a.point.distance(to: point), b.point.distance(to: point))
                return da != db ? da < db : a.closedAt > b.closedAt
            }
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
