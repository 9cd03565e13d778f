import Foundation

/// A road segment assigned to a sanitation crew (保洁路段), as a polyline.
public struct RoadSegment: Hashable, Codable, Sendable {
    /// The segment's identifier.
    public var id: RoadSegmentID
    /// The segment's centre line, at least two points.
    public var points: [GeoPoint]
    /// The road's name shown to operators (e.g. 金水路 from 经三路 to 经五路); optional.
    public var name: String?

    /// Creates a segment.
    public init(id: RoadSegmentID, points: [GeoPoint], name: String? = nil) {
        self.id = id
        self.points = points
        self.name = name
    }

    /// The most points a segment has.
    public static let maxPoints = 2000

    /// Throws an invalid-input error naming the field: an ID of 1–64 letters, digits or `_ . : -`, 2–2000 valid WGS84
    /// points, a name of at most 64 characters without control characters.
    public func validate() throws {
        if id.rawValue.range(of: "^[A-Za-z0-9_.:-]{1,64}$", options: .regularExpression) == nil {
            throw DomainError.invalid("id", "id must be 1–64 letters, digits or _ . : -", code: "segment.id")
        }
        guard (2...Self.maxPoints).contains(points.count), points.allSatisfy(\.isValid) else {
            throw DomainError.invalid("points", "a segment is 2–\(Self.maxPoints) valid WGS84 points", code: "segment.points")
        }
        if let name {
            try TextRules.check(name, field: "name")
            guard name.count <= 64 else { throw DomainError.invalid("name", "a name is at most 64 characters", code: "segment.name") }
        }
    }
}
