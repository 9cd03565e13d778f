import Foundation

/// How much of its assigned roads a sanitation vehicle drove in a shift (清扫保洁覆盖率).
///
/// Each segment is cut into pieces of at most `sampleMetres`; a piece counts as driven when the track passes within
/// `radiusMetres` of its midpoint. The track is its fixes in time order, consecutive fixes at most
/// `joinWithinSeconds` apart joined by a straight line: a sweeper reporting every 30 s at 10 km/h lies 80 m
/// between fixes and has driven the road between them. Fixes too far apart for 150 km/h are a GPS jump and are
/// not joined; with `joinWithinSeconds` nil only the fixes themselves count. Distances are taken in one
/// equirectangular projection around the roads' centre, exact enough across a city.
public struct RouteCoverage: Hashable, Codable, Sendable {
    /// One segment's coverage.
    public struct Segment: Hashable, Codable, Sendable {
        /// The segment.
        public var id: RoadSegmentID
        /// Its length in metres.
        public var lengthMetres: Double
        /// The length of its driven pieces in metres.
        public var drivenMetres: Double

        /// The driven share, 0...1 (0 for a segment of no length).
        public var share: Double { lengthMetres > 0 ? drivenMetres / lengthMetres : 0 }
    }

    /// The segments in the order given.
    public var segments: [Segment]

    /// The assigned roads' total length in metres.
    public var lengthMetres: Double { segments.reduce(0) { $0 + $1.lengthMetres } }
    /// The driven length in metres.
    public var drivenMetres: Double { segments.reduce(0) { $0 + $1.drivenMetres } }
    /// The driven share of all assigned roads, 0...1 (0 when there are none).
    public var share: Double {
        let total = lengthMetres
        return total > 0 ? drivenMetres / total : 0
    }

    /// Measures the coverage of `segments` by the fixes of `track` (reports without a usable fix are skipped).
    /// Throws an invalid-input error for a non-positive radius or sample length, a negative join time, or a segment
    /// with fewer than two valid points.
    public init(
        segments: [RoadSegment], track: [VehiclePosition], radiusMetres: Double = 15, sampleMetres: Double = 5,
        joinWithinSeconds: TimeInterval? = 60
    ) throws {
        guard radiusMetres.isFinite, radiusMetres > 0 else {
            throw DomainError.invalid("radiusMetres", "the radius must be a positive number of metres", code: "coverage.invalid")
        }
        guard sampleMetres.isFinite, sampleMetres > 0 else {
            throw DomainError.invalid("sampleMetres", "the sample length must be a positive number of metres", code: "coverage.invalid")
        }
        if let j = joinWithinSeconds, !(j.isFinite && j >= 0) {
            throw DomainError.invalid("joinWithinSeconds", "the join time must be at least 0 seconds", code: "coverage.invalid")
        }
        for s in segments where s.points.count < 2 || !s.points.allSatisfy(\.isValid) {
            throw DomainError.invalid("segments", "segment '\(s.id)' needs at least 2 valid points", code: "coverage.invalid")
        }
        let ref = BoundingBox(points: segments.flatMap(\.points))?.center ?? GeoPoint(lat: 0, lon: 0)
        let fixes = track.filter(\.hasUsableFix).sorted { $0.time < $1.time }
        let grid = TrackGrid(fixes: fixes, ref: ref, radius: radiusMetres, joinWithinSeconds: joinWithinSeconds)
        self.segments = segments.map { seg in
            var length = 0.0, driven = 0.0
            var a = Polygon.project(seg.points[0], ref)
            for v in seg.points.dropFirst() {
                let b = Polygon.project(v, ref)
                let edge = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
                let n = max(1, Int((edge / sampleMetres).rounded(.up)))
                let piece = edge / Double(n)
                for k in 0..<n {
                    let t = (Double(k) + 0.5) / Double(n)
                    if grid.isNear(x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y)) { driven += piece }
                }
                length += edge
                a = b
            }
            return Segment(id: seg.id, lengthMetres: length, drivenMetres: driven)
        }
    }
}

/// The track's pieces (joined fixes, or single fixes) bucketed on a square lattice in metres, for "is the track
/// within the radius of this point".
private struct TrackGrid {
    typealias XY = (x: Double, y: Double)
    let pieces: [(XY, XY)]
    let buckets: [Int64: [Int32]]
    let size: Double
    let radius2: Double
    /// 150 km/h in m/s: two fixes farther apart than this allows are a GPS jump, not a road driven.
    static let glitchSpeed = 150 / 3.6

    init(fixes: [VehiclePosition], ref: GeoPoint, radius: Double, joinWithinSeconds: TimeInterval?) {
        var pieces: [(XY, XY)] = []
        for (k, f) in fixes.enumerated() {
            let here = Polygon.project(f.point, ref)
            let gap = k > 0 ? f.time.timeIntervalSince(fixes[k - 1].time) : .infinity
            if let join = joinWithinSeconds, gap <= join,
                fixes[k - 1].point.distance(to: f.point) <= max(gap, 1) * Self.glitchSpeed
            {
                pieces.append((Polygon.project(fixes[k - 1].point, ref), here))
            } else {
                pieces.append((here, here))
            }
        }
        let size = max(2 * radius, 10)
        var buckets: [Int64: [Int32]] = [:]
        for (i, (a, b)) in pieces.enumerated() {
            let x0 = Self.cell(min(a.x, b.x) - radius, size), x1 = Self.cell(max(a.x, b.x) + radius, size)
            let y0 = Self.cell(min(a.y, b.y) - radius, size), y1 = Self.cell(max(a.y, b.y) + radius, size)
            for x in x0...x1 { for y in y0...y1 { buckets[Self.key(x, y), default: []].append(Int32(i)) } }
        }
        self.pieces = pieces
        self.buckets = buckets
        self.size = size
        radius2 = radius * radius
    }

    static func cell(_ v: Double, _ size: Double) -> Int64 { Int64((v / size).rounded(.down)) }
    static func key(_ x: Int64, _ y: Int64) -> Int64 { (x << 32) ^ (y & 0xFFFF_FFFF) }

    func isNear(x: Double, y: Double) -> Bool {
        guard let list = buckets[Self.key(Self.cell(x, size), Self.cell(y, size))] else { return false }
        return list.contains { PolylineGeometry.squaredDistance(px: x, py: y, pieces[Int($0)].0, pieces[Int($0)].1) <= radius2 }
    }
}
