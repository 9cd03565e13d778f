import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird

/// The public city map's search (城管地图): components of the public facility classes, by name and nearest first.
struct PublicFacilities: Sendable {
    let platform: Platform
    let classes: [String]

    struct Item: Codable {
        var id: String
        var classCode: String
        var className: String
        var name: String
        var lat: Double
        var lon: Double
        var gridCode: String
        var distance: Double?
    }
    struct ClassName: Codable { var code: String; var name: String; var nameEn: String? }
    struct Reply: Codable { var classes: [ClassName]; var items: [Item]; var total: Int }

    func search(_ req: Request) async throws -> Reply {
        let ctx = platform.context
        let text = req.query("q")?.trimmingCharacters(in: .whitespaces) ?? ""
        guard text.count <= 50 else { throw DomainError.invalid("q", "q is longer than 50 characters") }
        let origin = try CoordinateInput.point(req, required: false)
        let limit = try req.queryInt("limit") ?? 50
        guard (1...500).contains(limit) else { throw DomainError.invalid("limit", "limit must be between 1 and 500") }
        var wanted = classes
        if let c = req.query("class"), !c.isEmpty {
            guard classes.contains(c) else {
                throw DomainError.invalid("class", "class '\(c)' is not a public facility class; one of \(classes.joined(separator: ", "))")
            }
            wanted = [c]
        }
        var items: [Item] = []
        for code in wanted {
            var q = ComponentQuery()
            q.classPrefix = code
            q.limit = 100_000
            let className = ctx.catalog.component(code)?.name ?? code
            for c in try await ComponentService(platform: platform).components(q).items where c.state != .removed {
                if !text.isEmpty, !c.name.localizedCaseInsensitiveContains(text), !className.contains(text), c.remark?.contains(text) != true { continue }
                items.append(
                    Item(
                        id: c.id, classCode: c.classCode, className: className, name: c.name, lat: c.point.lat, lon: c.point.lon, gridCode: c.gridCode,
                        distance: origin.map { ($0.distance(to: c.point) * 10).rounded() / 10 }))
            }
        }
        if origin != nil { items.sort { ($0.distance ?? 0, $0.id) < ($1.distance ?? 0, $1.id) } } else { items.sort { $0.id < $1.id } }
        let names = classes.map { ClassName(code: $0, name: ctx.catalog.component($0)?.name ?? $0, nameEn: ctx.catalog.component($0)?.nameEn) }
        return Reply(classes: names, items: Array(items.prefix(limit)), total: items.count)
    }
}
