import Foundation

/// Square-ish cells of 0.001° (about 110 m × 90 m at 35° N) for the duplicate lookup: a 50 m search box
/// touches at most four cells, and the index seeks straight into each of them.
public enum DuplicateCell {
    /// The cell size in degrees.
    public static let size = 0.001
    /// A search box touching more cells than this falls back to a latitude-band scan.
    public static let maxCells = 64

    /// The cell holding a point.
    public static func cell(lat: Double, lon: Double) -> Int64 {
        cell(row: Int64(((lat + 90) / size).rounded(.down)), column: Int64(((lon + 180) / size).rounded(.down)))
    }

    /// The cell of a row and column of the lattice.
    public static func cell(row: Int64, column: Int64) -> Int64 { row * 1_000_000 + column }

    /// Every cell a box touches, or nil when there are more than `maxCells`.
    public static func cells(covering box: BoundingBox) -> [Int64]? {
        let r0 = Int64(((box.minLat + 90) / size).rounded(.down)), r1 = Int64(((box.maxLat + 90) / size).rounded(.down))
        let c0 = Int64(((box.minLon + 180) / size).rounded(.down)), c1 = Int64(((box.maxLon + 180) / size).rounded(.down))
        guard r1 >= r0, c1 >= c0, (r1 - r0 + 1) * (c1 - c0 + 1) <= Int64(maxCells) else { return nil }
        return (r0...r1).flatMap { r in (c0...c1).map { cell(row: r, column: $0) } }
    }
}
