import Foundation

/// A point in a camera's picture (画面坐标), normalised: `x` from the left edge (0) to the right (1), `y` from the top
/// edge (0) down to the bottom (1), whatever the stream's resolution.
public struct ImagePoint: Hashable, Codable, Sendable {
    /// From the left edge, 0...1.
    public var x: Double
    /// From the top edge, 0...1.
    public var y: Double

    /// Creates a point.
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// Whether both coordinates are finite and within the picture.
    public var isInPicture: Bool { x.isFinite && y.isFinite && (0...1).contains(x) && (0...1).contains(y) }
}
