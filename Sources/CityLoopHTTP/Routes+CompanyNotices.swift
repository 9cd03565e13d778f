import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird

/// A reply, a close or a send-back, naming the version the user saw.
struct NoticeActionInput: Decodable {
    var version: Int
    /// The reply's text (reply) or the note (send back).
    var text: String?
}

/// A notice with whether its reply is late.
struct NoticeReply: Encodable {
    var notice: CompanyNotice
    var overdue: Bool
}

extension APIRoutes {
    func addCompanyNoticeRoutes(_ api: APIBuilder) {
        let store = platform.store
        let readers: [Role] = [.dispatcher, .shiftLead, .leader, .admin, .handler]
        let notices = CompanyNotices(platform: platform)

        api.add(.get, "/api/v1/company-notices", "Rectification notices to companies (整改通知), newest first; a handler sees its own company's",
                tag: "vehicles", access: "dispatcher, shift lead, leader, admin, handler", query: ["company", "state", "limit"]) { req, ctx in
            let actor = try ctx.requireRole(readers)
            var company = req.query("company").map { DepartmentID($0) }
            if actor.role == .handler {
                guard let own = actor.departmentID, company == nil || company == own else { throw DomainError.forbidden("a handler sees its own company's notices") }
                company = own
            }
            let now = platform.clock.now()
            let list = try await store.companyNotices(
                companyID: company, state: try req.queryEnum("state", CompanyNotice.State.self), limit: try Self.limit(req, default: 100, max: 1000))
            return try APIJSON.response(list.map { NoticeReply(notice: $0, overdue: $0.isOverdue(at: now)) })
        }
        api.add(.get, "/api/v1/company-notices/:id", "A notice with its events, reply and decisions", tag: "vehicles",
                access: "dispatcher, shift lead, leader, admin, handler") { _, ctx in
            let actor = try ctx.requireRole(readers)
            let id = try ctx.param("id")
            guard let n = try await store.companyNotice(id: id), CompanyNotices.canSee(actor, n) else { throw DomainError.notFound("notice", id) }
            return try APIJSON.response(NoticeReply(notice: n, overdue: n.isOverdue(at: platform.clock.now())))
        }
        for (path, summary, access) in [
            ("reply", "The company replies with its rectification (整改回复): {version, text}", "handler of the company, admin"),
            ("close", "Accept the company's reply and close the notice: {version}", "dispatcher, shift lead, leader, admin"),
            ("send-back", "Send the reply back with a note; the company replies again: {version, text}", "dispatcher, shift lead, leader, admin"),
        ] {
            api.add(.post, "/api/v1/company-notices/:id/\(path)", summary, tag: "vehicles", access: access, body: "NoticeAction") { req, ctx in
                let actor = try ctx.requireRole(readers)
                let input = try await APIJSON.decode(NoticeActionInput.self, from: req, context: ctx)
                let action: CompanyNotices.Action
                switch path {
                case "reply": action = .reply(input.text ?? "")
                case "close": action = .close
                default: action = .sendBack(input.text ?? "")
                }
                let n: CompanyNotice
                do {
                    n = try await notices.act(action, on: try ctx.param("id"), version: input.version, by: actor)
                } catch let e as DomainError where e.kind == .invalidInput && (e.field == "reply" || e.field == "note") {
                    // The body names it `text`.
                    throw DomainError.invalid("text", e.message, code: e.code)
                }
                return try APIJSON.response(NoticeReply(notice: n, overdue: n.isOverdue(at: platform.clock.now())))
            }
        }
    }
}
