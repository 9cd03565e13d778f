import CityLoopDomain
import Foundation

/// The demo city's map: six Zhengzhou districts laid out 3 × 2 around 34.75 N, 113.65 E, cut into streets,
/// communities and unit grids of about 100 m × 100 m on a slightly jittered lattice, so every area is the
/// exact union of its grids: full coverage, no overlaps (全域覆盖、互不重叠).
public enum DemoGeography {
    /// The demo city's centre.
    public static let center = GeoPoint(lat: 34.75, lon: 113.65)
    /// District codes and names (GB/T 2260, Zhengzhou).
    public static let districts: [(String, String)] = [
        ("410102", "中原区"), ("410103", "二七区"), ("410104", "管城回族区"), ("410105", "金水区"), ("410108", "惠济区"),
        ("410122", "中牟县"),
    ]
    static let streetNames = [
        "林山寨", "建设路", "棉纺路", "秦岭路", "汝河路", "桐柏路", "三官庙", "绿东村", "须水", "航海路", "大学路", "淮河路", "福华街", "蜜蜂张",
        "长江路", "德化街", "人和路", "京广路", "五里堡", "嵩山路", "经八路", "花园路", "文化路", "丰产路", "南阳路", "杜岭", "未来路", "大石桥",
        "东风路", "北林路", "如意湖", "龙子湖", "博学路", "祭城路", "国基路", "兴达路",
    ]
    static let communityWords = ["和平", "幸福", "光明", "友爱", "锦华", "翠竹", "春晖", "东明", "阳光", "新村", "文苑", "金桥"]

    /// Areas and grids for a scale, deterministic from the seed.
    public static func build(scale: DemoScale, seed: UInt64) -> (areas: [Area], grids: [UnitGrid]) {
        let s = scale.streetsPerSide, c = scale.communitiesPerSide
        let commCols = scale.gridsAcross, commRows = scale.gridsDown
        let distCols = s * c * commCols, distRows = s * c * commRows
        let nx = 3 * distCols, ny = 2 * distRows
        let cellLat = 0.0009  // ≈ 100 m
        let cellLon = 0.0009 / cos(center.lat * .pi / 180)
        let originLat = center.lat - Double(ny) * cellLat / 2
        let originLon = center.lon - Double(nx) * cellLon / 2
        var rng = DemoRandom(seed: seed, stream: 1)
        // Lattice vertices, jittered inside; the outer border stays straight.
        var lattice = [GeoPoint](repeating: center, count: (nx + 1) * (ny + 1))
        for j in 0...ny {
            for i in 0...nx {
                let border = i == 0 || j == 0 || i == nx || j == ny
                let jl = border ? 0 : (rng.unit() - 0.5) * 0.3 * cellLat
                let jo = border ? 0 : (rng.unit() - 0.5) * 0.3 * cellLon
                lattice[j * (nx + 1) + i] = GeoPoint(lat: originLat + Double(j) * cellLat + jl, lon: originLon + Double(i) * cellLon + jo)
            }
        }
        func v(_ i: Int, _ j: Int) -> GeoPoint { lattice[j * (nx + 1) + i] }
        // A block's boundary walks the lattice around cells [i0, i1) × [j0, j1), counter-clockwise.
        func block(_ i0: Int, _ j0: Int, _ i1: Int, _ j1: Int) -> Polygon {
            var ring: [GeoPoint] = []
            for i in i0..<i1 { ring.append(v(i, j0)) }
            for j in j0..<j1 { ring.append(v(i1, j)) }
            for i in stride(from: i1, to: i0, by: -1) { ring.append(v(i, j1)) }
            for j in stride(from: j1, to: j0, by: -1) { ring.append(v(i0, j)) }
            return Polygon(outer: ring)
        }

        var areas = [Area(code: "410100", name: "郑州市", level: .city, parentCode: nil, boundary: block(0, 0, nx, ny))]
        var grids: [UnitGrid] = []
        var streetName = 0
        for (d, (dcode, dname)) in districts.enumerated() {
            let di0 = (d % 3) * distCols
            let dj0 = (1 - d / 3) * distRows  // first row of districts in the north
            areas.append(Area(code: dcode, name: dname, level: .district, parentCode: "410100", boundary: block(di0, dj0, di0 + distCols, dj0 + distRows)))
            var streetSeq = 0
            for sy in (0..<s).reversed() {
                for sx in 0..<s {
                    streetSeq += 1
                    let scode = dcode + String(zeroPadded: streetSeq, width: 3)
                    let si0 = di0 + sx * c * commCols, sj0 = dj0 + sy * c * commRows
                    let sname = streetNames[streetName % streetNames.count] + "街道"
                    streetName += 1
                    areas.append(Area(code: scode, name: sname, level: .street, parentCode: dcode, boundary: block(si0, sj0, si0 + c * commCols, sj0 + c * commRows)))
                    var commSeq = 0
                    for cy in (0..<c).reversed() {
                        for cx in 0..<c {
                            commSeq += 1
                            let ccode = scode + String(zeroPadded: commSeq, width: 3)
                            let ci0 = si0 + cx * commCols, cj0 = sj0 + cy * commRows
                            let cname = sname.replacingOccurrences(of: "街道", with: "") + communityWords[(commSeq - 1) % communityWords.count] + "社区"
                            areas.append(Area(code: ccode, name: cname, level: .community, parentCode: scode, boundary: block(ci0, cj0, ci0 + commCols, cj0 + commRows)))
                            // Grids numbered west→east, north→south within the community.
                            var g = 0
                            for gy in (0..<commRows).reversed() {
                                for gx in 0..<commCols {
                                    g += 1
                                    let i = ci0 + gx, j = cj0 + gy
                                    grids.append(UnitGrid(code: ccode + String(zeroPadded: g, width: 3), boundary: block(i, j, i + 1, j + 1)))
                                }
                            }
                        }
                    }
                }
            }
        }
        return (areas, grids)
    }
}
