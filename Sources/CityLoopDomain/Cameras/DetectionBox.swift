import Foundation

/// A box around a detected object (目标框) in normalised picture coordinates: `x`, `y` its top-left corner, `width`
/// and `height` its size, all in 0...1 and within the picture (`x + width ≤ 1`, `y + height ≤ 1`).
/// (Named apart from the map's `BoundingBox`, which is in degrees.)
public struct DetectionBox: Hashable, Codable, Sendable {
    /// The left edge, 0...1.
    public var x: Double
    /// The top edge, 0...1.
    public var y: Double
    /// The width, 0 excluded to 1.
    public var width: Double
    /// The height, 0 excluded to 1.
    public var height: Double
    /// The model's label for the object, e.g. `stall` or `garbage_bag`, when it sends one.
    public var label: String?
    /// The model's confidence in this box, 0...1, when it sends one per box.
    public var score: Double?

    /// Creates a box.
    public init(x: Double, y: Double, width: Double, height: Double, label: String? = nil, score: Double? = nil) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.label = label
        self.score = score
    }

    /// The middle of the bottom edge: where the object stands on the ground, the point zones are tested with.
    public var bottomCenter: ImagePoint { ImagePoint(x: x + width / 2, y: y + height) }

    /// The area, as a fraction of the picture.
    public var area: Double { width * height }

    /// Intersection over union with `other`: 0 for disjoint boxes, 1 for the same box.
    public func iou(_ other: DetectionBox) -> Double {
        let w = min(x + width, other.x + other.width) - max(x, other.x)
        let h = min(y + height, other.y + other.height) - max(y, other.y)
        guard w > 0, h > 0 else { return 0 }
        let inter = w * h
        let union = area + other.area - inter
        return union > 0 ? inter / union : 0
    }

    // Sums of two normalised values may overshoot 1 by a rounding error: 0.7 + 0.3 is 1.0000000000000002.
    static let tolerance = 1e-9

    /// Throws when a coordinate is out of range, naming the field under `path`, e.g. `boxes[1].width`.
    public func validate(at path: String) throws {
        func fail(_ field: String, _ message: String) -> DomainError {
            DomainError.invalid("\(path).\(field)", "\(path).\(field) \(message)", code: "detection.box")
        }
        for (name, v) in [("x", x), ("y", y)] where !(v.isFinite && (0...1).contains(v)) {
            throw fail(name, "must be a number in 0...1")
        }
        for (name, v) in [("width", width), ("height", height)] where !(v.isFinite && v > 0 && v <= 1) {
            throw fail(name, "must be a number above 0 and at most 1")
        }
        guard x + width <= 1 + Self.tolerance else { throw fail("width", "runs past the right edge: x + width > 1") }
        guard y + height <= 1 + Self.tolerance else { throw fail("height", "runs past the bottom edge: y + height > 1") }
        if let s = score, !(s.isFinite && (0...1).contains(s)) { throw fail("score", "must be a number in 0...1") }
        if let label {
            guard !CameraText.hasControl(label), (1...64).contains(label.count) else {
                throw fail("label", "must be 1–64 characters without control characters")
            }
        }
    }
}
