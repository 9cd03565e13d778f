import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird

extension APIRoutes {
    func addReferenceRoutes(_ api: APIBuilder) {
        let platform = self.platform
        let admin = AdminService(platform: platform)

        api.add(.get, "/api/v1/catalog", "The component and matter catalog (GB/T 47678.5 + local extensions)", tag: "reference",
                access: "public", query: ["kind"]) { req, _ in
            let kind = try req.queryEnum("kind", CatalogKind.self)
            let catalog = platform.context.catalog
            return try APIJSON.response(kind.map { catalog.all($0) } ?? catalog.allEntries)
        }
        api.add(.get, "/api/v1/catalog/:code", "One catalog class (matter and component with that code)", tag: "reference", access: "public") { _, ctx in
            let code = try ctx.param("code")
            let catalog = platform.context.catalog
            let found = [catalog.matter(code), catalog.component(code)].compactMap { $0 }
            guard !found.isEmpty else { throw DomainError.notFound("catalog class", code) }
            return try APIJSON.response(found)
        }
        api.add(.post, "/api/v1/catalog", "Add local catalog extensions", tag: "admin", access: "admin", body: "CatalogEntry[]", created: true) { req, ctx in
            _ = try ctx.requireRole(.admin)
            try await admin.addCatalogExtensions(try await APIJSON.decode([CatalogEntry].self, from: req, context: ctx))
            return try APIJSON.response(platform.context.catalog.allEntries.filter(\.isLocal), status: .created)
        }
        api.add(.get, "/api/v1/areas", "Areas (district, street, community), optionally by level and parent", tag: "reference",
                access: "public", query: ["level", "parent", "geometry"]) { req, _ in
            let level = try req.queryEnum("level", AreaLevel.self)
            var areas = platform.context.map.areas(level: level, parent: req.query("parent"))
            if req.query("geometry") != "true" { areas = areas.map { var a = $0; a.boundary = Polygon(outer: []); return a } }
            return try APIJSON.response(areas)
        }
        api.add(.get, "/api/v1/areas/:code", "One area with its boundary", tag: "reference", access: "public") { _, ctx in
            let code = try ctx.param("code")
            guard let a = platform.context.map.areas[code] else { throw DomainError.notFound("area", code) }
            return try APIJSON.response(a)
        }
        api.add(.get, "/api/v1/grids", "Unit grids under an area as GeoJSON", tag: "reference", access: "public",
                query: ["area", "limit", "offset"]) { req, _ in
            let area = req.query("area") ?? ""
            let limit = min(max(try req.queryInt("limit") ?? 1000, 1), 20000)
            let offset = max(try req.queryInt("offset") ?? 0, 0)
            let grids = platform.context.map.grids.filter { $0.code.hasPrefix(area) }
            let page = Array(grids.dropFirst(offset).prefix(limit))
            return Self.geoJSONResponse(try GeoJSON.encode(areas: [], grids: page))
        }
        api.add(.get, "/api/v1/locate", "Resolve a point (WGS84, or crs=gcj02|bd09|cgcs2000) to its unit grid, community, street and district", tag: "reference",
                access: "public", query: ["lat", "lon", "crs"]) { req, _ in
            let point = try CoordinateInput.point(req, required: true)!
            let map = platform.context.map
            guard let p = map.place(point) else {
                throw DomainError(.notFound, code: "location.outside_city", "(\(point.lat), \(point.lon)) is outside the city's unit grids", field: "lat")
            }
            return try APIJSON.response(LocateResult(placement: p, names: map.areaNames(for: p)))
        }
        api.add(.put, "/api/v1/areas", "Replace areas and grids from GeoJSON (or a GeoPackage / zipped Shapefile, through GDAL) after validation", tag: "admin", access: "admin",
                query: ["crs"], body: "GeoJSON FeatureCollection") { req, ctx in
            _ = try ctx.requireRole(.admin)
            let buffer = try await APIJSON.collect(req, limit: 256 * 1024 * 1024)
            let body = Data(buffer: buffer)
            let (areas, grids) = try GeoJSON.decodeAreas(try OGRConversion.geoJSON(fromUpload: body) ?? body, crs: try CoordinateInput.explicitCRS(req))
            try await admin.importAreas(areas, grids: grids)
            return try APIJSON.response(["areas": areas.count, "grids": grids.count])
        }
        api.add(.post, "/api/v1/areas/validate", "Validate GeoJSON areas and grids without storing them: every problem (error or warning) with its size and place; format=geojson gives the problem spots as GeoJSON", tag: "admin", access: "admin",
                query: ["crs", "format"], body: "GeoJSON FeatureCollection") { req, ctx in
            _ = try ctx.requireRole(.admin)
            let buffer = try await APIJSON.collect(req, limit: 256 * 1024 * 1024)
            let body = Data(buffer: buffer)
            let (areas, grids) = try GeoJSON.decodeAreas(try OGRConversion.geoJSON(fromUpload: body) ?? body, crs: try CoordinateInput.explicitCRS(req))
            let problems = GridValidator.validate(areas: areas.isEmpty ? Array(platform.context.map.areas.values) : areas, grids: grids)
            guard req.query("format") == "geojson" else { return try APIJSON.response(problems) }
            var headers = HTTPFields()
            headers[.contentType] = "application/geo+json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try GeoJSON.encode(problems: problems))))
        }
        api.add(.get, "/api/v1/components", "Components by area or grid, class and state, or inside a box (bbox=south,west,north,east)",
                tag: "reference", query: ["area", "class", "state", "bbox", "crs", "limit", "offset"]) { req, ctx in
            _ = try ctx.requireActor()
            var q = ComponentQuery()
            q.areaCode = req.query("area")
            q.classPrefix = req.query("class")
            q.state = try req.queryEnum("state", ComponentState.self)
            q.offset = max(try req.queryInt("offset") ?? 0, 0)
            guard req.query("bbox") != nil else {
                q.limit = min(max(try req.queryInt("limit") ?? 100, 1), 1000)
                return try APIJSON.response(try await ComponentService(platform: platform).components(q))
            }
            let limit = min(max(try req.queryInt("limit") ?? 1000, 1), 5000)
            return try APIJSON.response(try await ComponentService(platform: platform).components(in: try ConsoleRoutes.bbox(req), q, limit: limit))
        }
        api.add(.get, "/api/v1/components/:id", "One component", tag: "reference") { _, ctx in
            _ = try ctx.requireActor()
            let id = try ctx.param("id")
            return try APIJSON.response(try await ComponentService(platform: platform).component(id: id))
        }
        api.add(.post, "/api/v1/components", "Import components (JSON rows or GeoJSON points); returns rejected rows", tag: "admin",
                access: "admin", query: ["crs"], body: "ComponentRow[]") { req, ctx in
            _ = try ctx.requireRole(.admin)
            let buffer = try await APIJSON.collect(req, limit: 256 * 1024 * 1024)
            let data = Data(buffer: buffer)
            let rows: [ComponentRow]
            let crs = try CoordinateInput.crs(req)
            if data.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) == UInt8(ascii: "{") {
                rows = try GeoJSON.decodeComponents(data, crs: try CoordinateInput.explicitCRS(req))
            } else {
                rows = try APIJSON.decode([ComponentRow].self, buffer: buffer).map { r in
                    var r = r
                    let p = crs.toWGS84(GeoPoint(lat: r.lat, lon: r.lon))
                    (r.lat, r.lon) = (p.lat, p.lon)
                    return r
                }
            }
            return try APIJSON.response(try await admin.importComponents(rows, at: platform.clock.now()))
        }
    }

    static func geoJSONResponse(_ data: Data) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/geo+json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Where a point is.
struct LocateResult: Codable {
    var placement: Placement
    var names: [String]
}
