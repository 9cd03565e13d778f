import Foundation

/// A spatial index answering "which polygon contains this point" for a tiling of unit grids.
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
        let cells = Double(n) * cellsPerPolygon
        let aspect = spanLon / spanLat
        let ny = max(1, Int((cells / aspect).squareRoot().rounded()))
        let nx = max(1, Int((cells / Double(ny)).rounded()))
        self.nx = nx
        self.ny = ny
        cellLat = spanLat / Double(ny)
        cellLon = spanLon / Double(nx)

        var counts = [Int32](repeating: 0, count: nx * ny + 1)
        func cellRange(_ i: Int) -> (ClosedRange<Int>, ClosedRange<Int>) {
            let y0 = Swift.max(0, Swift.min(ny - 1, Int((boxes[4 * i] - bounds.minLat) / (spanLat / Double(ny)))))
            let y1 = Swift.max(0, Swift.min(ny - 1, Int((boxes[4 * i + 2] - bounds.minLat) / (spanLat / Double(ny)))))
            let x0 = Swift.max(0, Swift.min(nx - 1, Int((boxes[4 * i + 1] - bounds.minLon) / (spanLon / Double(nx)))))
            let x1 = Swift.max(0, Swift.min(nx - 1, Int((boxes[4 * i + 3] - bounds.minLon) / (spanLon / Double(nx)))))
            return (y0...y1, x0...x1)
        }
        for i in polygons.indices {
            let (ys, xs) = cellRange(i)
            for y in ys { for x in xs { counts[y * nx + x + 1] += 1 } }
        }
        for c in 1..<counts.count { counts[c] += counts[c - 1] }
        var fill = counts
        var items = [Int32](repeating: 0, count: Int(counts.last ?? 0))
        for i in polygons.indices {
            let (ys, xs) = cellRange(i)
            for y in ys {
                for x in xs {
                    let c = y * nx + x
                    items[Int(fill[c])] = Int32(i)
                    fill[c] += 1
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
        guard lat >= bounds.minLat, lat <= bounds.maxLat, lon >= bounds.minLon, lon <= bounds.maxLon else {
            return nil
        }
        let y = Swift.min(ny - 1, Int((lat - bounds.minLat) / cellLat))
        let x = Swift.min(nx - 1, Int((lon - bounds.minLon) / cellLon))
        let c = y * nx + x
        return cellItems.withUnsafeBufferPointer { items in
            boxes.withUnsafeBufferPointer { box in
                lats.withUnsafeBufferPointer { la in
                    lons.withUnsafeBufferPointer { lo in
                        for k in Int(cellStart[c])..<Int(cellStart[c + 1]) {
                            let i = Int(items[k])
                            let b = 4 * i
                            if lat < box[b] || lat > box[b + 2] || lon < box[b + 1] || lon > box[b + 3] { continue }
                            if hasHoles[i] {
                                if polygons[i].contains(GeoPoint(lat: lat, lon: lon)) { return i }
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
                            if inside { return i }
                        }
                        return nil
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
