import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird

/// The evaluation office's API (综合评价): rankings for any period and subject, the cases behind any number,
/// exports, and the scheme of weights.
struct EvaluationRoutes: Sendable {
    let platform: Platform

    /// Roles that read the evaluation.
    static let readers: [Role] = [.leader, .admin, .shiftLead]

    func register(on api: APIBuilder) {
        let service = EvaluationService(platform: platform)
        api.add(.get, "/api/v1/evaluation", "Indicators, composite scores, grades and ranking of one kind of subject for a period",
                tag: "evaluation", access: "leader, admin, shiftlead", query: ["period", "subject"]) { req, ctx in
            _ = try ctx.requireRole(Self.readers)
            let report = try await service.report(try Self.audience(req), period: try service.period(req.query("period")))
            return try APIJSON.response(EvaluationReply(report))
        }
        api.add(.get, "/api/v1/evaluation/export", "The ranking as CSV (UTF-8 with BOM) for spreadsheets",
                tag: "evaluation", access: "leader, admin, shiftlead", query: ["period", "subject", "lang"]) { req, ctx in
            _ = try ctx.requireRole(Self.readers)
            let audience = try Self.audience(req)
            let period = try service.period(req.query("period"))
            let report = try await service.report(audience, period: period)
            var headers = HTTPFields()
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"evaluation-\(audience.name)-\(period.name).csv\""
            let csv = report.csv(english: req.query("lang") == "en")
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: csv)))
        }
        api.add(.get, "/api/v1/evaluation/cases", "The cases behind one number: an indicator's numerator or denominator for one subject",
                tag: "evaluation", access: "leader, admin, shiftlead",
                query: ["period", "subject", "id", "indicator", "part", "after", "limit"]) { req, ctx in
            _ = try ctx.requireRole(Self.readers)
            let audience = try Self.audience(req)
            let id = req.query("id") ?? ""
            guard audience.kind == .city || !id.isEmpty else { throw DomainError.invalid("id", "id names the \(audience.name) whose cases are listed") }
            guard let indicator = req.query("indicator") else { throw DomainError.invalid("indicator", "indicator is required, e.g. onTimeClosingRate") }
            let limit = try req.queryInt("limit") ?? 100
            guard (1...1000).contains(limit) else { throw DomainError.invalid("limit", "limit must be between 1 and 1000") }
            let cases = try await service.cases(
                indicator: indicator, part: try req.queryEnum("part", EvaluationService.Part.self) ?? .numerator,
                subject: EvaluationSubject(kind: audience.kind, id: audience.kind == .city ? "" : id), period: try service.period(req.query("period")),
                after: req.query("after"), limit: limit)
            return try APIJSON.response(cases.map(EvaluationCaseReply.init))
        }
        api.add(.get, "/api/v1/evaluation/indicators", "Every indicator with its numerator and denominator counters", tag: "evaluation") { _, ctx in
            _ = try ctx.requireActor()
            return try APIJSON.response(Indicator.all.map(IndicatorReply.init))
        }
        api.add(.get, "/api/v1/evaluation/scheme", "The scheme: composite score weights by role, department and area weights, volume steps, grades",
                tag: "evaluation", access: "leader, admin, shiftlead") { _, ctx in
            _ = try ctx.requireRole(Self.readers)
            return try APIJSON.response(try await service.scheme())
        }
        api.add(.put, "/api/v1/evaluation/scheme", "Replace the scheme; weights must sum to 100", tag: "admin", access: "admin",
                body: "EvaluationScheme") { req, ctx in
            _ = try ctx.requireRole(.admin)
            try await service.saveScheme(try await APIJSON.decode(EvaluationScheme.self, from: req, context: ctx))
            return try APIJSON.response(try await service.scheme())
        }
        registerContractors(on: api, service)
    }

    func registerContractors(on api: APIBuilder, _ service: EvaluationService) {
        api.add(.get, "/api/v1/evaluation/contractors", "Contractors' credit (清运企业信用评价): score, level, deductions and rank for a period",
                tag: "evaluation", access: "leader, admin, shiftlead", query: ["period"]) { req, ctx in
            _ = try ctx.requireRole(Self.readers)
            let period = try service.period(req.query("period"))
            let (rows, previous) = try await service.contractorCredit(period: period)
            return try APIJSON.response(rows.map { ContractorReply($0, previous: previous[$0.info.subject.id]) })
        }
        api.add(.get, "/api/v1/evaluation/contractors/:id/vehicle-events",
                "The events of a contractor's vehicles behind its credit deductions in a period, newest first", tag: "evaluation",
                access: "leader, admin, shiftlead", query: ["period", "limit"]) { req, ctx in
            _ = try ctx.requireRole(Self.readers)
            let id = DepartmentID(try ctx.param("id"))
            guard platform.context.departments[id]?.contractor == true else { throw DomainError.notFound("contractor", id.rawValue) }
            let period = try service.period(req.query("period"))
            return try APIJSON.response(try await service.contractorVehicleEvents(id, period: period, limit: try APIRoutes.limit(req, default: 200, max: 5000)))
        }
        api.add(.get, "/api/v1/evaluation/contractor-scheme", "The contractors' credit formula", tag: "evaluation",
                access: "leader, admin, shiftlead") { _, ctx in
            _ = try ctx.requireRole(Self.readers)
            return try APIJSON.response(try await service.contractorScheme())
        }
        api.add(.put, "/api/v1/evaluation/contractor-scheme", "Replace the contractors' credit formula", tag: "admin", access: "admin",
                body: "ContractorCreditScheme") { req, ctx in
            _ = try ctx.requireRole(.admin)
            try await service.saveContractorScheme(try await APIJSON.decode(ContractorCreditScheme.self, from: req, context: ctx))
            return try APIJSON.response(try await service.contractorScheme())
        }
    }

    static func audience(_ req: Request) throws -> EvaluationService.Audience {
        let text = req.query("subject") ?? "department"
        guard let a = EvaluationService.Audience.parse(text) else {
            throw DomainError.invalid("subject", "subject must be one of \(EvaluationService.Audience.all.map(\.name).joined(separator: ", "))")
        }
        return a
    }
}

/// `GET /api/v1/evaluation`.
struct EvaluationReply: Codable {
    struct Period: Codable {
        var name, kind, from, to, previous: String
        var days: Int
    }
    struct IndicatorHead: Codable {
        var id, name, nameEn: String
        var rate, higherIsBetter: Bool
    }
    struct Row: Codable {
        var subject: String
        var kind: String
        var name, nameEn: String
        var rank: Int?
        var score: Double?
        var grade: String?
        var previousScore: Double?
        var change: Double?
        var indicators: [String: IndicatorValue]
        var previousIndicators: [String: IndicatorValue]
    }
    var period: Period
    var subject: String
    var indicators: [IndicatorHead]
    var rows: [Row]

    init(_ r: EvaluationReport) {
        func day(_ d: Int) -> String { EvaluationPeriod(kind: .day, firstDay: d, lastDay: d, utcOffsetSeconds: r.period.utcOffsetSeconds).name }
        period = Period(
            name: r.period.name, kind: r.period.kind.rawValue, from: day(r.period.firstDay), to: day(r.period.lastDay), previous: r.period.previous.name,
            days: r.period.length)
        subject = r.role?.rawValue ?? r.kind.name
        indicators = r.indicators.map {
            IndicatorHead(id: $0.id, name: $0.chineseName, nameEn: $0.englishName, rate: $0.isRate, higherIsBetter: $0.higherIsBetter)
        }
        rows = r.rows.map {
            Row(
                subject: $0.info.subject.id, kind: $0.info.subject.kind.name, name: $0.info.name, nameEn: $0.info.nameEn, rank: $0.rank,
                score: $0.score, grade: $0.grade, previousScore: $0.previousScore, change: $0.change, indicators: $0.indicators,
                previousIndicators: $0.previousIndicators)
        }
    }
}

/// A case behind a number.
struct EvaluationCaseReply: Codable {
    var id, number, matterCode, state: String
    var lat, lon: Double
    var createdAt: Date

    init(_ s: CaseSummary) {
        id = s.id.rawValue
        number = s.number
        matterCode = s.matterCode
        state = s.state.rawValue
        lat = s.point.lat
        lon = s.point.lon
        createdAt = s.createdAt
    }
}

/// `GET /api/v1/evaluation/indicators`.
struct IndicatorReply: Codable {
    var id, name, nameEn: String
    var numerator, denominator: [String]
    var subjects: [String]
    var role: String?
    var higherIsBetter: Bool

    init(_ i: Indicator) {
        id = i.id
        name = i.chineseName
        nameEn = i.englishName
        numerator = i.numerator.map { "\($0)" }
        denominator = i.denominator.map { "\($0)" }
        subjects = i.kinds.sorted().map(\.name)
        role = i.role?.rawValue
        higherIsBetter = i.higherIsBetter
    }
}

/// A contractor's credit line.
struct ContractorReply: Codable {
    var id, name, nameEn, level: String
    var rank: Int
    var score: Double
    var previousScore: Double?
    var change: Double?
    var deductions: [String: Double]
    var indicators: [String: IndicatorValue]
    /// The events of its vehicles in the period, by kind.
    var vehicleEvents: [String: Int]

    init(_ r: ContractorCreditRow, previous: Double?) {
        id = r.info.subject.id
        name = r.info.name
        nameEn = r.info.nameEn
        level = r.level
        rank = r.rank
        score = r.score
        previousScore = previous
        change = previous.map { ((r.score - $0) * 100).rounded() / 100 }
        deductions = r.deductions
        indicators = r.indicators
        vehicleEvents = Dictionary(uniqueKeysWithValues: r.vehicleEvents.map { ($0.key.rawValue, $0.value) })
    }
}
