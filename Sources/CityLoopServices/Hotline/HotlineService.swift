import CityLoopDomain
import Foundation

/// Work orders from the 12345 hotline and other bureaus (热线转办): each becomes a hotline case, idempotent on
/// the sender's ticket number, and the sender hears of every status change at its callback URL (through the
/// notice outbox: retried with backoff until it answers 2xx, every attempt in the delivery log).
public struct HotlineService: Sendable {
    let platform: Platform

    /// Creates the service.
    public init(platform: Platform) { self.platform = platform }

    /// Files an order (by its point, or its address on the place table), or queues it for an operator to place when
    /// the address is not found; the same ticket from the same sender returns its case (or queue entry) again.
    public func receive(_ order: HotlineOrder, actor: Actor) async throws -> IntakeOutcome {
        guard [.partner, .admin].contains(actor.role) else {
            throw DomainError.forbidden("only partner systems (and admins) push work orders; role \(actor.role.rawValue) may not")
        }
        let ticket = order.ticketNumber.trimmingCharacters(in: .whitespaces)
        guard (1...64).contains(ticket.count), ticket.allSatisfy({ $0.isLetter || $0.isNumber || "-_/.:".contains($0) }) else {
            throw DomainError.invalid("ticketNumber", "ticketNumber must have 1 to 64 letters, digits or - _ / . :")
        }
        let matter = try matterCode(order)
        guard (order.lat == nil) == (order.lon == nil) else {
            throw DomainError.invalid(order.lat == nil ? "lat" : "lon", "lat and lon come together", code: "hotline.location")
        }
        try DeadlineRules.check(order.deadline, field: "deadline", now: platform.clock.now())
        let input = ReportInput(
            clientRequestID: "ticket:" + ticket, matterCode: matter, description: order.description, lat: order.lat ?? 0, lon: order.lon ?? 0,
            address: order.address, urgency: order.urgency, reporterName: order.callerName, reporterPhone: order.callerPhone,
            source: .hotline, ticket: ticket, ticketDueAt: order.deadline, callbackURL: order.callbackURL)
        do {
            return try await PlacementService(platform: platform).report(input, hasPoint: order.lat != nil, actor: actor)
        } catch let e as DomainError where e.code == "idempotency.mismatch" {
            // The sender's idempotency key is its ticket number: name that, not our internal request ID.
            throw DomainError(
                .conflict, code: e.code,
                "ticketNumber '\(ticket)' was already received with a different order; send the same order again to get its case, "
                    + "or a new ticketNumber for a new order", field: "ticketNumber")
        } catch let e as DomainError where e.field == "ticketDueAt" {
            throw DomainError(e.kind, code: e.code, e.message.replacingOccurrences(of: "ticketDueAt", with: "deadline"), field: "deadline")
        }
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
