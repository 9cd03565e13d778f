import Foundation

/// When a new report is offered as a duplicate of an open case (重复上报): same matter class, within a
/// distance and a time window. Configurable.
public struct DuplicatePolicy: Hashable, Codable, Sendable {
    /// Maximum distance in metres.
    public var radiusMetres: Double
    /// Maximum age of the open case in hours.
    public var windowHours: Double

    /// Creates a policy; defaults 50 m and 72 hours.
    public init(radiusMetres: Double = 50, windowHours: Double = 72) {
        self.radiusMetres = radiusMetres
        self.windowHours = windowHours
    }

    /// The search box around a point.
    public func searchBox(around p: GeoPoint) -> BoundingBox {
        BoundingBox(minLat: p.lat, minLon: p.lon, maxLat: p.lat, maxLon: p.lon).expanded(byMetres: radiusMetres)
    }

    /// The earliest creation time of a candidate.
    public func since(_ now: Date) -> Date { now.addingTimeInterval(-windowHours * 3600) }

    /// The store query for open cases that may duplicate a report of `matterCode` at `point`.
    public func query(matterCode: String, around point: GeoPoint, now: Date, limit: Int = 50) -> OpenCasesQuery {
        OpenCasesQuery(matterCode: matterCode, box: searchBox(around: point), since: since(now), limit: limit)
    }

    /// Candidates that really are duplicates of a report at `point` of `matterCode`, nearest first.
    public func duplicates(
        of matterCode: String, at point: GeoPoint, excluding id: CaseID? = nil, among candidates: [CaseSummary], now: Date
    ) -> [DuplicateCandidate] {
        candidates
            .filter { $0.id != id && $0.matterCode == matterCode && $0.state.isOpen && $0.createdAt >= since(now) }
            .map { DuplicateCandidate(caseID: $0.id, number: $0.number, state: $0.state, distanceMetres: point.distance(to: $0.point)) }
            .filter { $0.distanceMetres <= radiusMetres }
            .sorted { $0.distanceMetres < $1.distanceMetres }
    }
}

/// An open case a new report may duplicate.
public struct DuplicateCandidate: Hashable, Codable, Sendable {
    /// The open case.
    public var caseID: CaseID
    /// Its number.
    public var number: String
    /// Its state.
    public var state: CaseState
    /// Distance from the new report in metres.
    public var distanceMetres: Double
}
