import CityLoopDomain
import Foundation

/// Open311 GeoReport v2 (STANDARDS.md): the catalog's public matter classes as services, and cases as service
/// requests. A request posted here is an ordinary case in the loop; its Open311 status follows the case.
public struct GeoReportService: Sendable {
    let platform: Platform
    /// How the endpoint is served.
    public let options: GeoReportOptions
    let limiter: RateLimiter

    /// Creates the service; `limiter` keeps the API keys' budgets.
    public init(platform: Platform, options: GeoReportOptions, limiter: RateLimiter) {
        self.platform = platform
        self.options = options
        self.limiter = limiter
    }

    var catalog: Open311Catalog { Open311Catalog(catalog: platform.context.catalog, hidden: options.hiddenServices) }

    /// The account an `api_key` acts for, after taking one request from its budget; nil without a key.
    public func caller(apiKey: String?) async throws -> Actor? {
        guard let apiKey, !apiKey.isEmpty else { return nil }
        let (user, token): (User, AccessToken)
        do {
            (user, token) = try await AccountService(platform: platform).authenticatedToken(apiKey)
        } catch let e as DomainError where e.kind == .unauthenticated {
            throw DomainError(.forbidden, code: "open311.api_key", "api_key is unknown or revoked", field: "api_key")
        }
        guard token.isAPIToken else {
            throw DomainError(.forbidden, code: "open311.api_key", "api_key must be an API key (cityloop apikey create), not a session", field: "api_key")
        }
        try await limiter.take(token.hash, perMinute: token.ratePerMinute ?? options.defaultRatePerMinute)
        return Actor(user)
    }

    /// Refuses a `jurisdiction_id` this endpoint does not serve; an empty or missing one is accepted.
    public func checkJurisdiction(_ id: String?) throws {
        guard let id, !id.isEmpty, let served = options.jurisdiction, id != served else { return }
        throw DomainError(.notFound, code: "open311.jurisdiction", "jurisdiction_id '\(id)' is not served here; use '\(served)' or leave it out", field: "jurisdiction_id")
    }

    // MARK: discovery and services

    /// When this endpoint's list of resources and formats last changed (discovery's `changeset`).
    static let endpointsChanged = "2026-11-23T00:00:00+08:00"

    /// `GET discovery`: where the endpoint is and what it speaks.
    public func discovery(baseURL: String) -> Open311Document {
        let formats: Open311Value = .list(item: "format", [.text("text/xml"), .text("application/json")])
        return Open311Document(
            root: "discovery",
            value: .object([
                ("changeset", .text(Self.endpointsChanged)),
                ("contact", .text("CityLoop 城市管理受理平台")),
                ("key_service", .text("API keys: an administrator runs `cityloop apikey create`")),
                ("endpoints", .list(item: "endpoint", [
                    .object([
                        ("specification", .text("http://wiki.open311.org/GeoReport_v2")),
                        ("url", .text(baseURL)),
                        ("changeset", .text(Self.endpointsChanged)),
                        ("type", .text("production")),
                        ("formats", formats),
                    ])
                ])),
            ]))
    }

    /// `GET services`: every offered service.
    public func services(_ lang: Open311Language) -> Open311Document {
        Open311Document(
            root: "services",
            value: .list(item: "service", catalog.services(lang).map { s in
                .object([
                    ("service_code", .text(s.code)), ("service_name", .text(s.name)), ("description", .text(s.description)),
                    ("metadata", .bool(s.metadata)), ("type", .text(s.type)), ("keywords", .text(s.keywords.joined(separator: ","))),
                    ("group", .text(s.group)),
                ])
            }))
    }

    /// `GET services/{code}`: a service definition with its attributes.
    public func definition(_ code: String, _ lang: Open311Language) throws -> Open311Document {
        guard catalog.service(code, lang) != nil else { throw Self.unknownService(code) }
        let attributes = catalog.attributes(code, lang).map { a -> Open311Value in
            var fields: [(String, Open311Value)] = [
                ("variable", .bool(true)), ("code", .text(a.code)), ("datatype", .text(a.datatype)), ("required", .bool(a.required)),
                ("datatype_description", .text(a.datatypeDescription)), ("order", .integer(a.order)), ("description", .text(a.description)),
            ]
            if !a.values.isEmpty {
                fields.append(("values", .list(item: "value", a.values.map { .object([("key", .text($0.key)), ("name", .text($0.name))]) })))
            }
            return .object(fields)
        }
        return Open311Document(
            root: "service_definition", value: .object([("service_code", .text(code)), ("attributes", .list(item: "attribute", attributes))]))
    }

    static func unknownService(_ code: String) -> DomainError {
        DomainError(.notFound, code: "open311.service_code", "service_code '\(code)' is not a service of this city; see GET services", field: "service_code")
    }

    /// The longest `description` a request may carry.
    public static let maxDescription = 4000

    // MARK: requests

    /// `POST requests`: files the request as a case and answers its number and tracking token.
    public func submit(_ form: GeoReportForm, caller: Actor?, lang: Open311Language) async throws -> Open311Document {
        guard caller != nil || options.anonymousWrites else {
            throw DomainError(.forbidden, code: "open311.api_key", "an api_key is required to post requests here", field: "api_key")
        }
        guard let code = form["service_code"] else {
            throw DomainError.invalid("service_code", "service_code is required; see GET services", code: "open311.service_code")
        }
        guard catalog.isOffered(code) else { throw Self.unknownService(code) }
        let place = try self.place(form["address_id"])
        let point = try Self.location(form, place: place)
        var attributes: [String: String] = [:]
        for (k, v) in form.fields where k.hasPrefix("attribute[") && k.hasSuffix("]") {
            attributes[String(k.dropFirst(10).dropLast())] = v.trimmingCharacters(in: .whitespaces)
        }
        let known = Set(catalog.attributes(code, lang).map(\.code))
        if let extra = attributes.keys.sorted().first(where: { !known.contains($0) }) {
            throw DomainError.invalid(
                "attribute[\(extra)]", "service \(code) has no attribute '\(extra)'; it has \(known.sorted().joined(separator: ", "))")
        }
        var urgency: Urgency?
        if let u = attributes[Open311Catalog.urgencyAttribute], !u.isEmpty {
            guard let v = Urgency(rawValue: u) else {
                throw DomainError.invalid(
                    "attribute[urgency]", "urgency must be one of \(Urgency.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            urgency = v
        }
        var evidence: [String] = []
        if let media = form.media, !media.isEmpty {
            let type = try Self.renamingFields { try MediaRules.validate(media, maxBytes: options.maxMediaBytes) }
            evidence.append(try await platform.media.put(media, contentType: type).id)
        }
        let service = catalog.service(code, lang)
        if let text = form["description"], text.count > Self.maxDescription {
            throw DomainError.invalid(
                "description", "description: \(text.count) characters is longer than the \(Self.maxDescription) allowed", code: "open311.description")
        }
        var description = form["description"] ?? service?.name ?? code
        if let url = form["media_url"] {
            description += "\n" + (lang == .zh ? "照片：" : "Photo: ") + url
            guard description.count <= Self.maxDescription else {
                throw DomainError.invalid(
                    "media_url", "media_url: description and media_url together are longer than \(Self.maxDescription) characters",
                    code: "open311.media_url")
            }
        }
        let name = [form["first_name"], form["last_name"]].compactMap { $0 }.joined(separator: " ")
        let input = ReportInput(
            matterCode: code, description: description, lat: point?.0 ?? 0, lon: point?.1 ?? 0, address: form["address_string"] ?? place.map { $0.address.isEmpty ? $0.name : $0.address }, urgency: urgency,
            componentID: attributes[Open311Catalog.componentAttribute].flatMap { $0.isEmpty ? nil : $0 }, evidence: evidence,
            reporterName: name.isEmpty ? nil : name, reporterPhone: form["phone"], reporterEmail: form["email"], source: .citizen)
        let outcome: IntakeOutcome
        do {
            outcome = try await PlacementService(platform: platform).report(input, hasPoint: point != nil, actor: caller ?? Self.anonymous)
        } catch let e as DomainError {
            throw Self.renamed(e)
        }
        let result: ReportResult
        switch outcome {
        case .filed(let filed): result = filed
        case .queued(let entry):
            // The spec's answer for a request that is not a case yet: a token to ask about it later.
            let notice =
                lang == .zh
                ? "已受理。地址“\(entry.address)”需人工定位，定位后立案；可凭 token 查询案卷编号。"
                : "Received. The address \"\(entry.address)\" is being placed on the map by an operator; ask with the token for the request ID."
            return Open311Document(
                root: "service_requests",
                value: .list(item: "request", [.object([("token", .text(entry.id)), ("service_notice", .text(notice)), ("account_id", .text(nil))])]))
        }
        let notice =
            lang == .zh
            ? "已受理，案卷编号 \(result.case.number)。可凭查询码在 /api/v1/track/\(result.trackingCode) 查看办理进度。"
            : "Received as case \(result.case.number). Follow it with the tracking code at /api/v1/track/\(result.trackingCode)."
        return Open311Document(
            root: "service_requests",
            value: .list(item: "request", [
                .object([
                    ("service_request_id", .text(result.case.number)), ("token", .text(result.trackingCode)),
                    ("service_notice", .text(notice)), ("account_id", .text(nil)),
                ])
            ]))
    }

    /// Who posts when no API key is given (and anonymous writes are allowed).
    static let anonymous = Actor(userID: "open311-anonymous", name: "Open311", role: .system)

    /// `body`, with its errors naming fields as Open311 does.
    static func renamingFields<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as DomainError { throw renamed(e) }
    }

    static func renamed(_ e: DomainError) -> DomainError {
        var e = e
        e.field = e.field.map(open311Field)
        if let f = e.field { e.message = "\(f): \(e.message)" }
        return e
    }

    /// The CityLoop input fields as Open311 names them.
    static func open311Field(_ field: String) -> String {
        switch field {
        case "matterCode": "service_code"
        case "lon": "long"
        case "reporterPhone": "phone"
        case "reporterEmail": "email"
        case "componentID": "attribute[component_id]"
        case "evidence", "file": "media"
        case "address": "address_string"
        default: field
        }
    }

    /// The place an `address_id` names (see `Place.id`); nil without one, 400 for one the place table lacks.
    func place(_ addressID: String?) throws -> Place? {
        guard let addressID, !addressID.isEmpty else { return nil }
        guard let place = platform.context.places.places.first(where: { $0.id == addressID }) else {
            throw DomainError.invalid(
                "address_id", "address_id '\(addressID)' is not in the city's place table; give lat and long or address_string",
                code: "open311.address_id")
        }
        return place
    }

    /// The point of a request (given, or the `address_id` place's); nil when it gives only an address (to be
    /// geocoded).
    static func location(_ form: GeoReportForm, place: Place? = nil) throws -> (Double, Double)? {
        if let place, form["lat"] == nil, form["long"] == nil { return (place.point.lat, place.point.lon) }
        switch (form["lat"], form["long"]) {
        case (let la?, let lo?):
            guard let lat = Double(la), let lon = Double(lo), (-90...90).contains(lat), (-180...180).contains(lon) else {
                throw DomainError.invalid("lat", "lat and long must be WGS84 degrees, e.g. lat=30.2741&long=120.1551", code: "open311.location")
            }
            // `crs` is CityLoop's extra field for clients that send GCJ-02 or BD-09; GeoReport v2 itself is WGS84.
            let p = try CoordinateSystem.parse(form["crs"]).toWGS84(GeoPoint(lat: lat, lon: lon))
            return (p.lat, p.lon)
        case (nil, nil):
            guard form["address_string"] != nil else {
                throw DomainError.invalid("lat", "a location is required: lat and long, address_string or address_id", code: "open311.location")
            }
            return nil
        default:
            throw DomainError.invalid(form["lat"] == nil ? "lat" : "long", "lat and long come together", code: "open311.location")
        }
    }

    /// `GET requests`: by ID list, or filtered by service, status and dates (default: the last 90 days), paged.
    /// `baseURL` is the endpoint's (for `media_url`).
    public func requests(_ params: [String: String], lang: Open311Language, baseURL: String) async throws -> Open311Document {
        let form = GeoReportForm(fields: params)
        if let ids = form["service_request_id"] {
            var found: [CaseRecord] = []
            for id in ids.split(separator: ",").prefix(1000) {
                if let c = try await platform.store.caseRecord(number: id.trimmingCharacters(in: .whitespaces)) { found.append(c) }
            }
            return try await document(found, lang, baseURL: baseURL)
        }
        var q = CaseQuery()
        var codes: [String] = []
        if let list = form["service_code"] {
            for raw in list.split(separator: ",") {
                let code = raw.trimmingCharacters(in: .whitespaces)
                guard catalog.isOffered(code) else { throw Self.unknownService(code) }
                if !codes.contains(code) { codes.append(code) }
            }
            guard !codes.isEmpty else { throw DomainError.invalid("service_code", "service_code is empty; give one or more codes, e.g. 06010,06002") }
            guard codes.count <= Self.maxServiceCodes else {
                throw DomainError.invalid("service_code", "service_code lists \(codes.count) services; at most \(Self.maxServiceCodes)")
            }
        }
        if let status = form["status"] {
            var states: [CaseState] = []
            for s in status.split(separator: ",") {
                guard let list = Open311Request.states(forStatus: s.trimmingCharacters(in: .whitespaces)) else {
                    throw DomainError.invalid("status", "status must be open or closed, not '\(s)'")
                }
                states += list
            }
            q.states = states
        }
        let to = try form["end_date"].map { try Self.parseDate($0, field: "end_date") }
        let from = try form["start_date"].map { try Self.parseDate($0, field: "start_date") }
        if let from, let to, from > to { throw DomainError.invalid("start_date", "start_date is after end_date") }
        // The spec's default window: 90 days, ending at end_date or now.
        q.createdTo = to.map { $0.addingTimeInterval(0.001) }
        q.createdFrom = from ?? (to ?? platform.clock.now()).addingTimeInterval(-90 * 86400)
        let size = try Self.positive(form["page_size"], field: "page_size", max: 1000) ?? 100
        let page = try Self.positive(form["page"], field: "page", max: 1_000_000) ?? 1
        guard codes.count > 1 else {
            q.matterPrefix = codes.first
            q.limit = size
            q.offset = (page - 1) * size
            return try await document(try await platform.store.cases(q).items, lang, baseURL: baseURL)
        }
        // Several services: the newest of each, merged newest first, then the page cut from the merged list.
        let end = page * size
        guard end <= Self.maxMergedWindow else {
            throw DomainError.invalid("page", "with several service codes, page × page_size may reach at most \(Self.maxMergedWindow)")
        }
        q.limit = end
        q.offset = 0
        var merged: [CaseRecord] = []
        for code in codes {
            q.matterPrefix = code
            merged += try await platform.store.cases(q).items
        }
        merged.sort { ($0.createdAt, $0.number) > ($1.createdAt, $1.number) }
        return try await document(Array(merged.dropFirst(end - size).prefix(size)), lang, baseURL: baseURL)
    }

    /// The most services one `service_code` list may name.
    static let maxServiceCodes = 50
    /// How deep pages go when several services are merged.
    static let maxMergedWindow = 10_000

    /// `GET requests/{id}`: one request.
    public func request(_ id: String, lang: Open311Language, baseURL: String) async throws -> Open311Document {
        guard let c = try await platform.store.caseRecord(number: id) else {
            throw DomainError(.notFound, code: "open311.request", "service_request_id '\(id)' does not exist", field: "service_request_id")
        }
        return try await document([c], lang, baseURL: baseURL)
    }

    /// `GET tokens/{token}`: the request a token stands for — a tracking code from `POST requests`, or the token of
    /// a request waiting to be placed on the map (no `service_request_id` until it is).
    public func token(_ token: String) async throws -> Open311Document {
        var number: String?
        if let n = platform.tracking.number(in: token), try await platform.store.caseRecord(number: n) != nil {
            number = n
        } else if let entry = try await platform.store.unplacedReport(id: token) {
            number = entry.caseNumber
        } else {
            throw DomainError(.notFound, code: "open311.token", "token '\(token)' is unknown", field: "token")
        }
        return Open311Document(
            root: "service_requests",
            value: .list(item: "request", [.object([("service_request_id", .text(number)), ("token", .text(token))])]))
    }

    func document(_ cases: [CaseRecord], _ lang: Open311Language, baseURL: String) async throws -> Open311Document {
        let ctx = platform.context
        let catalog = self.catalog
        let cal = ctx.policy.calendar
        var media: [String: String] = [:]
        for c in cases { media[c.number] = try await mediaURL(of: c, baseURL: baseURL) }
        return Open311Document(
            root: "service_requests",
            value: .list(item: "request", cases.map { c in
                let r = Open311Request(
                    case: c, lang: lang, service: { catalog.service($0, lang)?.name ?? ctx.catalog.matter($0)?.name },
                    department: { id in ctx.departments[id].map { ($0.name, $0.nameEn) } })
                // Public output: phone numbers typed into the text are masked (号码脱敏).
                return .object([
                    ("service_request_id", .text(r.id)), ("status", .text(r.status)), ("status_notes", .text(r.statusNotes)),
                    ("service_name", .text(r.serviceName)), ("service_code", .text(r.serviceCode)),
                    ("description", .text(PhoneMasking.mask(r.description))),
                    ("agency_responsible", .text(r.agencyResponsible)), ("service_notice", .text(nil)),
                    ("requested_datetime", .text(cal.w3cDateTime(r.requestedAt))), ("updated_datetime", .text(cal.w3cDateTime(r.updatedAt))),
                    ("expected_datetime", .text(r.expectedAt.map { cal.w3cDateTime($0) })), ("address", .text(r.address.map(PhoneMasking.mask))),
                    ("address_id", .text(nil)), ("zipcode", .text(nil)), ("lat", .number(r.lat)), ("long", .number(r.lon)),
                    ("media_url", .text(media[c.number])),
                ])
            }))
    }

    // MARK: values

    /// Parses a W3C/ISO 8601 date-time, with or without fractional seconds, or a plain date (midnight UTC).
    static func parseDate(_ s: String, field: String) throws -> Date {
        let f = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds], [.withFullDate]] {
            f.formatOptions = options
            if let d = f.date(from: s) { return d }
        }
        throw DomainError.invalid(field, "\(field) '\(s)' is not a W3C date-time such as 2026-11-01T00:00:00+08:00", code: "open311.date")
    }

    static func positive(_ s: String?, field: String, max: Int) throws -> Int? {
        guard let s else { return nil }
        guard let v = Int(s), (1...max).contains(v) else { throw DomainError.invalid(field, "\(field) must be a whole number from 1 to \(max)") }
        return v
    }
}
