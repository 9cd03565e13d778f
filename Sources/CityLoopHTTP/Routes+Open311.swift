import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird

/// Open311 GeoReport v2 under its base path: every resource as `.json` and `.xml` (JSON without a suffix), errors
/// in the spec's own format, `api_key` in the query or the body.
struct Open311Routes: Sendable {
    let service: GeoReportService

    func register(on api: APIBuilder) {
        let base = service.options.basePath
        let access = "public; api_key for partners"
        for format in ["", ".json", ".xml"] {
            api.add(.get, "\(base)/discovery\(format)", "Open311 discovery", tag: "open311", access: "public") { req, _ in
                await respond(req, format) { _ in service.discovery(baseURL: Self.baseURL(req, base)) }
            }
            api.add(.get, "\(base)/services\(format)", "Open311 services: the public matter classes", tag: "open311", access: access,
                    query: ["jurisdiction_id", "api_key", "locale"]) { req, _ in
                await respond(req, format) { lang in
                    try await readCheck(req)
                    return service.services(lang)
                }
            }
            api.add(.post, "\(base)/requests\(format)", "Open311: post a service request (form-encoded or multipart with a media file)",
                    tag: "open311", access: access, body: "Open311Request") { req, _ in
                await respond(req, format, created: true) { lang in
                    let form = try await Self.form(req, limit: service.options.maxMediaBytes + 1024 * 1024)
                    try TextRules.check(fields: form.fields)
                    try service.checkJurisdiction(form["jurisdiction_id"] ?? req.query("jurisdiction_id"))
                    let caller = try await service.caller(apiKey: form["api_key"] ?? req.query("api_key"))
                    return try await service.submit(form, caller: caller, lang: lang)
                }
            }
            api.add(.get, "\(base)/requests\(format)", "Open311: service requests, by ID or filtered, newest first", tag: "open311",
                    access: access,
                    query: ["service_request_id", "service_code", "start_date", "end_date", "status", "page", "page_size", "jurisdiction_id", "api_key"]) { req, _ in
                await respond(req, format) { lang in
                    try await readCheck(req)
                    return try await service.requests(Self.query(req), lang: lang, baseURL: Self.baseURL(req, base))
                }
            }
        }
        // Resources named by a path parameter carry the format as a suffix of it: `services/01001.xml`. Some
        // existing clients ask for the singular `service/01001.xml`: the same answer.
        for resource in ["services", "service"] {
            api.add(.get, "\(base)/\(resource)/:code", "Open311 service definition (`{code}.json` or `{code}.xml`)", tag: "open311",
                    access: access, query: ["jurisdiction_id", "api_key", "locale"]) { req, ctx in
                return await respond(req, Self.format(ctx, "code")) { lang in
                    let (code, _) = Self.split(try ctx.param("code"))
                    try await readCheck(req)
                    return try service.definition(code, lang)
                }
            }
        }
        api.add(.get, "\(base)/requests/:id", "Open311: one service request (`{id}.json` or `{id}.xml`)", tag: "open311",
                access: access, query: ["jurisdiction_id", "api_key"]) { req, ctx in
            return await respond(req, Self.format(ctx, "id")) { lang in
                let (id, _) = Self.split(try ctx.param("id"))
                try await readCheck(req)
                return try await service.request(id, lang: lang, baseURL: Self.baseURL(req, base))
            }
        }
        api.add(.get, "\(base)/tokens/:token", "Open311: the service request a token stands for (`{token}.json` or `.xml`)",
                tag: "open311", access: access, query: ["jurisdiction_id", "api_key"]) { req, ctx in
            return await respond(req, Self.format(ctx, "token")) { _ in
                let (token, _) = Self.split(try ctx.param("token"))
                try await readCheck(req)
                return try await service.token(token)
            }
        }
        // Report photos staff made public, without their metadata; anything else is 404 here.
        api.add(.get, "\(base)/media/:file", "Open311: a report photo staff made public (`media_url`), re-encoded without metadata",
                tag: "open311", access: "public") { req, ctx in
            do {
                let file = try ctx.param("file")
                try ErrorMiddleware.checkQueryText(req)
                var headers = HTTPFields()
                headers[.contentType] = "image/jpeg"
                headers[.cacheControl] = "no-cache"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try await service.publicPhoto(file))))
            } catch {
                return Self.errorResponse(error, xml: false)
            }
        }
        api.add(.get, "/api/v1/cases/:id/media/:media/public", "Whether a report photo is public, and its public URL", tag: "cases",
                access: "operator, shiftlead") { req, ctx in
            let actor = try ctx.requireActor()
            return try APIJSON.response(
                try await service.photoPublicState(
                    media: try ctx.param("media"), caseRef: try ctx.param("id"), actor: actor, baseURL: Self.baseURL(req, base)))
        }
        for (method, isPublic) in [(HTTPRequest.Method.post, true), (.delete, false)] {
            api.add(method, "/api/v1/cases/:id/media/:media/public",
                    isPublic
                        ? "Make a report photo public: a copy without metadata at a stable URL, shown as Open311 media_url"
                        : "Make a report photo private again (its public URL answers 404)",
                    tag: "cases", access: "operator, shiftlead") { req, ctx in
                let actor = try ctx.requireActor()
                return try APIJSON.response(
                    try await service.setPhotoPublic(
                        isPublic, media: try ctx.param("media"), caseRef: try ctx.param("id"), actor: actor, baseURL: Self.baseURL(req, base)))
            }
        }
        // Whatever else fails under the base path (an unknown resource, a wrong method) answers in Open311's format.
        api.router.add(middleware: Open311ErrorMiddleware(basePath: base))
    }

    /// Reads are open to anyone; a key, when given, must be valid and within its rate.
    private func readCheck(_ req: Request) async throws {
        try service.checkJurisdiction(req.query("jurisdiction_id"))
        _ = try await service.caller(apiKey: req.query("api_key"))
    }

    /// Runs `body` and writes its document, or the error, in the asked format.
    private func respond(
        _ req: Request, _ format: String, created: Bool = false, _ body: (Open311Language) async throws -> Open311Document
    ) async -> Response {
        let xml = format == ".xml"
        let lang = Open311Language.from(req.query("locale") ?? req.query("lang") ?? req.headers[.acceptLanguage])
        do {
            // Query text is checked here rather than by ErrorMiddleware, so a refusal is in Open311's format.
            try ErrorMiddleware.checkQueryText(req)
            let doc = try await body(lang)
            return Self.response(doc, xml: xml, status: created ? .created : .ok)
        } catch {
            return Self.errorResponse(error, xml: xml)
        }
    }

    /// An error as Open311 writes it: `[{"code", "description"}]` or `<errors><error>`, with the HTTP status it
    /// names and, for a rate limit, the `Retry-After` its description states.
    static func errorResponse(_ error: any Error, xml: Bool) -> Response {
        let status: HTTPResponse.Status
        let description: String
        var retryAfter: Int?
        switch error {
        case let e as DomainError:
            status = Self.status(e.kind)
            description = e.message
            retryAfter = e.retryAfter
        case let e as HTTPError:
            status = e.status
            description = e.status == .notFound ? "no such Open311 resource; see GET discovery" : e.body ?? e.status.reasonPhrase
        case let e as PathParameterError:
            status = e.status
            description = e.message
        case let e as any HTTPResponseError:
            status = e.status
            description = e.status.reasonPhrase
        default:
            status = .internalServerError
            description = "internal error; see the server log"
        }
        var r = Self.response(.errors(code: Int(status.code), description: description), xml: xml, status: status)
        if let retryAfter { r.headers[.retryAfter] = String(retryAfter) }
        return r
    }

    /// The status of an Open311 error: the spec's 400, 403 and 404, and the HTTP codes for the rest.
    static func status(_ kind: DomainError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .invalidInput: .badRequest
        case .unauthenticated, .forbidden: .forbidden
        default: ErrorMiddleware.status(kind)
        }
    }

    static func response(_ doc: Open311Document, xml: Bool, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = xml ? "text/xml; charset=utf-8" : "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: xml ? doc.xml() : doc.json())))
    }

    /// The format suffix of a path parameter as sent, read before the parameter is decoded and checked, so that
    /// its refusal comes in that format too.
    static func format(_ ctx: AppRequestContext, _ name: String) -> String {
        split(ctx.parameters.get(name) ?? "").1
    }

    static func split(_ param: String) -> (String, String) {
        for suffix in [".json", ".xml"] where param.hasSuffix(suffix) { return (String(param.dropLast(suffix.count)), suffix) }
        return (param, "")
    }

    static func baseURL(_ req: Request, _ base: String) -> String {
        "http://\(req.head.authority ?? "localhost")\(base)"
    }

    static func query(_ req: Request) -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in req.uri.queryParameters { out[String(k)] = String(v) }
        return out
    }

    /// A `POST requests` body: form-encoded or multipart (`media` is the file part).
    static func form(_ req: Request, limit: Int) async throws -> GeoReportForm {
        let type = req.headers[.contentType] ?? ""
        let buffer = try await APIJSON.collect(req, limit: limit)
        let lower = type.lowercased()
        if MultipartForm.isMultipart(type) {
            var form = GeoReportForm(fields: [:])
            for p in try MultipartForm(buffer, contentType: type).parts {
                guard let name = p.name else { continue }
                if name == "media" && (p.filename != nil || p.body.readableBytes > 0) {
                    form.media = Data(buffer: p.body)
                } else {
                    form.fields[name] = String(buffer: p.body)
                }
            }
            return form
        }
        if lower.hasPrefix("application/x-www-form-urlencoded") || (lower.isEmpty && buffer.readableBytes > 0) {
            return GeoReportForm(fields: FormEncoding.decode(String(buffer: buffer)))
        }
        if buffer.readableBytes == 0 { return GeoReportForm(fields: [:]) }
        throw DomainError(
            .unsupportedMedia, code: "open311.content_type",
            "send the request form-encoded (application/x-www-form-urlencoded) or as multipart/form-data, not \(type)", field: "Content-Type")
    }
}

/// Errors under the Open311 base path in Open311's own format (XML when the path ends in `.xml`), so a client
/// reading `[{"code", "description"}]` also understands a 404 for a resource that does not exist.
struct Open311ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let basePath: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path == basePath || path.hasPrefix(basePath + "/") else { return try await next(request, context) }
        do {
            try ErrorMiddleware.checkQueryText(request)
            return try await next(request, context)
        } catch {
            if (error as? DomainError)?.kind == .corrupted || !(error is DomainError || error is any HTTPResponseError) {
                context.logger.error("Open311 request failed: \(error)")
            }
            return Open311Routes.errorResponse(error, xml: path.hasSuffix(".xml"))
        }
    }
}

/// `application/x-www-form-urlencoded` bodies (hand-written: Hummingbird's form decoder decodes into types, and
/// Open311 field names such as `attribute[code]` are not a type's).
enum FormEncoding {
    /// The fields of a form body; a repeated name keeps its last value.
    static func decode(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func plain(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
            out[plain(kv[0])] = kv.count > 1 ? plain(kv[1]) : ""
        }
        return out
    }
}
