import CityLoopDomain
import Foundation

/// The regular monthly report (定期通报) of the city or one district: key indicators against the previous month
/// and the same month a year before, the department, street and staff rankings, the worst overdue open cases, the
/// month's hotspots and those that recur. A value assembled by `ReportService.monthly`; rendered as JSON, a
/// printable page, a PDF and a workbook.
public struct MonthlyReport: Sendable {
    /// The month reported.
    public var period: EvaluationPeriod
    /// The month before.
    public var previousPeriod: EvaluationPeriod
    /// The same month a year before.
    public var yearBeforePeriod: EvaluationPeriod
    /// The city or the district reported.
    public var area: ReportArea
    /// When the report was made (the overdue cases are those open and overdue at this instant).
    public var generatedAt: Date
    /// The area's key indicators.
    public var keyFigures: [KeyFigure]
    /// Reported cases this month, the month before and a year before.
    public var trend: ReportTrend
    /// The departments' ranking (departments answer to the whole city, so this is the city's ranking).
    public var departments: EvaluationReport
    /// The streets' ranking, only the area's streets, ranked among themselves.
    public var streets: EvaluationReport
    /// The inspectors', operators', shift leads' and dispatchers' rankings (inspectors only those patrolling the
    /// area).
    public var roles: [EvaluationReport]
    /// How many open cases of the area are overdue now.
    public var openOverdue: Int
    /// The most overdue open cases of the area, most overdue first.
    public var overdue: [OverdueEntry]
    /// Cases reported in the area this month (what hotspot shares are of).
    public var hotspotTotal: Int
    /// The month's top grid × class hotspots.
    public var hotspots: [HotspotEntry]
    /// This month's top hotspots that were also among the previous month's top ones (反复出现的热点).
    public var recurring: [HotspotEntry]

    /// The roles ranked in the report, in order.
    public static let rankedRoles: [Role] = [.inspector, .operator, .shiftLead, .dispatcher]
    /// The indicators the report leads with, in order.
    public static let keyIndicatorIDs = [
        "reported", "filed", "closingRate", "onTimeClosingRate", "overdueRate", "caseReworkRate", "recurrenceRate", "satisfactionRate",
        "publicReportRate",
    ]
    /// How many overdue cases are listed.
    public static let overdueLimit = 20
    /// How many hotspots are listed.
    public static let hotspotLimit = 10
    /// How far down the previous month's list a hotspot may be and still count as recurring (and how far down
    /// this month's).
    public static let recurrenceDepth = 20

    /// The figure of a key indicator.
    public func figure(_ id: String) -> KeyFigure? { keyFigures.first { $0.indicator.id == id } }
}

/// The city (no code) or a district the report is for.
public struct ReportArea: Hashable, Sendable {
    /// The district's code; nil for the whole city.
    public var code: String?
    /// The Chinese name.
    public var name: String
    /// The English name.
    public var nameEn: String

    /// Creates an area.
    public init(code: String?, name: String, nameEn: String) {
        self.code = code
        self.name = name
        self.nameEn = nameEn
    }

    /// The evaluation subject of the area.
    public var subject: EvaluationSubject { code.map { EvaluationSubject(kind: .district, id: $0) } ?? .city }
}

/// One key indicator of the area: this month, the month before and a year before.
public struct KeyFigure: Hashable, Sendable {
    /// The indicator.
    public var indicator: Indicator
    /// This month.
    public var now: IndicatorValue
    /// The month before.
    public var previous: IndicatorValue
    /// The same month a year before.
    public var yearBefore: IndicatorValue

    /// Creates a figure.
    public init(indicator: Indicator, now: IndicatorValue, previous: IndicatorValue, yearBefore: IndicatorValue) {
        self.indicator = indicator
        self.now = now
        self.previous = previous
        self.yearBefore = yearBefore
    }

    /// The change from the month before: percentage points for a rate, percent for a count; nil without both values.
    public var changeFromPrevious: Double? { Self.change(now, previous, rate: indicator.isRate) }
    /// The change from the same month a year before, likewise.
    public var changeFromYearBefore: Double? { Self.change(now, yearBefore, rate: indicator.isRate) }

    static func change(_ now: IndicatorValue, _ before: IndicatorValue, rate: Bool) -> Double? {
        guard let a = now.value, let b = before.value else { return nil }
        if rate { return ((a - b) * 100).rounded() / 100 }
        return ReportTrend.percentChange(now.numerator, before.numerator)
    }
}

/// Reported cases this month against the month before (环比) and the same month a year before (同比).
public struct ReportTrend: Hashable, Sendable {
    /// Reported this month.
    public var reported: Int
    /// Reported the month before.
    public var previous: Int
    /// Reported in the same month a year before.
    public var yearBefore: Int
    /// Reported per day of this month, first day first.
    public var daily: [Int]

    /// Creates a trend.
    public init(reported: Int, previous: Int, yearBefore: Int, daily: [Int]) {
        self.reported = reported
        self.previous = previous
        self.yearBefore = yearBefore
        self.daily = daily
    }

    /// Percent change from the month before; nil when nothing was reported then.
    public var monthOverMonth: Double? { Self.percentChange(reported, previous) }
    /// Percent change from the same month a year before; nil when nothing was reported then.
    public var yearOverYear: Double? { Self.percentChange(reported, yearBefore) }

    /// `(now − before) / before × 100`, two decimals; nil when `before` is 0.
    public static func percentChange(_ now: Int, _ before: Int) -> Double? {
        before == 0 ? nil : (Double(now - before) * 10_000 / Double(before)).rounded() / 100
    }
}

/// An overdue open case as the report lists it.
public struct OverdueEntry: Hashable, Sendable {
    /// The case.
    public var overdue: OverdueCase
    /// The class's Chinese name.
    public var matterName: String
    /// The class's English name.
    public var matterNameEn: String
    /// The lead department's Chinese name (empty before dispatch).
    public var departmentName: String
    /// The lead department's English name.
    public var departmentNameEn: String
    /// The street's name.
    public var streetName: String
    /// Days past the deadline at the report's time, two decimals.
    public var daysOverdue: Double
}

/// A grid × class hotspot as the report lists it.
public struct HotspotEntry: Hashable, Sendable {
    /// Its place in this month's list, 1 first.
    public var rank: Int
    /// The grid.
    public var gridCode: String
    /// The class.
    public var matterCode: String
    /// The class's Chinese name.
    public var matterName: String
    /// The class's English name.
    public var matterNameEn: String
    /// The grid's street (and district) names.
    public var areaNames: [String]
    /// Cases this month.
    public var count: Int
    /// Share of the area's cases this month, percent with two decimals.
    public var share: Double
    /// Cases in the previous month when it was among that month's top ones.
    public var previousCount: Int?
    /// Its place in the previous month's list.
    public var previousRank: Int?
}
