import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird

extension APIRoutes {
    func addPlaceRoutes(_ api: APIBuilder) {
        let placement = PlacementService(platform: platform)
        api.add(.put, "/api/v1/places", "Replace the place table (地名地址库) from CSV: name,address,lat,lon (in crs)", tag: "places", access: "admin",
                query: ["crs"], body: "CSV") { req, ctx in
            let actor = try ctx.requireRole(.admin)
            let buffer = try await APIJSON.collect(req, limit: 64 * 1024 * 1024)
            let crs = try CoordinateInput.crs(req)
            let (imported, rejected) = try await placement.importPlaces(csv: String(buffer: buffer), crs: crs, actor: actor)
            struct Rejected: Encodable { var line: Int; var reason: String }
            struct Summary: Encodable { var imported: Int; var rejected: [Rejected] }
            return try APIJSON.response(Summary(imported: imported, rejected: rejected.map { Rejected(line: $0.line, reason: $0.reason) }))
        }
        api.add(.get, "/api/v1/places/search", "Places an address may be, best first (fuzzy Chinese matching)", tag: "places",
                query: ["q", "limit"]) { req, ctx in
            _ = try ctx.requireActor()
            guard let q = req.query("q") else { throw DomainError.invalid("q", "q (an address or place name) is required") }
            let limit = try req.queryInt("limit") ?? 5
            guard (1...50).contains(limit) else { throw DomainError.invalid("limit", "limit must be between 1 and 50") }
            struct Hit: Encodable { var id: String; var name: String; var address: String; var lat: Double; var lon: Double; var score: Double }
            return try APIJSON.response(placement.search(q, limit: limit).map {
                Hit(id: $0.place.id, name: $0.place.name, address: $0.place.address, lat: $0.place.point.lat, lon: $0.place.point.lon, score: $0.score)
            })
        }
        api.add(.get, "/api/v1/unplaced", "Reports whose address could not be placed, waiting for an operator (人工定位), oldest first",
                tag: "places", access: "operator, shiftlead, admin", query: ["limit"]) { req, ctx in
            let actor = try ctx.requireActor()
            let limit = try req.queryInt("limit") ?? 100
            guard (1...1000).contains(limit) else { throw DomainError.invalid("limit", "limit must be between 1 and 1000") }
            return try APIJSON.response(try await placement.pending(limit: limit, actor: actor).map(UnplacedReply.init))
        }
        api.add(.post, "/api/v1/unplaced/:id/place", "Place a queued report on the map ({lat, lon}) and file it as the sender's case",
                tag: "places", access: "operator, shiftlead, admin", body: "PlaceInput", created: true) { req, ctx in
            let actor = try ctx.requireActor()
            struct PlaceInput: Decodable { var lat: Double; var lon: Double; var crs: String? }
            let input = try await APIJSON.decode(PlaceInput.self, from: req, context: ctx)
            let point = try CoordinateInput.point(lat: input.lat, lon: input.lon, crs: input.crs)
            let result = try await placement.place(try ctx.param("id"), at: point, actor: actor)
            return try APIJSON.response(result, status: result.created ? .created : .ok)
        }
    }
}
