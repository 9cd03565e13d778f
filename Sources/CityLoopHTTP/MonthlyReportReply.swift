import CityLoopDomain
import CityLoopServices
import Foundation

/// `GET /api/v1/reports/monthly`: the report's figures; the page, the PDF and the workbook show the same ones.
struct MonthlyReportReply: Codable {
    struct Period: Codable {
        var name, from, to, previous, yearBefore: String
    }
    struct Area: Codable {
        var code: String?
        var name, nameEn: String
    }
    struct Figure: Codable {
        var id, name, nameEn: String
        var rate, higherIsBetter: Bool
        var numerator, denominator: Int
        var value: Double?
        var previous, yearBefore: IndicatorValue
        var changeFromPrevious, changeFromYearBefore: Double?
    }
    struct Trend: Codable {
        var reported, previous, yearBefore: Int
        var monthOverMonth, yearOverYear: Double?
        var daily: [Int]
    }
    struct Overdue: Codable {
        var number, matterCode, matterName, matterNameEn, state, gridCode, streetName: String
        var departmentID, departmentName, departmentNameEn: String?
        var stepDueAt: Date
        var daysOverdue: Double
    }
    struct Hotspot: Codable {
        var rank: Int
        var gridCode, matterCode, matterName, matterNameEn: String
        var areas: [String]
        var count: Int
        var share: Double
        var previousCount, previousRank: Int?
    }

    var title: String
    var period: Period
    var area: Area
    var generatedAt: Date
    var summary: String
    var indicators: [Figure]
    var trend: Trend
    /// Rankings by subject: `department`, `street`, `inspector`, `operator`, `shiftlead`, `dispatcher`.
    var rankings: [String: EvaluationReply]
    var openOverdue: Int
    var overdue: [Overdue]
    var hotspotTotal: Int
    var hotspots: [Hotspot]
    var recurringHotspots: [Hotspot]

    init(_ r: MonthlyReport, _ s: ReportStrings) {
        func day(_ d: Int) -> String { EvaluationPeriod(kind: .day, firstDay: d, lastDay: d, utcOffsetSeconds: r.period.utcOffsetSeconds).name }
        title = s.title
        period = Period(
            name: r.period.name, from: day(r.period.firstDay), to: day(r.period.lastDay), previous: r.previousPeriod.name,
            yearBefore: r.yearBeforePeriod.name)
        area = Area(code: r.area.code, name: r.area.name, nameEn: r.area.nameEn)
        generatedAt = r.generatedAt
        summary = r.summary(s)
        indicators = r.keyFigures.map {
            Figure(
                id: $0.indicator.id, name: $0.indicator.chineseName, nameEn: $0.indicator.englishName, rate: $0.indicator.isRate,
                higherIsBetter: $0.indicator.higherIsBetter, numerator: $0.now.numerator, denominator: $0.now.denominator, value: $0.now.value,
                previous: $0.previous, yearBefore: $0.yearBefore, changeFromPrevious: $0.changeFromPrevious,
                changeFromYearBefore: $0.changeFromYearBefore)
        }
        let t = r.trend
        trend = Trend(
            reported: t.reported, previous: t.previous, yearBefore: t.yearBefore, monthOverMonth: t.monthOverMonth, yearOverYear: t.yearOverYear,
            daily: t.daily)
        var rankings: [String: EvaluationReply] = ["department": EvaluationReply(r.departments), "street": EvaluationReply(r.streets)]
        for report in r.roles { rankings[report.role?.rawValue ?? "user"] = EvaluationReply(report) }
        self.rankings = rankings
        openOverdue = r.openOverdue
        overdue = r.overdue.map {
            Overdue(
                number: $0.overdue.number, matterCode: $0.overdue.matterCode, matterName: $0.matterName, matterNameEn: $0.matterNameEn,
                state: $0.overdue.state.rawValue, gridCode: $0.overdue.gridCode, streetName: $0.streetName,
                departmentID: $0.overdue.departmentID?.rawValue, departmentName: $0.departmentName.isEmpty ? nil : $0.departmentName,
                departmentNameEn: $0.departmentNameEn.isEmpty ? nil : $0.departmentNameEn, stepDueAt: $0.overdue.stepDueAt, daysOverdue: $0.daysOverdue)
        }
        hotspotTotal = r.hotspotTotal
        hotspots = r.hotspots.map(Self.hotspot)
        recurringHotspots = r.recurring.map(Self.hotspot)
    }

    static func hotspot(_ h: HotspotEntry) -> Hotspot {
        Hotspot(
            rank: h.rank, gridCode: h.gridCode, matterCode: h.matterCode, matterName: h.matterName, matterNameEn: h.matterNameEn, areas: h.areaNames,
            count: h.count, share: h.share, previousCount: h.previousCount, previousRank: h.previousRank)
    }
}
