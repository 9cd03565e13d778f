import Foundation

/// A sample point of a polygon's interior on a regular lattice, with its row and column (for grouping
/// neighbouring samples into regions).
public struct LatticeSample: Sendable {
    /// Row (south to north) and column (west to east) in the lattice.
    public var row: Int, column: Int
    /// The point.
    public var point: GeoPoint
}

extension Polygon {
    /// The centres of a lattice of `spacingMetres` squares that fall inside the polygon, found row by row from
    /// where each row crosses the rings (no point-in-polygon test per sample, so a district with thousands of
    /// vertices is sampled as fast as a square). Each sample stands for `spacingMetres²` of area.
    public func latticeSamples(spacingMetres s: Double) -> [LatticeSample] {
        let box = boundingBox
        let midLat = (box.minLat + box.maxLat) / 2
        let dLat = s / (GeoPoint.earthRadius * .pi / 180)
        let dLon = dLat / max(cos(midLat * .pi / 180), 1e-6)
        let rows = Int(((box.maxLat - box.minLat) / dLat).rounded(.up))
        let columns = Int(((box.maxLon - box.minLon) / dLon).rounded(.up))
        let ringList = rings.filter { $0.count >= 3 }
        var out: [LatticeSample] = []
        for r in 0..<max(rows, 0) {
            let lat = box.minLat + (Double(r) + 0.5) * dLat
            var xs: [Double] = []
            for ring in ringList {
                var j = ring.count - 1
                for i in 0..<ring.count {
                    let a = ring[i], b = ring[j]
                    if (a.lat > lat) != (b.lat > lat) { xs.append((b.lon - a.lon) * (lat - a.lat) / (b.lat - a.lat) + a.lon) }
                    j = i
                }
            }
            xs.sort()
            var k = 0
            while k + 1 < xs.count {
                // Inside between crossings 0–1, 2–3, … (even-odd), the same rule as `contains`.
                let c0 = max(0, Int(((xs[k] - box.minLon) / dLon - 0.5).rounded(.up)))
                let c1 = min(columns - 1, Int(((xs[k + 1] - box.minLon) / dLon - 0.5).rounded(.down)))
                if c0 <= c1 {
                    for c in c0...c1 {
                        let lon = box.minLon + (Double(c) + 0.5) * dLon
                        if lon > xs[k], lon < xs[k + 1] { out.append(LatticeSample(row: r, column: c, point: GeoPoint(lat: lat, lon: lon))) }
                    }
                }
                k += 2
            }
        }
        return out
    }
}

extension Array where Element == LatticeSample {
    /// The samples grouped into regions of lattice neighbours (edge-adjacent), largest first.
    public func regions() -> [[LatticeSample]] {
        var byCell: [Int64: Int] = [:]
        for (i, s) in enumerated() { byCell[Int64(s.row) << 32 | Int64(UInt32(truncatingIfNeeded: s.column))] = i }
        var seen = [Bool](repeating: false, count: count)
        var out: [[LatticeSample]] = []
        for start in indices where !seen[start] {
            var region: [LatticeSample] = []
            var stack = [start]
            seen[start] = true
            while let i = stack.popLast() {
                region.append(self[i])
                for (dr, dc) in [(1, 0), (-1, 0), (0, 1), (0, -1)] {
                    let key = Int64(self[i].row + dr) << 32 | Int64(UInt32(truncatingIfNeeded: self[i].column + dc))
                    if let j = byCell[key], !seen[j] {
                        seen[j] = true
                        stack.append(j)
                    }
                }
            }
            out.append(region)
        }
        return out.sorted { $0.count > $1.count }
    }
}
