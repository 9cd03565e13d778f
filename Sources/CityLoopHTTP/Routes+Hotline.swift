import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird

extension APIRoutes {
    func addHotlineRoutes(_ api: APIBuilder) {
        let hotline = HotlineService(platform: platform)
        api.add(.post, "/api/v1/hotline/orders", "Receive a work order from the 12345 hotline or another bureau (热线转办); idempotent on ticketNumber",
                tag: "hotline", access: "partner, admin", body: "HotlineOrder", created: true) { req, ctx in
            let actor = try ctx.requireActor()
            let order = try CoordinateInput.wgs84(try await APIJSON.decode(HotlineOrder.self, from: req, context: ctx))
            switch try await hotline.receive(order, actor: actor) {
            case .filed(let result): return try APIJSON.response(result, status: result.created ? .created : .ok)
            // Accepted, not yet a case: the address waits for an operator to place it.
            case .queued(let entry): return try APIJSON.response(UnplacedReply(entry: entry), status: .accepted)
            }
        }
        api.add(.get, "/api/v1/hotline/callbacks", "Your status callbacks as a delivery log, newest first (attempts, errors, delivery times)",
                tag: "hotline", access: "partner, admin", query: ["limit"]) { req, ctx in
            let actor = try ctx.requireActor()
            let limit = try req.queryInt("limit") ?? 100
            guard (1...1000).contains(limit) else { throw DomainError.invalid("limit", "limit must be between 1 and 1000") }
            return try APIJSON.response(try await hotline.callbacks(actor: actor, limit: limit))
        }
    }
}
