import CityLoopDomain
import Foundation

/// GeoJSON (RFC 7946) reading and writing for areas, grids and components.
/// Areas and grids are Polygon features with properties `code`, `name`, `level` (city, district, street,
/// community or grid) and `parent`; components are Point features with the `ComponentRow` fields.
public enum GeoJSON {
    /// Writes areas and grids as one FeatureCollection.
    public static func encode(areas: [Area], grids: [UnitGrid]) throws -> Data {
        var features: [[String: Any]] = []
        for a in areas.sorted(by: { ($0.level, $0.code) < ($1.level, $1.code) }) {
            var props: [String: Any] = ["code": a.code, "name": a.name, "level": a.level.rawValue]
            if let p = a.parentCode { props["parent"] = p }
            features.append(feature(a.boundary, props))
        }
        for g in grids {
            features.append(feature(g.boundary, ["code": g.code, "level": "grid", "parent": g.communityCode]))
        }
        return try JSONSerialization.data(
            withJSONObject: ["type": "FeatureCollection", "features": features], options: [.sortedKeys])
    }

    /// A Polygon feature, or a MultiPolygon one for an area of several parts.
    static func feature(_ p: Polygon, _ props: [String: Any]) -> [String: Any] {
        func ring(_ r: [GeoPoint]) -> [[Double]] { (r + (r.first.map { [$0] } ?? [])).map { [$0.lon, $0.lat] } }
        func rings(_ part: Polygon) -> [[[Double]]] { [ring(part.outer)] + part.holes.map(ring) }
        let geometry: [String: Any] =
            p.otherParts.isEmpty
            ? ["type": "Polygon", "coordinates": rings(p)] : ["type": "MultiPolygon", "coordinates": p.parts.map(rings)]
        return ["type": "Feature", "properties": props, "geometry": geometry]
    }

    /// Reads areas and grids from a FeatureCollection; throws naming the first malformed feature. Coordinates are
    /// taken in `crs` (nil: the file's `crs` member, else WGS84) and returned in WGS84.
    public static func decodeAreas(_ data: Data, crs: CoordinateSystem? = nil) throws -> (areas: [Area], grids: [UnitGrid]) {
        let features = try featureList(data, crs: crs)
        var areas: [Area] = []
        var grids: [UnitGrid] = []
        for (i, f) in features.enumerated() {
            let props = f["properties"] as? [String: Any] ?? [:]
            guard let code = props["code"] as? String, let levelText = props["level"] as? String else {
                throw DomainError.invalid("features[\(i)].properties", "feature \(i) needs properties code and level")
            }
            let polygon = try polygonOf(f, index: i)
            if levelText == "grid" {
                grids.append(UnitGrid(code: code, boundary: polygon))
            } else if let level = AreaLevel(rawValue: levelText) {
                areas.append(
                    Area(code: code, name: props["name"] as? String ?? code, level: level, parentCode: props["parent"] as? String, boundary: polygon))
            } else {
                throw DomainError.invalid("features[\(i)].properties.level", "unknown level '\(levelText)'")
            }
        }
        return (areas, grids)
    }

    /// The collection's features as dictionaries (see `GeoJSONFeature.dictionary`), read by the streaming
    /// `GeoJSONReader`: numbers exact, coordinates converted to WGS84 from `crs` (or the file's `crs` member).
    static func featureList(_ data: Data, crs: CoordinateSystem? = nil) throws -> [[String: Any]] {
        var features: [[String: Any]] = []
        try GeoJSONReader(crs: crs).forEachFeature(in: data) { features.append($0.dictionary) }
        return features
    }

    /// The outline of a Polygon or MultiPolygon feature (one part or several: exclaves, as GIS tools and public
    /// boundary data export even single-part areas).
    static func polygonOf(_ f: [String: Any], index i: Int) throws -> Polygon {
        let field = "features[\(i)].geometry"
        func part(_ rings: [[[Double]]]) throws -> Polygon {
            guard let outer = rings.first, outer.count >= 4, rings.allSatisfy({ $0.count >= 4 && $0.allSatisfy { $0.count >= 2 } }) else {
                throw DomainError.invalid(field, "feature \(i) has a ring with fewer than 4 positions")
            }
            func pts(_ r: [[Double]]) -> [GeoPoint] { r.map { GeoPoint(lat: $0[1], lon: $0[0]) } }
            return Polygon(outer: pts(outer), holes: rings.dropFirst().map(pts))
        }
        let geom = f["geometry"] as? [String: Any]
        switch geom?["type"] as? String {
        case "Polygon":
            guard let rings = geom?["coordinates"] as? [[[Double]]] else { break }
            return try part(rings)
        case "MultiPolygon":
            guard let polygons = geom?["coordinates"] as? [[[[Double]]]], !polygons.isEmpty else { break }
            return Polygon(parts: try polygons.map(part))
        default: break
        }
        throw DomainError.invalid(field, "feature \(i) needs a Polygon or MultiPolygon geometry")
    }

    /// Writes validation problems as Point features at their locations (problems without one, such as a code
    /// error, have a null geometry), with code, severity, subject, other, area and message: the problem spots a GIS
    /// team opens beside its own layers to fix everything in one pass.
    public static func encode(problems: [ValidationProblem]) throws -> Data {
        let features: [[String: Any]] = problems.map { p in
            var props: [String: Any] = ["code": p.code, "severity": p.severity.rawValue, "subject": p.subject, "message": p.message]
            if let o = p.other { props["other"] = o }
            if let a = p.areaSquareMetres { props["areaSquareMetres"] = (a * 1000).rounded() / 1000 }
            let geometry: Any = p.location.map { ["type": "Point", "coordinates": [$0.lon, $0.lat]] } ?? NSNull()
            return ["type": "Feature", "properties": props, "geometry": geometry]
        }
        return try JSONSerialization.data(withJSONObject: ["type": "FeatureCollection", "features": features], options: [.sortedKeys])
    }

    /// Writes components as Point features.
    public static func encode(components: [Component]) throws -> Data {
        let features: [[String: Any]] = components.map { (c: Component) -> [String: Any] in
            var props: [String: Any] = [
                "id": c.id, "classCode": c.classCode, "name": c.name, "gridCode": c.gridCode, "state": c.state.rawValue,
            ]
            if let o = c.ownerDepartmentID { props["ownerDepartmentID"] = o.rawValue }
            if let m = c.maintainerDepartmentID { props["maintainerDepartmentID"] = m.rawValue }
            if let r = c.remark { props["remark"] = r }
            return ["type": "Feature", "properties": props, "geometry": ["type": "Point", "coordinates": [c.point.lon, c.point.lat]]]
        }
        return try JSONSerialization.data(withJSONObject: ["type": "FeatureCollection", "features": features], options: [.sortedKeys])
    }

    /// Reads component rows from Point features, streaming; coordinates are taken in `crs` (nil: the file's `crs`
    /// member, else WGS84) and returned in WGS84.
    public static func decodeComponents(_ data: Data, crs: CoordinateSystem? = nil) throws -> [ComponentRow] {
        var rows: [ComponentRow] = []
        try GeoJSONReader(crs: crs).forEachFeature(in: data) { f in
            let i = f.index
            guard f.geometryType == "Point", case .position(let c)? = f.coordinates else {
                throw DomainError.invalid("features[\(i)].geometry", "feature \(i) needs a Point geometry")
            }
            func text(_ key: String) -> String? { if case .string(let s)? = f.properties[key] { s } else { nil } }
            guard let id = text("id"), let cls = text("classCode") else {
                throw DomainError.invalid("features[\(i)].properties", "feature \(i) needs properties id and classCode")
            }
            rows.append(
                ComponentRow(
                    id: id, classCode: cls, name: text("name"), lat: c[1], lon: c[0], state: text("state").flatMap { ComponentState(rawValue: $0) },
                    ownerDepartmentID: text("ownerDepartmentID").map { DepartmentID($0) },
                    maintainerDepartmentID: text("maintainerDepartmentID").map { DepartmentID($0) }, remark: text("remark")))
        }
        return rows
    }
}

/// CSV reading and writing for components: `id,class_code,name,lat,lon,state,owner,maintainer,remark`.
public enum ComponentCSV {
    /// The header line.
    public static let header = "id,class_code,name,lat,lon,state,owner,maintainer,remark"

    /// Writes components as CSV.
    public static func encode(_ components: [Component]) -> String {
        var out = header + "\n"
        for c in components {
            let cols = [
                c.id, c.classCode, c.name, String(c.point.lat), String(c.point.lon), c.state.rawValue,
                c.ownerDepartmentID?.rawValue ?? "", c.maintainerDepartmentID?.rawValue ?? "", c.remark ?? "",
            ]
            out += cols.map(CSVReader.quote).joined(separator: ",") + "\n"
        }
        return out
    }

    /// Reads CSV rows; a row that cannot be parsed is returned as a rejection rather than stopping the import.
    /// `lat`/`lon` are taken in `crs` and returned in WGS84.
    public static func decode(_ text: String, crs: CoordinateSystem = .wgs84) -> (rows: [ComponentRow], rejected: [ImportReport.Rejection]) {
        var rows: [ComponentRow] = []
        var rejected: [ImportReport.Rejection] = []
        // Blank lines are skipped, as they always were.
        let records = CSVReader.records(text).filter { $0.error != nil || !$0.fields.allSatisfy(\.isEmpty) }
        for (n, record) in records.enumerated() where n > 0 {
            let c = record.fields
            guard record.error == nil, c.count >= 5, let lat = Double(c[3]), let lon = Double(c[4]) else {
                let why = record.error ?? "needs id,class_code,name,lat,lon with numeric lat/lon"
                rejected.append(.init(row: n, id: c.first ?? "", problems: ["line \(record.line): \(why)"]))
                continue
            }
            func opt(_ i: Int) -> String? { c.count > i && !c[i].isEmpty ? c[i] : nil }
            let p = crs.toWGS84(GeoPoint(lat: lat, lon: lon))
            rows.append(
                ComponentRow(
                    id: c[0], classCode: c[1], name: opt(2), lat: p.lat, lon: p.lon, state: opt(5).flatMap { ComponentState(rawValue: $0) },
                    ownerDepartmentID: opt(6).map { DepartmentID($0) }, maintainerDepartmentID: opt(7).map { DepartmentID($0) }, remark: opt(8)))
        }
        return (rows, rejected)
    }
}
