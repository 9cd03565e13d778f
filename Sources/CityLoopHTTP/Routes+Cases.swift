import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird

extension APIRoutes {
    static let caseFilters = [
        "state", "matter", "department", "area", "grid", "source", "satisfaction", "from", "to", "overdue", "limit", "offset",
    ]

    func addCaseRoutes(_ api: APIBuilder) {
        let cases = CaseService(platform: platform)
        let platform = self.platform

        api.add(.post, "/api/v1/cases", "Report a problem (上报); idempotent on clientRequestID", tag: "cases",
                access: "citizen, inspector, operator, shiftlead, partner, admin", body: "ReportInput", created: true) { req, ctx in
            let actor = try ctx.requireActor()
            let input = try CoordinateInput.wgs84(try await APIJSON.decode(ReportInput.self, from: req, context: ctx))
            let result = try await cases.report(input, actor: actor)
            return try APIJSON.response(result, status: result.created ? .created : .ok)
        }
        api.add(.get, "/api/v1/track/:code", "A report's public progress in plain words, for anyone holding its tracking code (查询码)",
                tag: "cases", access: "anyone with the code") { _, ctx in
            try APIJSON.response(try await cases.track(code: try ctx.param("code")))
        }
        api.add(.post, "/api/v1/track/:code/rate", "Rate a closed report's result (满意度) with its tracking code, once, without signing in",
                tag: "cases", access: "anyone with the code", body: "TrackRating") { req, ctx in
            struct TrackRating: Decodable { var satisfaction: Satisfaction; var comment: String? }
            let rating = try await APIJSON.decode(TrackRating.self, from: req, context: ctx, limit: 64 * 1024)
            return try APIJSON.response(try await cases.rate(trackingCode: try ctx.param("code"), satisfaction: rating.satisfaction, comment: rating.comment))
        }
        api.add(.get, "/api/v1/cases", "Query cases within your scope, newest first", tag: "cases", query: Self.caseFilters) { req, ctx in
            let actor = try ctx.requireActor()
            return try APIJSON.response(try await cases.query(try Self.caseQuery(req, now: platform.clock.now()), actor: actor))
        }
        api.add(.get, "/api/v1/cases/counts", "Case counts by state (dashboard)", tag: "cases", query: Self.caseFilters) { req, ctx in
            let actor = try ctx.requireActor()
            return try APIJSON.response(try await cases.counts(try Self.caseQuery(req, now: platform.clock.now()), actor: actor))
        }
        api.add(.get, "/api/v1/cases/deadlines", "Overdue and soon-due cases, by department and by the role acting next",
                tag: "cases", query: ["department", "role"]) { req, ctx in
            let actor = try ctx.requireActor()
            let dept = req.query("department").map { DepartmentID($0) }
            let role = try req.queryEnum("role", Role.self)
            return try APIJSON.response(try await cases.deadlines(department: dept, role: role, actor: actor))
        }
        api.add(.get, "/api/v1/cases/:id", "A case with its timeline and your available actions (by ID or number)", tag: "cases") { _, ctx in
            let actor = try ctx.requireActor()
            return try APIJSON.response(try await cases.detail(CaseID(try ctx.param("id")), actor: actor))
        }
        api.add(.get, "/api/v1/cases/:id/duplicates", "Open cases this case may duplicate", tag: "cases") { _, ctx in
            let actor = try ctx.requireActor()
            let detail = try await cases.detail(CaseID(try ctx.param("id")), actor: actor)
            return try APIJSON.response(try await cases.duplicateCandidates(for: detail.case, actor: actor))
        }
        api.add(.post, "/api/v1/cases/:id/actions/:action", "Take a workflow action (verify, file, dispatch, accept, report_handled, …)",
                tag: "cases", access: "depends on the action", body: "ActionInput") { req, ctx in
            let actor = try ctx.requireActor()
            let name = try ctx.param("action")
            guard let action = CaseAction(rawValue: name) else {
                throw DomainError.invalid("action", "unknown action '\(name)'; one of \(CaseAction.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let buffer = try await APIJSON.collect(req, limit: 1024 * 1024)
            let input: ActionInput
            if buffer.readableBytes == 0 {
                input = ActionInput()
            } else {
                try APIJSON.requireJSON(req)
                input = try APIJSON.decode(ActionInput.self, buffer: buffer)
            }
            // Committed: the answer is a 200 even when the personal-data read cannot be recorded (issue 13 §1).
            let (detail, auditError) = try await cases.actShowing(action, caseID: CaseID(try ctx.param("id")), input: input, actor: actor)
            if let auditError {
                ctx.logger.error("case \(detail.case.number): \(action.rawValue) committed, recording the read of its detail failed: \(auditError)")
            }
            return try APIJSON.response(detail)
        }
        api.add(.post, "/api/v1/media", "Upload an evidence photo or short video (raw body); returns its content ID",
                tag: "cases", access: "signed in", created: true) { req, ctx in
            _ = try ctx.requireActor()
            let buffer = try await APIJSON.collect(req, limit: MediaRules.defaultMaxBytes)
            let data = Data(buffer: buffer)
            let type = try MediaRules.validate(data)
            return try APIJSON.response(try await platform.media.put(data, contentType: type), status: .created)
        }
        api.add(.get, "/api/v1/media/:id", "Download an evidence file by its ID (roles that see every case)", tag: "cases",
                access: "operator, shiftlead, dispatcher, leader, admin") { _, ctx in
            let actor = try ctx.requireActor()
            guard CaseService.seeAllEvidence.contains(actor.role) else {
                throw DomainError.forbidden("role \(actor.role.rawValue) sees evidence through its cases: GET /api/v1/cases/{id}/media/{media}")
            }
            let id = try ctx.param("id")
            guard let (data, info) = try await platform.media.get(id) else { throw DomainError.notFound("media", id) }
            return Self.file(data, type: info.contentType)
        }
        api.add(.get, "/api/v1/cases/:id/media/:media", "An evidence file of a case you may see; ?thumbnail=true for a small JPEG preview",
                tag: "cases", query: ["thumbnail"]) { req, ctx in
            let actor = try ctx.requireActor()
            let thumb = req.query("thumbnail")
            guard thumb == nil || thumb == "true" || thumb == "false" else { throw DomainError.invalid("thumbnail", "thumbnail must be true or false") }
            let (data, type) = try await cases.evidence(
                try ctx.param("media"), of: CaseID(try ctx.param("id")), thumbnail: thumb == "true", actor: actor)
            return Self.file(data, type: type)
        }
        api.add(.get, "/api/v1/verify", "Verify every case's hash-chained history", tag: "cases", access: "admin, leader") { _, ctx in
            _ = try ctx.requireRole(.admin, .leader)
            return try APIJSON.response(try await cases.verifyHistory())
        }
        api.add(.get, "/api/v1/notices", "The reporters' notice outbox as a delivery log, newest first (attempts, errors, delivery times)",
                tag: "cases", access: "admin, shiftlead", query: ["limit"]) { req, ctx in
            // Notices carry reporters' contact data: only roles that see it unmasked read the log.
            _ = try ctx.requireRole(.admin, .shiftLead)
            let limit = try req.queryInt("limit") ?? 100
            return try APIJSON.response(try await cases.noticeLog(limit: limit))
        }
    }

    static func file(_ data: Data, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "private, max-age=86400, immutable"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Builds a case query from URL parameters.
    static func caseQuery(_ req: Request, now: Date) throws -> CaseQuery {
        var q = CaseQuery()
        if let s = req.query("state") {
            q.states = try s.split(separator: ",").map {
                guard let st = CaseState(rawValue: String($0)) else {
                    throw DomainError.invalid("state", "unknown state '\($0)'; one of \(CaseState.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return st
            }
        }
        if let m = req.query("matter") {
            guard m.allSatisfy(\.isNumber), [2, 5].contains(m.count) else { throw DomainError.invalid("matter", "matter must be a 2- or 5-digit code") }
            q.matterPrefix = m
        }
        q.departmentID = req.query("department").map { DepartmentID($0) }
        q.areaCode = req.query("area")
        q.gridCode = req.query("grid")
        q.source = try req.queryEnum("source", CaseSource.self)
        q.satisfaction = try req.queryEnum("satisfaction", Satisfaction.self)
        q.createdFrom = try req.queryDate("from")
        q.createdTo = try req.queryDate("to")
        if let o = req.query("overdue") {
            guard o == "true" || o == "false" else { throw DomainError.invalid("overdue", "overdue must be true or false") }
            if o == "true" { q.overdueAt = now }
        }
        if let l = try req.queryInt("limit") {
            guard (1...1000).contains(l) else { throw DomainError.invalid("limit", "limit must be between 1 and 1000") }
            q.limit = l
        }
        if let o = try req.queryInt("offset") {
            guard o >= 0 else { throw DomainError.invalid("offset", "offset must not be negative") }
            q.offset = o
        }
        return q
    }
}
