import Foundation

/// A spatial index answering "which polygon contains this point": for a tiling of unit grids (`locate`), and for
/// polygons that overlap, such as vehicle sites (`forEachPolygon`).
///
/// Polygons' outer rings are stored in flat coordinate arrays and bucketed on a uniform lattice over
/// the city, each bucket listing the polygons whose bounding box touches it. A lookup is one bucket
/// computation, a few bounding-box checks and usually one crossing-number test: no allocation.
public struct GridIndex: Sendable {
    /// The polygons in insertion order.
    public let polygons: [Polygon]
    /// The area covered by all polygons.
    public let bounds: BoundingBox

    private let lats: [Double]
    private let lons: [Double]
    private let ringStart: [Int32]  // polygon i's outer ring is lats[ringStart[i]..<ringStart[i+1]]
    private let boxes: [Double]  // 4 per polygon: minLat, minLon, maxLat, maxLon
    private let hasHoles: [Bool]
    private let cellStart: [Int32]
    private let cellItems: [Int32]
    private let nx: Int
    private let ny: Int
    private let cellLat: Double
    private let cellLon: Double

    /// Builds the index. `cellsPerPolygon` trades memory for fewer candidates per lookup.
    public init(polygons: [Polygon], cellsPerPolygon: Double = 4) {
        self.polygons = polygons
        var bounds = polygons.first?.boundingBox ?? BoundingBox(minLat: 0, minLon: 0, maxLat: 0, maxLon: 0)
        var lats: [Double] = [], lons: [Double] = [], ringStart: [Int32] = [0], boxes: [Double] = []
        var hasHoles: [Bool] = []
        for p in polygons {
            let b = p.boundingBox
            bounds.include(b)
            boxes += [b.minLat, b.minLon, b.maxLat, b.maxLon]
            for v in p.outer {
                lats.append(v.lat)
                lons.append(v.lon)
            }
            ringStart.append(Int32(lats.count))
            // Holes and further parts take the polygon's own test; the flat ring is the first part's outline.
            hasHoles.append(!p.holes.isEmpty || !p.otherParts.isEmpty)
        }
        self.bounds = bounds
        self.lats = lats
        self.lons = lons
        self.ringStart = ringStart
        self.boxes = boxes
        self.hasHoles = hasHoles

        let n = max(polygons.count, 1)
        let spanLat = max(bounds.maxLat - bounds.minLat, 1e-9)
        let spanLon = max(bounds.maxLon - bounds.minLon, 1e-9)
        // The lattice is coarsened while very large polygons (overlapping sites, not a tiling) would make the buckets
        // list more than this many entries.
        let budget = max(1 << 20, 64 * n)
        var cells = min(Double(n) * (cellsPerPolygon.isFinite && cellsPerPolygon > 0 ? cellsPerPolygon : 4), Double(1 << 24))
        var lattice = Lattice(bounds: bounds, nx: 1, ny: 1)
        while true {
            let ny = max(1, min(1 << 24, Int((cells * spanLat / spanLon).squareRoot().rounded())))
            lattice = Lattice(bounds: bounds, nx: max(1, min(1 << 24, Int((cells / Double(ny)).rounded()))), ny: ny)
            let total = polygons.indices.reduce(0) { sum, i in
                let r = lattice.range(boxes, i)
                return sum + r.ys.count * r.xs.count
            }
            if total <= budget || lattice.nx * lattice.ny == 1 { break }
            cells /= 4
        }
        let nx = lattice.nx
        self.nx = nx
        ny = lattice.ny
        cellLat = lattice.cellLat
        cellLon = lattice.cellLon

        var counts = [Int32](repeating: 0, count: nx * lattice.ny + 1)
        for i in polygons.indices {
            let r = lattice.range(boxes, i)
            for y in r.ys { for x in r.xs { counts[y * nx + x + 1] += 1 } }
        }
        for c in 1..<counts.count { counts[c] += counts[c - 1] }
        var fill = counts
        var items = [Int32](repeating: 0, count: Int(counts.last ?? 0))
        for i in polygons.indices {
            let r = lattice.range(boxes, i)
            for y in r.ys {
                for x in r.xs {
                    items[Int(fill[y * nx + x])] = Int32(i)
                    fill[y * nx + x] += 1
                }
            }
        }
        cellStart = counts
        cellItems = items
    }

    /// The index of the polygon containing `p`, or nil when no polygon does.
    @inlinable
    public func locate(_ p: GeoPoint) -> Int? {
        locate(lat: p.lat, lon: p.lon)
    }

    /// The index of the polygon containing the point, or nil when no polygon does.
    public func locate(lat: Double, lon: Double) -> Int? {
        var found: Int?
        forEachPolygon(containingLat: lat, lon: lon) { i in
            found = i
            return false
        }
        return found
    }

    /// Calls `body` with the index of every polygon containing the point, ascending, until it returns false; allocates
    /// nothing. For polygons that overlap (sites); a tiling has at most one.
    public func forEachPolygon(containingLat lat: Double, lon: Double, _ body: (Int) -> Bool) {
        guard lat >= bounds.minLat, lat <= bounds.maxLat, lon >= bounds.minLon, lon <= bounds.maxLon else { return }
        let c = Lattice.cell(lat, bounds.minLat, cellLat, ny) * nx + Lattice.cell(lon, bounds.minLon, cellLon, nx)
        cellItems.withUnsafeBufferPointer { items in
            boxes.withUnsafeBufferPointer { box in
                lats.withUnsafeBufferPointer { la in
                    lons.withUnsafeBufferPointer { lo in
                        for k in Int(cellStart[c])..<Int(cellStart[c + 1]) {
                            let i = Int(items[k])
                            let b = 4 * i
                            if lat < box[b] || lat > box[b + 2] || lon < box[b + 1] || lon > box[b + 3] { continue }
                            if hasHoles[i] {
                                if polygons[i].contains(GeoPoint(lat: lat, lon: lon)), !body(i) { return }
                                continue
                            }
                            let s = Int(ringStart[i]), e = Int(ringStart[i + 1])
                            var inside = false
                            var j = e - 1
                            for v in s..<e {
                                let alat = la[v], blat = la[j]
                                if (alat > lat) != (blat > lat) {
                                    // Same fixed endpoint order as Polygon.ringContains (see there).
                                    let (l, h) = alat < blat ? (v, j) : (j, v)
                                    let xc = (lo[h] - lo[l]) * (lat - la[l]) / (la[h] - la[l]) + lo[l]
                                    if lon < xc { inside.toggle() }
                                }
                                j = v
                            }
                            if inside, !body(i) { return }
                        }
                    }
                }
            }
        }
    }

    /// The brute-force answer: the first polygon containing `p`, testing every polygon. For checking the index.
    public func locateBruteForce(_ p: GeoPoint) -> Int? {
        polygons.firstIndex { $0.contains(p) }
    }

    /// Indices of polygons whose bounding boxes intersect `box` (candidates for overlap checks).
    public func candidates(intersecting box: BoundingBox) -> [Int] {
        guard box.intersects(bounds) || box == bounds else { return [] }
        let y0 = Swift.max(0, Int((box.minLat - bounds.minLat) / cellLat))
        let y1 = Swift.min(ny - 1, Int((box.maxLat - bounds.minLat) / cellLat))
        let x0 = Swift.max(0, Int((box.minLon - bounds.minLon) / cellLon))
        let x1 = Swift.min(nx - 1, Int((box.maxLon - bounds.minLon) / cellLon))
        guard y0 <= y1, x0 <= x1 else { return [] }
        var seen = Set<Int32>()
        for y in y0...y1 {
            for x in x0...x1 {
                let c = y * nx + x
                for k in Int(cellStart[c])..<Int(cellStart[c + 1]) { seen.insert(cellItems[k]) }
            }
        }
        return seen.map(Int.init).sorted()
    }
}

/// The bucket lattice over the polygons' extent.
private struct Lattice {
    let bounds: BoundingBox
    let nx: Int
    let ny: Int
    let cellLat: Double
    let cellLon: Double

    init(bounds: BoundingBox, nx: Int, ny: Int) {
        self.bounds = bounds
        self.nx = nx
        self.ny = ny
        cellLat = max(bounds.maxLat - bounds.minLat, 1e-9) / Double(ny)
        cellLon = max(bounds.maxLon - bounds.minLon, 1e-9) / Double(nx)
    }

    /// The rows and columns of the buckets polygon `i`'s box touches.
    func range(_ boxes: [Double], _ i: Int) -> (ys: ClosedRange<Int>, xs: ClosedRange<Int>) {
        (Self.cell(boxes[4 * i], bounds.minLat, cellLat, ny)...Self.cell(boxes[4 * i + 2], bounds.minLat, cellLat, ny),
         Self.cell(boxes[4 * i + 1], bounds.minLon, cellLon, nx)...Self.cell(boxes[4 * i + 3], bounds.minLon, cellLon, nx))
    }

    /// The lattice row or column of coordinate `v`: the same expression for boxes and lookups, so a point inside
    /// a box always falls in one of the box's buckets.
    @inline(__always)
    static func cell(_ v: Double, _ origin: Double, _ size: Double, _ count: Int) -> Int {
        max(0, min(count - 1, Int((v - origin) / size)))
    }
}
