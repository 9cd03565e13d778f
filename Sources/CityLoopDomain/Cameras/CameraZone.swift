import Foundation

/// A zone of a camera's picture (画面区域): a polygon in normalised picture coordinates drawn by an administrator
/// around the roadway, the pavement or the bin corner, so that a detection counts only where it matters, and
/// optionally only for some detection types (vending on the pavement, parking on the roadway).
public struct CameraZone: Hashable, Codable, Sendable {
    /// The zone's ID, unique within its camera: 1–64 letters, digits or `_ . -`.
    public var id: String
    /// The zone's name, e.g. 人行道 (pavement), 1–100 characters.
    public var name: String
    /// The polygon's corners in order, 3...64 points in the picture; it is closed implicitly.
    public var points: [ImagePoint]
    /// The detection types that count in the zone; nil or empty means every type.
    public var types: Set<DetectionType>?

    /// Creates a zone.
    public init(id: String, name: String, points: [ImagePoint], types: Set<DetectionType>? = nil) {
        self.id = id
        self.name = name
        self.points = points
        self.types = types
    }

    /// Whether a detection of `type` counts in the zone.
    public func allows(_ type: DetectionType) -> Bool {
        guard let types, !types.isEmpty else { return true }
        return types.contains(type)
    }

    /// Whether `p` lies in the polygon by the even-odd rule; a point on an edge or corner counts as inside, so a box
    /// standing exactly on a zone's border is not lost.
    public func contains(_ p: ImagePoint) -> Bool {
        guard points.count >= 3 else { return false }
        var inside = false
        var j = points.count - 1
        for i in points.indices {
            let a = points[j], b = points[i]
            if Self.isOnSegment(p, a, b) { return true }
            // Half-open on y so a vertex shared by two edges is crossed once.
            if (b.y > p.y) != (a.y > p.y) {
                let xCross = b.x + (p.y - b.y) * (a.x - b.x) / (a.y - b.y)
                if p.x < xCross { inside.toggle() }
            }
            j = i
        }
        return inside
    }

    static func isOnSegment(_ p: ImagePoint, _ a: ImagePoint, _ b: ImagePoint) -> Bool {
        let eps = 1e-12
        let cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)
        guard abs(cross) <= eps else { return false }
        return p.x >= min(a.x, b.x) - eps && p.x <= max(a.x, b.x) + eps && p.y >= min(a.y, b.y) - eps
            && p.y <= max(a.y, b.y) + eps
    }

    /// The polygon's area as a fraction of the picture (shoelace formula; self-intersecting polygons net out).
    public var area: Double {
        guard points.count >= 3 else { return 0 }
        var twice = 0.0
        var j = points.count - 1
        for i in points.indices {
            twice += points[j].x * points[i].y - points[i].x * points[j].y
            j = i
        }
        return abs(twice) / 2
    }

    /// Throws when the ID, name or polygon is invalid, naming the field under `path`, e.g. `zones[2].points[5].x`.
    public func validate(at path: String) throws {
        guard CameraText.isToken(id, extra: "_.-", length: 1...64) else {
            throw DomainError.invalid("\(path).id", "\(path).id must be 1–64 letters, digits or _ . -", code: "camera.zone")
        }
        try CameraText.checkName(name, field: "\(path).name", length: 1...100, code: "camera.zone")
        guard (3...64).contains(points.count) else {
            throw DomainError.invalid(
                "\(path).points", "\(path).points must have 3–64 corners, not \(points.count)", code: "camera.zone")
        }
        for (i, p) in points.enumerated() {
            for (name, v) in [("x", p.x), ("y", p.y)] where !(v.isFinite && (0...1).contains(v)) {
                let field = "\(path).points[\(i)].\(name)"
                throw DomainError.invalid(field, "\(field) must be a number in 0...1", code: "camera.zone")
            }
        }
        guard area > 1e-9 else {
            throw DomainError.invalid("\(path).points", "\(path).points enclose no area", code: "camera.zone")
        }
    }
}
