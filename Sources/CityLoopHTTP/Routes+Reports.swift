import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird

/// The regular reports (定期通报): the monthly report of the city or a district as JSON, a printable page, a PDF
/// and a workbook of every table; and any one ranking as a workbook.
struct ReportRoutes: Sendable {
    let platform: Platform
    /// Prints the page to PDF.
    var pdf: any PDFRenderer = ChromiumPDFRenderer()

    func register(on api: APIBuilder) {
        let service = ReportService(platform: platform)
        let roles = EvaluationRoutes.readers
        let access = "leader, admin, shiftlead"
        let query = ["period", "area", "lang"]
        api.add(.get, "/api/v1/reports/monthly", "The monthly report (定期通报) of the city or a district: indicators, rankings, overdue cases, hotspots",
                tag: "reports", access: access, query: query) { req, ctx in
            _ = try ctx.requireRole(roles)
            let (report, strings) = try await Self.report(req, service)
            return try APIJSON.response(MonthlyReportReply(report, strings))
        }
        api.add(.get, "/api/v1/reports/monthly.html", "The monthly report as a self-contained printable page (A4)",
                tag: "reports", access: access, query: query) { req, ctx in
            _ = try ctx.requireRole(roles)
            let (report, strings) = try await Self.report(req, service)
            return Self.file(Data(report.html(strings).utf8), type: "text/html; charset=utf-8", name: nil)
        }
        api.add(.get, "/api/v1/reports/monthly.pdf", "The monthly report printed to PDF by headless Chromium; 503 when Chromium is missing",
                tag: "reports", access: access, query: query) { [pdf] req, ctx in
            _ = try ctx.requireRole(roles)
            let (report, strings) = try await Self.report(req, service)
            do {
                let bytes = try await pdf.pdf(html: report.html(strings))
                return Self.file(bytes, type: "application/pdf", name: Self.fileName(report, strings, ext: "pdf"))
            } catch let e as PDFRenderError {
                ctx.logger.error("monthly report PDF: \(e)")
                return ErrorMiddleware.response(status: .serviceUnavailable, code: "pdf.\(e.kind.rawValue)", message: e.message, field: nil)
            }
        }
        api.add(.get, "/api/v1/reports/monthly.xlsx", "Every table of the monthly report as a sheet of one workbook",
                tag: "reports", access: access, query: query) { req, ctx in
            _ = try ctx.requireRole(roles)
            let (report, strings) = try await Self.report(req, service)
            let book = try XLSXWriter.workbook(report.tables(strings).map(\.xlsxSheet))
            return Self.file(book, type: XLSXWriter.mediaType, name: Self.fileName(report, strings, ext: "xlsx"))
        }
        let evaluation = EvaluationService(platform: platform)
        api.add(.get, "/api/v1/evaluation/export.xlsx", "One ranking as a workbook (numbers as numbers)",
                tag: "evaluation", access: access, query: ["period", "subject", "lang"]) { req, ctx in
            _ = try ctx.requireRole(roles)
            let audience = try EvaluationRoutes.audience(req)
            let period = try evaluation.period(req.query("period"))
            let strings = try Self.strings(req)
            let table = try await evaluation.report(audience, period: period).cells(english: strings.english)
            let book = try XLSXWriter.workbook([XLSXSheet(name: "\(audience.name) \(period.name)", header: table.header, rows: table.rows)])
            return Self.file(book, type: XLSXWriter.mediaType, name: "evaluation-\(audience.name)-\(period.name).xlsx")
        }
    }

    /// The report asked for by `period`, `area` and `lang`, and the strings of its language; 422 naming the field
    /// at fault.
    static func report(_ req: Request, _ service: ReportService) async throws -> (MonthlyReport, ReportStrings) {
        let strings = try strings(req)
        let period = try service.month(req.query("period"))
        let area = try service.area(req.query("area"))
        return (try await service.monthly(period: period, area: area), strings)
    }

    /// The strings of `lang` (`zh`, the default, or `en`); 422 naming `lang` otherwise.
    static func strings(_ req: Request) throws -> ReportStrings {
        let lang = req.query("lang")
        guard lang == nil || lang == "zh" || lang == "en" else { throw DomainError.invalid("lang", "lang must be zh or en") }
        return ReportStrings.forLanguage(lang)
    }

    static func fileName(_ r: MonthlyReport, _ s: ReportStrings, ext: String) -> String {
        "monthly-report-\(r.period.name)-\(r.area.code ?? "city")\(s.english ? "-en" : "").\(ext)"
    }

    /// A 200 with the bytes; an attachment when named.
    static func file(_ data: Data, type: String, name: String?) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        if let name { headers[.contentDisposition] = "attachment; filename=\"\(name)\"" }
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
