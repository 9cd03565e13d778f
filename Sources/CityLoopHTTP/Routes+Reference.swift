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
        api.add(.get, "/api/v1/locate", "Resolve a WGS84 point to its unit grid, community, street and district", tag: "reference",
                access: "public", query: ["lat", "lon"]) { req, _ in
            guard let lat = try req.queryDouble("lat") else { throw DomainError.invalid("lat", "lat is required") }
            guard let lon = try req.queryDouble("lon") else { throw DomainError.invalid("lon", "lon is required") }
            let map = platform.context.map
            guard let p = map.place(GeoPoint(lat: lat, lon: lon)) else {
                throw DomainError(.notFound, code: "location.outside_city", "(\(lat), \(lon)) is outside the city's unit grids", field: "lat")
            }
            return try APIJSON.response(LocateResult(placement: p, names: map.areaNames(for: p)))
        }
        api.add(.put, "/api/v1/areas", "Replace areas and grids from GeoJSON after validation", tag: "admin", access: "admin",
                body: "GeoJSON FeatureCollection") { req, ctx in
            _ = try ctx.requireRole(.admin)
            let buffer = try await APIJSON.collect(req, limit: 256 * 1024 * 1024)
            let (areas, grids) = try GeoJSON.decodeAreas(Data(buffer: buffer))
            try await admin.importAreas(areas, grids: grids)
            return try APIJSON.response(["areas": areas.count, "grids": grids.count])
        }
        api.add(.post, "/api/v1/areas/validate", "Validate GeoJSON areas and grids without storing them", tag: "admin", access: "admin",
                body: "GeoJSON FeatureCollection") { req, ctx in
            _ = try ctx.requireRole(.admin)
            let buffer = try await APIJSON.collect(req, limit: 256 * 1024 * 1024)
            let (areas, grids) = try GeoJSON.decodeAreas(Data(buffer: buffer))
            return try APIJSON.response(GridValidator.validate(areas: areas, grids: grids))
        }
        api.add(.get, "/api/v1/components", "Components by area or grid, class and state, or inside a box (bbox=south,west,north,east)",
                tag: "reference", query: ["area", "class", "state", "bbox", "limit", "offset"]) { req, ctx in
            _ = try ctx.requireActor()
            var q = ComponentQuery()
            q.areaCode = req.query("area")
            q.classPrefix = req.query("class")
            q.state = try req.queryEnum("state", ComponentState.self)
            q.offset = max(try req.queryInt("offset") ?? 0, 0)
            guard req.query("bbox") != nil else {
                q.limit = min(max(try req.queryInt("limit") ?? 100, 1), 1000)
                return try APIJSON.response(try await platform.store.components(q))
            }
            let limit = min(max(try req.queryInt("limit") ?? 1000, 1), 5000)
            return try APIJSON.response(try await Self.components(in: try ConsoleRoutes.bbox(req), q, limit: limit, platform: platform))
        }
        api.add(.get, "/api/v1/components/:id", "One component", tag: "reference") { _, ctx in
            _ = try ctx.requireActor()
            let id = try ctx.param("id")
            guard let c = try await platform.store.component(id: id) else { throw DomainError.notFound("component", id) }
            return try APIJSON.response(c)
        }
        api.add(.post, "/api/v1/components", "Import components (JSON rows or GeoJSON points); returns rejected rows", tag: "admin",
                access: "admin", body: "ComponentRow[]") { req, ctx in
            _ = try ctx.requireRole(.admin)
            let buffer = try await APIJSON.collect(req, limit: 256 * 1024 * 1024)
            let data = Data(buffer: buffer)
            let rows: [ComponentRow]
            if (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) != nil {
                rows = try GeoJSON.decodeComponents(data)
            } else {
                rows = try APIJSON.decode([ComponentRow].self, buffer: buffer)
            }
            return try APIJSON.response(try await admin.importComponents(rows, at: platform.clock.now()))
        }
    }

    static func geoJSONResponse(_ data: Data) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/geo+json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Components inside a box (map layers): the store is asked grid by grid for the grids the box touches, so a
    /// view of a few streets reads a few hundred index entries whatever the city's size.
    static func components(in box: BoundingBox, _ base: ComponentQuery, limit: Int, platform: Platform) async throws -> ComponentPage {
        let grids = platform.context.map.grids.filter { g in
            let b = g.boundary.boundingBox
            return b.minLat <= box.maxLat && b.maxLat >= box.minLat && b.minLon <= box.maxLon && b.maxLon >= box.minLon
                && (base.areaCode.map(g.code.hasPrefix) ?? true)
        }
        guard grids.count <= 5000 else {
            throw DomainError.invalid("bbox", "the box covers \(grids.count) unit grids; zoom in to at most 5000")
        }
        var items: [Component] = []
        var total = 0
        for g in grids {
            var q = base
            q.areaCode = g.code
            q.offset = 0
            q.limit = 100_000
            let inside = try await platform.store.components(q).items.filter { box.contains($0.point) }
            total += inside.count
            if items.count < limit { items += inside.prefix(limit - items.count) }
        }
        return ComponentPage(items: items, total: total)
    }
}

/// Where a point is.
struct LocateResult: Codable {
    var placement: Placement
    var names: [String]
}
