import Foundation

/// A road segment assigned to a sanitation crew (保洁路段), as a polyline.
public struct RoadSegment: Hashable, Codable, Sendable {
    /// The segment's identifier.
    public var id: RoadSegmentID
    /// The segment's centre line, at least two points.
    public var points: [GeoPoint]

    /// Creates a segment.
    public init(id: RoadSegmentID, points: [GeoPoint]) {
        self.id = id
        self.points = points
    }
}
