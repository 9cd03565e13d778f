import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZIPFoundation

@testable import CityLoopHTTP

/// The monthly report (定期通报) as the leader gets it: JSON, a printable page, a PDF and a workbook that all show
/// the same figures.
@Suite struct ReportAPITests {
    /// Whether this is a CI run, where the PDF test must run (and so Chromium and pdftotext must be installed).
    static let isCI: Bool = {
        guard let ci = ProcessInfo.processInfo.environment["CI"] else { return false }
        return !ci.isEmpty && ci.lowercased() != "false"
    }()
    /// Whether the PDF test runs: always in CI; locally only when Chromium is installed.
    static let pdfRuns = isCI || FileManager.default.isExecutableFile(atPath: ChromiumPDFRenderer.defaultExecutable)

    /// One case taken to closing on time and one left dispatched (not accepted) until it is overdue; the clock then
    /// stands four hours later, still in November 2026 and within the users' sessions.
    static func driveCases(_ api: API) async throws -> (closed: String, overdue: String) {
        let closed = try await api.dispatchedCase()
        try await api.step("accept", closed, as: "handler")
        try await api.step("report_handled", closed, as: "handler", ["comment": "已清理"])
        try await api.step("send_check", closed, as: "operator")
        try await api.step("check_pass", closed, as: "inspector")
        try await api.step("close", closed, as: "shiftlead")
        let overdue = try await api.dispatchedCase()
        api.city.clock.advance(by: 4 * 3600)
        let a = try await api.get("/api/v1/cases/\(closed)", as: "leader")
        let b = try await api.get("/api/v1/cases/\(overdue)", as: "leader")
        return (try #require(a.string("case.number")), try #require(b.string("case.number")))
    }

    /// The city's figure of an indicator in the JSON.
    static func figure(_ r: Reply, _ id: String) -> [String: Any]? { r.objects("indicators").first { $0["id"] as? String == id } }

    /// A JSON number written as the page writes it.
    static func shown(_ x: Any?) -> String? { (x as? NSNumber).map { EvaluationReport.number($0.doubleValue) } }

    @Test func jsonHasTheKeyNumbersAndThePageAndWorkbookShowThem() async throws {
        try await TestCity.serve { api in
            let (closed, _) = try await Self.driveCases(api)
            // MUT
            let json = try await api.get("/api/v1/reports/monthly?period=2026-11", as: "leader")
            // validate
            try #require(json.status == .ok, "\(json)")
            #expect(json.string("period.name") == "2026-11" && json.string("period.previous") == "2026-10" && json.string("period.yearBefore") == "2025-11")
            #expect(json["area.code"] == nil && json.string("title") == "城市管理月度通报")
            let onTime = try #require(Self.figure(json, "onTimeClosingRate"))
            let numerator = try #require(onTime["numerator"] as? Int), denominator = try #require(onTime["denominator"] as? Int)
            #expect(numerator >= 1 && denominator >= 2, "our closed case is on time, the open one is due: \(onTime)")
            let rate = try #require(Self.shown(onTime["value"]))
            #expect((Self.figure(json, "reported")?["numerator"] as? Int ?? 0) >= 2)
            #expect(Set(json.objects("indicators").compactMap { $0["id"] as? String }).isSuperset(of: MonthlyReport.keyIndicatorIDs))
            let rankings = try #require(json["rankings"] as? [String: Any])
            #expect(Set(rankings.keys) == ["department", "street", "inspector", "operator", "shiftlead", "dispatcher"])
            let sanitation = try #require(json.objects("rankings.department.rows").first { $0["subject"] as? String == "sanitation" })
            #expect(sanitation["name"] as? String == "市环境卫生管理处")
            let sanitationValue = (sanitation["indicators"] as? [String: Any])?["onTimeClosingRate"].flatMap { ($0 as? [String: Any])?["value"] }
            let deptRate = try #require(Self.shown(sanitationValue))
            // The demo's history has older overdue cases than ours: the list holds the 20 worst, most overdue first.
            let overdueList = json.objects("overdue")
            let dues = overdueList.compactMap { $0["stepDueAt"] as? String }
            #expect(overdueList.count == min(20, json.int("openOverdue") ?? 0) && dues == dues.sorted() && dues.count == overdueList.count)
            #expect(!overdueList.contains { $0["number"] as? String == closed })
            let worst = try #require(overdueList.first?["number"] as? String)
            #expect(json.objects("hotspots").count <= 10 && (json.int("hotspotTotal") ?? 0) >= 2)
            #expect(json.objects("hotspots").contains { $0["matterCode"] as? String == "06010" && $0["gridCode"] as? String == api.city.grid.code })
            #expect(json.int("trend.reported") == Self.figure(json, "reported")?["numerator"] as? Int)

            let html = try await api.get("/api/v1/reports/monthly.html?period=2026-11", as: "leader")
            try #require(html.status == .ok, "\(html)")
            #expect(html.headers[.contentType] == "text/html; charset=utf-8")
            let page = String(decoding: html.data, as: UTF8.self)
            #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<html lang=\"zh-CN\">") && page.contains("@page") && page.contains("@media print"))
            #expect(page.contains("城市管理月度通报") && page.contains("市环境卫生管理处") && page.contains(worst))
            #expect(page.contains(">\(rate)%<") && page.contains("\(numerator) / \(denominator)"), "the city's on-time closing rate \(rate)")
            #expect(page.contains(">\(deptRate)<small>"), "the department's on-time closing rate \(deptRate)")
            #expect(page.contains("<thead>") && page.components(separatedBy: "<section").count - 1 == 11)

            let english = try await api.get("/api/v1/reports/monthly.html?period=2026-11&lang=en", as: "shiftlead")
            let enPage = String(decoding: english.data, as: UTF8.self)
            #expect(english.status == .ok, "\(english)")
            #expect(enPage.contains("<html lang=\"en\">") && enPage.contains("Monthly city management report"))
            #expect(enPage.contains("Sanitation Office") && enPage.contains(">\(rate)%<"))

            let xlsx = try await api.get("/api/v1/reports/monthly.xlsx?period=2026-11", as: "admin")
            try #require(xlsx.status == .ok, "\(xlsx)")
            #expect(xlsx.headers[.contentType] == XLSXWriter.mediaType)
            #expect(xlsx.headers[.contentDisposition]?.contains("monthly-report-2026-11-city.xlsx") == true)
            let book = try Self.unzip(xlsx.data)
            for part in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"] {
                #expect(book[part] != nil, "missing \(part)")
            }
            let names = Self.sheetNames(try #require(book["xl/workbook.xml"]))
            #expect(names.count == 11 && names.first == "主要指标" && names.contains("部门排名") && names.contains("超期案件"))
            #expect(names.allSatisfy { $0.utf16.count <= 31 && !$0.contains(where: { "[]:*?/\\".contains($0) }) })
            let indicators = try #require(book["xl/worksheets/sheet1.xml"])
            #expect(indicators.contains("<v>\(numerator)</v>") && indicators.contains("<v>\(denominator)</v>"))
            #expect(indicators.contains("<v>\(Self.cellNumber(onTime["value"]))</v>"), "the rate is a number cell")
            #expect(indicators.contains(#"s="1" t="inlineStr"><is><t>指标</t>"#), "a bold header")
            let departments = try #require(book["xl/worksheets/sheet3.xml"])
            #expect(departments.contains("<t>市环境卫生管理处</t>") && departments.contains("<t>sanitation</t>"))
            #expect(departments.contains("<v>\(Self.cellNumber(sanitationValue))</v>"))
            #expect(try #require(book["xl/worksheets/sheet9.xml"]).contains("<t>\(worst)</t>"))

            let one = try await api.get("/api/v1/evaluation/export.xlsx?period=2026-11&subject=department", as: "leader")
            try #require(one.status == .ok, "\(one)")
            let single = try Self.unzip(one.data)
            #expect(Self.sheetNames(try #require(single["xl/workbook.xml"])) == ["department 2026-11"])
            #expect(try #require(single["xl/worksheets/sheet1.xml"]).contains("<t>市环境卫生管理处</t>"))
        }
    }

    @Test func defaultsToThePreviousMonthAndReportsADistrict() async throws {
        try await TestCity.serve { api in
            _ = try await Self.driveCases(api)
            let last = try await api.get("/api/v1/reports/monthly", as: "leader")
            #expect(last.status == .ok && last.string("period.name") == "2026-10", "\(last)")
            let district = String(api.city.grid.code.prefix(6))
            let r = try await api.get("/api/v1/reports/monthly?period=2026-11&area=\(district)", as: "leader")
            try #require(r.status == .ok, "\(r)")
            #expect(r.string("area.code") == district)
            #expect(r.objects("rankings.street.rows").allSatisfy { ($0["subject"] as? String)?.hasPrefix(district) == true })
            #expect(r.objects("rankings.street.rows").first?["rank"] as? Int == 1)
            #expect(r.objects("overdue").allSatisfy { ($0["gridCode"] as? String)?.hasPrefix(district) == true })
            #expect(r.objects("hotspots").allSatisfy { ($0["gridCode"] as? String)?.hasPrefix(district) == true })
        }
    }

    @Test func pageEscapesText() async throws {
        try await TestCity.serve { api in
            _ = try await Self.driveCases(api)
            let name = #"环卫<script>alert("x")</script> & 'co'"#
            let saved = try await api.send(
                .put, "/api/v1/departments", as: "admin",
                raw: try JSONSerialization.data(withJSONObject: [["id": "sanitation", "name": name, "nameEn": "Sanitation <b>", "territorial": false]]),
                headers: [.contentType: "application/json"])
            try #require(saved.status == .ok, "\(saved)")
            let html = try await api.get("/api/v1/reports/monthly.html?period=2026-11", as: "leader")
            let page = String(decoding: html.data, as: UTF8.self)
            #expect(page.contains("环卫&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;"))
            #expect(!page.contains("<script"))
            let en = String(decoding: try await api.get("/api/v1/reports/monthly.html?period=2026-11&lang=en", as: "leader").data, as: UTF8.self)
            #expect(en.contains("Sanitation &lt;b&gt;") && !en.contains("Sanitation <b>"))
        }
    }

    @Test(.enabled(if: pdfRuns, "Chromium is not installed (the test always runs in CI)"))
    func pdfIsARealPDFWithTheKeyNumbers() async throws {
        try await TestCity.serve { api in
            _ = try await Self.driveCases(api)
            let json = try await api.get("/api/v1/reports/monthly?period=2026-11", as: "leader")
            let onTime = try #require(Self.figure(json, "onTimeClosingRate"))
            let rate = try #require(Self.shown(onTime["value"]))
            // MUT
            let pdf = try await api.get("/api/v1/reports/monthly.pdf?period=2026-11", as: "leader")
            // validate
            try #require(pdf.status == .ok, "\(pdf)")
            #expect(pdf.headers[.contentType] == "application/pdf")
            #expect(pdf.data.starts(with: Array("%PDF".utf8)) && pdf.data.count > 10_000)
            let text = try Self.pdfText(pdf.data).filter { !$0.isWhitespace }
            #expect(text.contains("城市管理月度通报") && text.contains("2026-11"))
            #expect(text.contains("按期结案率") && text.contains("\(rate)%"), "the city's on-time closing rate \(rate)")
            #expect(text.contains("\(onTime["numerator"] ?? "?")/\(onTime["denominator"] ?? "?")"))
            #expect(text.contains("市环境卫生管理处"), "a department's name")
        }
    }

    @Test func badInputNamesTheFieldAndOnlyReadersGetReports() async throws {
        try await TestCity.serve { api in
            let cases: [(String, String)] = [
                ("/api/v1/reports/monthly?period=2026-13", "period"), ("/api/v1/reports/monthly?period=2026-W48", "period"),
                ("/api/v1/reports/monthly.html?period=november", "period"), ("/api/v1/reports/monthly.pdf?period=2026-11-05", "period"),
                ("/api/v1/reports/monthly.xlsx?area=999999", "area"), ("/api/v1/reports/monthly?area=\(api.city.grid.code)", "area"),
                ("/api/v1/reports/monthly?lang=fr", "lang"), ("/api/v1/evaluation/export.xlsx?subject=everyone", "subject"),
                ("/api/v1/evaluation/export.xlsx?period=2026-99", "period"),
            ]
            for (uri, field) in cases {
                let r = try await api.get(uri, as: "leader")
                #expect(r.status == .unprocessableContent && r.errorField == field, "\(uri): \(r)")
            }
            for path in ["monthly", "monthly.html", "monthly.pdf", "monthly.xlsx"] {
                let r = try await api.get("/api/v1/reports/\(path)?period=2026-11", as: "handler")
                #expect(r.status == .forbidden, "\(path): \(r)")
                #expect(try await api.get("/api/v1/reports/\(path)").status == .unauthorized)
            }
            #expect(try await api.get("/api/v1/evaluation/export.xlsx", as: "handler").status == .forbidden)
            #expect(try await api.get("/api/v1/reports/monthly", as: "citizen").status == .forbidden)

            let documented = OpenAPISyncTests.operations(try await api.get("/openapi.json"))
            let ours: Set<String> = [
                "get /api/v1/reports/monthly", "get /api/v1/reports/monthly.html", "get /api/v1/reports/monthly.pdf",
                "get /api/v1/reports/monthly.xlsx", "get /api/v1/evaluation/export.xlsx",
            ]
            #expect(ours.isSubset(of: documented), "missing from the document: \(ours.subtracting(documented).sorted())")
        }
    }

    @Test func pdfWithoutChromiumIsA503WithAJSONBody() async throws {
        let city = try await TestCity.make()
        defer { try? FileManager.default.removeItem(at: city.folder) }
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: AuthMiddleware(accounts: AccountService(platform: city.platform)))
        let builder = APIBuilder(router: router)
        APIRoutes(platform: city.platform).addAccountRoutes(builder)
        ReportRoutes(platform: city.platform, pdf: ChromiumPDFRenderer(executable: "/nonexistent/chromium")).register(on: builder)
        try await LiveServer.run(router: router) { client in
            let api = API(client: client, city: city)
            let r = try await api.get("/api/v1/reports/monthly.pdf?period=2026-11", as: "leader")
            #expect(r.status == .serviceUnavailable && r.errorCode == "pdf.unavailable", "\(r)")
            #expect(r.headers[.contentType]?.hasPrefix("application/json") == true && r.errorMessage.contains("Chromium"))
        }
    }

    @Test func sheetNamesAreValidAndUnique() {
        let long = String(repeating: "一二三四五六七八九十", count: 3) + "一二三"
        let names = XLSXWriter.sheetNames(["a/b:c", long, "A/B:C", "'quoted'", "", "[x]*?"])
        #expect(names[0] == "a_b_c" && names[2] == "A_B_C (2)" && names[3] == "quoted" && names[4] == "Sheet 5" && names[5] == "_x___")
        #expect(names[1].utf16.count == 31)
        #expect(Set(names.map { $0.lowercased() }).count == names.count)
    }

    // Helpers.

    /// The text parts of an .xlsx file by path.
    static func unzip(_ data: Data) throws -> [String: String] {
        let archive = try Archive(data: data, accessMode: .read)
        var parts: [String: String] = [:]
        for entry in archive {
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            parts[entry.path] = String(decoding: bytes, as: UTF8.self)
        }
        return parts
    }

    /// The sheet names in a workbook part, in order.
    static func sheetNames(_ workbook: String) -> [String] {
        workbook.components(separatedBy: "<sheet name=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    /// A JSON number as a number cell holds it.
    static func cellNumber(_ x: Any?) -> String {
        guard let d = (x as? NSNumber)?.doubleValue else { return "?" }
        return d == d.rounded() ? String(Int(d)) : "\(d)"
    }

    /// The text of a PDF by poppler's pdftotext (installed by scripts/bootstrap).
    static func pdfText(_ pdf: Data) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-pdftext-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("report.pdf")
        try pdf.write(to: file)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        p.arguments = ["-enc", "UTF-8", file.path, folder.appendingPathComponent("report.txt").path]
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "pdftotext failed")
        return try String(contentsOf: folder.appendingPathComponent("report.txt"), encoding: .utf8)
    }
}
