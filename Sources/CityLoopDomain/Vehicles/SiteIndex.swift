import Foundation

/// A spatial index over site outlines (场地空间索引) that may overlap, answering "which sites contain this point".
///
/// As the platform's `GridIndex`: outer rings in flat coordinate arrays, bucketed on a uniform lattice in degrees
/// over the sites' extent, each bucket listing (in site order) the sites whose bounding box touches it. A lookup
/// is one bucket computation, a few bounding-box checks and crossing-number tests, and no allocation when it
/// calls back (`forEachIndex`). Sites with holes or several parts take `Polygon.contains`, so every answer equals
/// a scan of all sites.
public struct SiteIndex: Sendable, Equatable {
    /// The sites in the order given; lookups answer positions in this array, ascending.
    public let sites: [Site]
    /// The extent of all sites.
    public let bounds: BoundingBox

    private let positions: [SiteID: Int]
    private let lats: [Double]
    private let lons: [Double]
    private let ringStart: [Int32]  // site i's outer ring is lats[ringStart[i]..<ringStart[i+1]]
    private let boxes: [Double]  // 4 per site: minLat, minLon, maxLat, maxLon
    private let needsPolygon: [Bool]
    private let cellStart: [Int32]
    private let cellItems: [Int32]
    private let nx: Int
    private let ny: Int
    private let cellLat: Double
    private let cellLon: Double

    /// An index of no sites.
    public init() { self.init(checked: [], cellsPerSite: 1) }

    /// Builds the index; throws when a site fails `Site.validate()` or two sites share an ID. `cellsPerSite`
    /// trades memory for fewer candidates per lookup; the lattice is coarsened when very large sites would make the
    /// buckets hold more than about 64 entries per site.
    public init(sites: [Site], cellsPerSite: Double = 4) throws {
        var seen = Set<SiteID>()
        for s in sites {
            try s.validate()
            guard seen.insert(s.id).inserted else {
                throw DomainError(.conflict, code: "site.duplicate", "site ID '\(s.id)' appears twice", field: "id")
            }
        }
        self.init(checked: sites, cellsPerSite: cellsPerSite)
    }

    private init(checked sites: [Site], cellsPerSite: Double) {
        self.sites = sites
        var positions: [SiteID: Int] = [:]
        var bounds = sites.first?.boundary.boundingBox ?? BoundingBox(minLat: 0, minLon: 0, maxLat: 0, maxLon: 0)
        var lats: [Double] = [], lons: [Double] = [], ringStart: [Int32] = [0], boxes: [Double] = []
        var needsPolygon: [Bool] = []
        for (i, s) in sites.enumerated() {
            positions[s.id] = i
            let b = s.boundary.boundingBox
            bounds.include(b)
            boxes += [b.minLat, b.minLon, b.maxLat, b.maxLon]
            for v in s.boundary.outer {
                lats.append(v.lat)
                lons.append(v.lon)
            }
            ringStart.append(Int32(lats.count))
            needsPolygon.append(!s.boundary.holes.isEmpty || !s.boundary.otherParts.isEmpty)
        }
        self.positions = positions
        self.bounds = bounds
        self.lats = lats
        self.lons = lons
        self.ringStart = ringStart
        self.boxes = boxes
        self.needsPolygon = needsPolygon

        let n = max(sites.count, 1)
        let spanLat = max(bounds.maxLat - bounds.minLat, 1e-9)
        let spanLon = max(bounds.maxLon - bounds.minLon, 1e-9)
        // The lattice is coarsened while very large sites would make it list more than this many entries.
        let budget = max(1 << 20, 64 * n)
        let perSite = cellsPerSite.isFinite && cellsPerSite > 0 ? cellsPerSite : 4
        var cells = min(Double(n) * perSite, Double(1 << 24))
        var lattice = Lattice(bounds: bounds, nx: 1, ny: 1)
        while true {
            let ny = max(1, min(1 << 24, Int((cells * spanLat / spanLon).squareRoot().rounded())))
            lattice = Lattice(bounds: bounds, nx: max(1, min(1 << 24, Int((cells / Double(ny)).rounded()))), ny: ny)
            let total = (0..<sites.count).reduce(0) { sum, i in
                let r = lattice.range(boxes, i)
                return sum + r.ys.count * r.xs.count
            }
            if total <= budget || lattice.nx * lattice.ny == 1 { break }
            cells /= 4
        }
        nx = lattice.nx
        ny = lattice.ny
        cellLat = lattice.cellLat
        cellLon = lattice.cellLon

        var counts = [Int32](repeating: 0, count: nx * ny + 1)
        for i in 0..<sites.count {
            let r = lattice.range(boxes, i)
            for y in r.ys { for x in r.xs { counts[y * nx + x + 1] += 1 } }
        }
        for c in 1..<counts.count { counts[c] += counts[c - 1] }
        var fill = counts
        var items = [Int32](repeating: 0, count: Int(counts[nx * ny]))
        for i in 0..<sites.count {
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

    /// The bucket lattice over the sites' extent.
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

        /// The rows and columns of the buckets site `i`'s box touches.
        func range(_ boxes: [Double], _ i: Int) -> (ys: ClosedRange<Int>, xs: ClosedRange<Int>) {
            (SiteIndex.cell(boxes[4 * i], bounds.minLat, cellLat, ny)...SiteIndex.cell(boxes[4 * i + 2], bounds.minLat, cellLat, ny),
             SiteIndex.cell(boxes[4 * i + 1], bounds.minLon, cellLon, nx)...SiteIndex.cell(boxes[4 * i + 3], bounds.minLon, cellLon, nx))
        }
    }

    /// The lattice row or column of coordinate `v`: the same expression for boxes and lookups, so a point inside
    /// a box always falls in one of the box's buckets.
    @inline(__always)
    fileprivate static func cell(_ v: Double, _ origin: Double, _ size: Double, _ count: Int) -> Int {
        max(0, min(count - 1, Int((v - origin) / size)))
    }

    /// The site with this ID, nil when there is none.
    public func site(id: SiteID) -> Site? { positions[id].map { sites[$0] } }

    /// The position in `sites` of the site with this ID.
    public func position(of id: SiteID) -> Int? { positions[id] }

    /// Calls `body` with the position of every site containing `p`, ascending; allocates nothing.
    public func forEachIndex(containing p: GeoPoint, _ body: (Int) -> Void) {
        let lat = p.lat, lon = p.lon
        guard lat >= bounds.minLat, lat <= bounds.maxLat, lon >= bounds.minLon, lon <= bounds.maxLon else { return }
        let c = Self.cell(lat, bounds.minLat, cellLat, ny) * nx + Self.cell(lon, bounds.minLon, cellLon, nx)
        cellItems.withUnsafeBufferPointer { items in
            boxes.withUnsafeBufferPointer { box in
                lats.withUnsafeBufferPointer { la in
                    lons.withUnsafeBufferPointer { lo in
                        for k in Int(cellStart[c])..<Int(cellStart[c + 1]) {
                            let i = Int(items[k])
                            let b = 4 * i
                            if lat < box[b] || lat > box[b + 2] || lon < box[b + 1] || lon > box[b + 3] { continue }
                            if needsPolygon[i] {
                                if sites[i].boundary.contains(p) { body(i) }
                                continue
                            }
                            let s = Int(ringStart[i]), e = Int(ringStart[i + 1])
                            var inside = false
                            var j = e - 1
                            for v in s..<e {
                                let alat = la[v], blat = la[j]
                                if (alat > lat) != (blat > lat) {
                                    // Same fixed endpoint order as Polygon.ringContains, so answers match it to the bit.
                                    let (l, h) = alat < blat ? (v, j) : (j, v)
                                    let xc = (lo[h] - lo[l]) * (lat - la[l]) / (la[h] - la[l]) + lo[l]
                                    if lon < xc { inside.toggle() }
                                }
                                j = v
                            }
                            if inside { body(i) }
                        }
                    }
                }
            }
        }
    }

    /// The positions in `sites` of the sites containing `p`, ascending.
    public func indices(containing p: GeoPoint) -> [Int] {
        var out: [Int] = []
        forEachIndex(containing: p) { out.append($0) }
        return out
    }

    /// The sites containing `p`, in index order.
    public func sites(containing p: GeoPoint) -> [Site] { indices(containing: p).map { sites[$0] } }

    /// The brute-force answer: every site tested in turn with `Polygon.contains` (after its bounding box, which
    /// leaves the answer unchanged). For checking the index.
    public func indicesBruteForce(containing p: GeoPoint) -> [Int] {
        var out: [Int] = []
        boxes.withUnsafeBufferPointer { box in
            for i in 0..<sites.count where p.lat >= box[4 * i] && p.lat <= box[4 * i + 2] && p.lon >= box[4 * i + 1] && p.lon <= box[4 * i + 3] {
                if sites[i].boundary.contains(p) { out.append(i) }
            }
        }
        return out
    }

    /// Two indexes are equal when they hold the same sites on the same lattice.
    public static func == (l: SiteIndex, r: SiteIndex) -> Bool {
        l.sites == r.sites && l.nx == r.nx && l.ny == r.ny
    }
}
