import CityLoopDomain
import Foundation

/// Work orders from the 12345 hotline and other bureaus (热线转办): each becomes a hotline case, idempotent on
/// the sender's ticket number, and the sender hears of every status change at its callback URL (through the
/// notice outbox: retried with backoff until it answers 2xx, every attempt in the delivery log).
public struct HotlineService: Sendable {
    let platform: Platform

    /// Creates the service.
    public init(platform: Platform) { self.platform = platform }

    /// Files an order; the same ticket number from the same sender returns its case again (`created` false).
    public func receive(_ order: HotlineOrder, actor: Actor) async throws -> ReportResult {
        guard [.partner, .admin].contains(actor.role) else {
            throw DomainError.forbidden("only partner systems (and admins) push work orders; role \(actor.role.rawValue) may not")
        }
        let ticket = order.ticketNumber.trimmingCharacters(in: .whitespaces)
        guard (1...64).contains(ticket.count), ticket.allSatisfy({ $0.isLetter || $0.isNumber || "-_/.:".contains($0) }) else {
            throw DomainError.invalid("ticketNumber", "ticketNumber must have 1 to 64 letters, digits or - _ / . :")
        }
        let matter = try matterCode(order)
        guard let lat = order.lat, let lon = order.lon else {
            // Placing an address on the map needs the city's place table (address geocoding), not built yet.
            throw DomainError.invalid(
                order.lat == nil ? "lat" : "lon", "lat and lon are required: addresses alone cannot be placed on the grid yet",
                code: "hotline.location")
        }
        let input = ReportInput(
            clientRequestID: "ticket:" + ticket, matterCode: matter, description: order.description, lat: lat, lon: lon,
            address: order.address, urgency: order.urgency, reporterName: order.callerName, reporterPhone: order.callerPhone,
            source: .hotline, ticket: ticket, ticketDueAt: order.deadline, callbackURL: order.callbackURL)
        return try await CaseService(platform: platform).report(input, actor: actor)
    }

    /// The matter class of an order: its code, or the catalog class whose name its category text holds (the
    /// longest such name, so 乱堆物料 wins over 堆物).
    func matterCode(_ order: HotlineOrder) throws -> String {
        if let code = order.matterCode { return code }
        guard let text = order.category?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            throw DomainError.invalid("category", "category or matterCode is required")
        }
        let catalog = platform.context.catalog
        if let exact = catalog.matter(text) { return exact.code }
        let found = catalog.all(.matter).filter { text.contains($0.name) || ($0.nameEn.map { text.lowercased().contains($0.lowercased()) } ?? false) }
        guard let best = found.max(by: { $0.name.count < $1.name.count }) else {
            throw DomainError.invalid(
                "category", "category '\(text)' names no matter class of the catalog; send matterCode (GET /api/v1/catalog)",
                code: "hotline.category")
        }
        return best.code
    }

    /// The status callbacks sent (or still being tried) to this sender, newest first: the delivery log.
    public func callbacks(actor: Actor, limit: Int) async throws -> [QueuedNotice] {
        guard [.partner, .admin].contains(actor.role) else { throw DomainError.forbidden("only partner systems read their callbacks") }
        return try await platform.store.queuedNotices(limit: 1000).filter {
            $0.notice.kind == .statusChanged && (actor.role == .admin || $0.notice.recipient.userID == actor.userID)
        }.prefix(limit).map { $0 }
    }
}
