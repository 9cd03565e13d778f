import CityLoopDomain
import Foundation

/// Reading the city's components (部件): by query, by ID, and inside a map view.
public struct ComponentService: Sendable {
    let platform: Platform

    /// Creates the service.
    public init(platform: Platform) { self.platform = platform }

    /// Components matching a query, by ID.
    public func components(_ query: ComponentQuery) async throws -> ComponentPage { try await platform.store.components(query) }

    /// The component with this ID; `notFound` otherwise.
    public func component(id: String) async throws -> Component {
        guard let c = try await platform.store.component(id: id) else { throw DomainError.notFound("component", id) }
        return c
    }

    /// Components inside a box (map layers), at most `limit`, with the total inside: the store is asked grid by
    /// grid for the grids the box touches, so a view of a few streets reads a few hundred index entries whatever
    /// the city's size. A box over more than 5,000 grids is refused (`bbox`).
    public func components(in box: BoundingBox, _ base: ComponentQuery, limit: Int) async throws -> ComponentPage {
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
