import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird

/// What the web console needs besides the case API: its configuration, the city's map layers in one compact
/// document, the leader's dashboard, case clusters, the live feed and the public facilities map.
struct ConsoleRoutes: Sendable {
    let platform: Platform
    let options: ConsoleOptions
    let layers = MapLayersCache()

    /// Roles that see the whole city's dashboard and clusters.
    static let dashboardRoles: [Role] = [.leader, .shiftLead, .dispatcher, .operator, .admin]

    func register(on api: APIBuilder) {
        let platform = self.platform
        let options = self.options
        let layers = self.layers
        api.add(.get, "/api/v1/console/config", "The web console's configuration (base-map tiles)", tag: "console", access: "public") { _, _ in
            try APIJSON.response(ConsoleConfig(tileURL: options.tileURL, tileAttribution: options.tileAttribution))
        }
        api.add(.get, "/api/v1/map/layers", "Districts, streets and unit grids as one compact document for drawing the base map",
                tag: "console", access: "public") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[.cacheControl] = "public, max-age=300"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try layers.document(for: platform))))
        }
        api.add(.get, "/api/v1/dashboard", "The leader's one screen (一屏统览): today's figures, open cases by state and grid, trend, categories, most overdue",
                tag: "console", access: "leader, shiftlead, dispatcher, operator, admin", query: ["area"]) { req, ctx in
            _ = try ctx.requireRole(Self.dashboardRoles)
            let area = try Self.area(req, platform: platform)
            let ctxRef = platform.context
            let q = DashboardQuery(areaCode: area, now: platform.clock.now(), utcOffsetSeconds: ctxRef.policy.calendar.utcOffsetSeconds)
            let f = try await ConsoleService(platform: platform).dashboard(q)
            return try APIJSON.response(DashboardReply(f, query: q, context: ctxRef))
        }
        api.add(.get, "/api/v1/cases/clusters", "Open cases in a box grouped by cell and state (map markers)", tag: "console",
                access: "leader, shiftlead, dispatcher, operator, admin", query: ["bbox", "crs", "cell", "area"]) { req, ctx in
            _ = try ctx.requireRole(Self.dashboardRoles)
            let box = try Self.bbox(req)
            let cell = try req.queryDouble("cell") ?? 0.01
            guard cell >= 0.0001, cell <= 1 else { throw DomainError.invalid("cell", "cell must be between 0.0001 and 1 degree") }
            guard (box.maxLat - box.minLat) / cell * (box.maxLon - box.minLon) / cell <= 250_000 else {
                throw DomainError.invalid("cell", "the box holds too many cells for this cell size; use a larger cell")
            }
            let clusters = try await ConsoleService(platform: platform).openCaseClusters(
                ClusterQuery(box: box, cellDegrees: cell, areaCode: try Self.area(req, platform: platform)))
            return try APIJSON.response(clusters.map(ClusterReply.init))
        }
        api.add(.get, "/api/v1/public/facilities", "Public facilities (城管地图): toilets, parks, garbage points, kiosks …, by name or nearest",
                tag: "console", access: "public", query: ["q", "lat", "lon", "crs", "class", "limit"]) { req, _ in
            try APIJSON.response(try await PublicFacilities(platform: platform, classes: options.publicFacilityClasses).search(req))
        }
        LiveRoute(platform: platform).register(on: api)
    }

    static func area(_ req: Request, platform: Platform) throws -> String? {
        guard let a = req.query("area"), !a.isEmpty else { return nil }
        guard platform.context.map.areas[a] != nil || platform.context.map.grid(code: a) != nil else {
            throw DomainError.invalid("area", "area '\(a)' is not a district, street, community or grid of the city")
        }
        return a
    }

    /// `bbox=south,west,north,east` in degrees of `crs` (WGS84 when absent), returned in WGS84.
    static func bbox(_ req: Request) throws -> BoundingBox {
        guard let text = req.query("bbox") else { throw DomainError.invalid("bbox", "bbox=south,west,north,east is required") }
        let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 4, let s = parts[0], let w = parts[1], let n = parts[2], let e = parts[3],
            (-90...90).contains(s), (-90...90).contains(n), (-180...180).contains(w), (-180...180).contains(e), s <= n, w <= e
        else {
            throw DomainError.invalid("bbox", "bbox must be south,west,north,east in degrees, south ≤ north and west ≤ east")
        }
        return try CoordinateInput.wgs84(BoundingBox(minLat: s, minLon: w, maxLat: n, maxLon: e), req)
    }
}

/// `GET /api/v1/console/config`.
struct ConsoleConfig: Codable {
    var tileURL: String?
    var tileAttribution: String?
}

/// One cluster of open cases as the console reads it.
struct ClusterReply: Codable {
    var lat: Double
    var lon: Double
    var state: CaseState
    var count: Int
    var id: String?
    var number: String?

    init(_ c: CaseCluster) {
        lat = c.point.lat
        lon = c.point.lon
        state = c.state
        count = c.count
        id = c.caseID?.rawValue
        number = c.number
    }
}

/// `GET /api/v1/dashboard`: the store's figures with names and calendar days for the page.
struct DashboardReply: Codable {
    struct Today: Codable {
        var reported, filed, closed, closedOnTime, overdue, open: Int
        var onTimeRate: Double?
    }
    struct Day: Codable { var day: String; var reported: Int; var closed: Int }
    struct Category: Codable { var code: String; var name: String; var count: Int }
    struct GridCount: Codable { var code: String; var open: Int }
    struct Overdue: Codable {
        var id: String, number: String, matterCode: String, matterName: String?, state: CaseState, stepDueAt: Date
        var departmentID: String?, departmentName: String?, gridCode: String, lat: Double, lon: Double
    }
    var generatedAt: Date
    var area: String?
    var today: Today
    var states: [String: Int]
    var trend: [Day]
    var categories: [Category]
    var grids: [GridCount]
    var overdue: [Overdue]

    init(_ f: DashboardFigures, query q: DashboardQuery, context: CityContext) {
        generatedAt = q.now
        area = q.areaCode
        let open = f.openByState.values.reduce(0, +)
        today = Today(
            reported: f.reportedToday, filed: f.filedToday, closed: f.closedToday, closedOnTime: f.closedOnTimeToday, overdue: f.overdue, open: open,
            onTimeRate: f.closedToday == 0 ? nil : Double(f.closedOnTimeToday) / Double(f.closedToday))
        states = Dictionary(uniqueKeysWithValues: f.openByState.map { ($0.key.rawValue, $0.value) })
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(secondsFromGMT: q.utcOffsetSeconds)
        format.dateFormat = "yyyy-MM-dd"
        trend = f.trend.map { Day(day: format.string(from: q.start(ofDay: $0.day)), reported: $0.reported, closed: $0.closed) }
        let majorNames = Dictionary(context.catalog.all(.matter).map { (String($0.code.prefix(2)), $0.majorClass) }, uniquingKeysWith: { a, _ in a })
        categories = f.reportedByMajorClass.map { Category(code: $0.key, name: majorNames[$0.key] ?? $0.key, count: $0.value) }
            .sorted { ($0.count, $1.code) > ($1.count, $0.code) }
        grids = f.openByGrid.map { GridCount(code: $0.key, open: $0.value) }.sorted { $0.code < $1.code }
        overdue = f.mostOverdue.map { o in
            Overdue(
                id: o.id.rawValue, number: o.number, matterCode: o.matterCode, matterName: context.catalog.matter(o.matterCode)?.name, state: o.state,
                stepDueAt: o.stepDueAt, departmentID: o.departmentID?.rawValue, departmentName: o.departmentID.flatMap { context.departments[$0]?.name },
                gridCode: o.gridCode, lat: o.point.lat, lon: o.point.lon)
        }
    }
}
