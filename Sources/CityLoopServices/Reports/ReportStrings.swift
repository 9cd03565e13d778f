import CityLoopDomain
import Foundation

/// Every heading, label and column title of the monthly report in one language: Chinese (the default) or English.
/// Kept in one table per language so a translation is one place to read.
public struct ReportStrings: Sendable {
    /// The page's `lang`.
    public var lang: String
    /// Whether names come in English.
    public var english: Bool
    /// The report's title.
    public var title: String
    /// Label before the month.
    public var periodLabel: String
    /// Label before the area.
    public var areaLabel: String
    /// Label before the time the report was made.
    public var generatedLabel: String
    /// Section headings and sheet names by table key.
    public var sections: [String: (title: String, sheet: String)]
    /// The key indicators' columns.
    public var indicatorColumns: [String]
    /// The trend's columns.
    public var trendColumns: [String]
    /// The trend's rows: this month, the month before, a year before.
    public var trendRows: [String]
    /// The overdue cases' columns.
    public var overdueColumns: [String]
    /// The hotspots' columns.
    public var hotspotColumns: [String]
    /// The sentence above the key indicators: how changes are measured.
    public var indicatorNote: String
    /// The sentence above the overdue cases; `{open}` is the count of open overdue cases.
    public var overdueNote: String
    /// The sentence above the hotspots; `{total}` is the count of cases reported.
    public var hotspotNote: String
    /// The sentence above the department ranking.
    public var departmentNote: String
    /// The summary line; `{reported}`, `{filed}`, `{onTime}` and `{closing}` are figures.
    public var summary: String
    /// Shown for a table without rows.
    public var empty: String

    /// The strings for `lang=en` (English) or anything else (Chinese).
    public static func forLanguage(_ lang: String?) -> ReportStrings { lang == "en" ? .en : .zh }

    /// The table keys in the order the report shows them.
    public static let order = [
        "indicators", "trend", "department", "street", "inspector", "operator", "shiftlead", "dispatcher", "overdue", "hotspots", "recurring",
    ]

    /// Chinese.
    public static let zh = ReportStrings(
        lang: "zh-CN", english: false, title: "城市管理月度通报", periodLabel: "通报月份", areaLabel: "通报范围",
        generatedLabel: "生成时间",
        sections: [
            "indicators": ("一、主要指标", "主要指标"), "trend": ("二、上报量趋势", "上报量趋势"),
            "department": ("三、专业部门综合评价排名", "部门排名"), "street": ("四、街道综合评价排名", "街道排名"),
            "inspector": ("五、监督员考核排名", "监督员排名"), "operator": ("六、受理员考核排名", "受理员排名"),
            "shiftlead": ("七、值班长考核排名", "值班长排名"), "dispatcher": ("八、派遣员考核排名", "派遣员排名"),
            "overdue": ("九、超期未结案件（前20件）", "超期案件"),
            "hotspots": ("十、本月热点（网格×类别，前10）", "本月热点"),
            "recurring": ("十一、反复出现的热点（上月亦在前20）", "反复热点"),
        ],
        indicatorColumns: ["指标", "分子", "分母", "本月", "上月", "较上月", "去年同月", "较去年同月"],
        trendColumns: ["月份", "上报数", "本月较之变化%"],
        trendRows: ["本月", "上月（环比）", "去年同月（同比）"],
        overdueColumns: ["序号", "案件编号", "类别", "状态", "责任部门", "街道", "网格", "应完成时间", "超期天数"],
        hotspotColumns: ["排名", "网格", "所在区域", "类别", "案件数", "占比%", "上月案件数", "上月排名"],
        indicatorNote: "比率单位为%，其变化以百分点计；数量的变化以百分比计。",
        overdueNote: "截至生成时间，超期未结案件共 {open} 件，以下为超期最久的案件。",
        hotspotNote: "本月上报案件共 {total} 件。",
        departmentNote: "专业部门按全市范围评价。",
        summary: "本月上报 {reported} 件，立案 {filed} 件，结案率 {closing}%，按期结案率 {onTime}%。",
        empty: "（无）")

    /// English.
    public static let en = ReportStrings(
        lang: "en", english: true, title: "Monthly city management report", periodLabel: "Month", areaLabel: "Area",
        generatedLabel: "Generated",
        sections: [
            "indicators": ("1. Key indicators", "Key indicators"), "trend": ("2. Reports over time", "Trend"),
            "department": ("3. Departments ranked", "Departments"), "street": ("4. Streets ranked", "Streets"),
            "inspector": ("5. Inspectors ranked", "Inspectors"), "operator": ("6. Operators ranked", "Operators"),
            "shiftlead": ("7. Shift leads ranked", "Shift leads"), "dispatcher": ("8. Dispatchers ranked", "Dispatchers"),
            "overdue": ("9. Most overdue open cases (top 20)", "Overdue cases"),
            "hotspots": ("10. Hotspots of the month (grid × class, top 10)", "Hotspots"),
            "recurring": ("11. Recurring hotspots (also top 20 last month)", "Recurring hotspots"),
        ],
        indicatorColumns: [
            "indicator", "numerator", "denominator", "this month", "last month", "change", "a year before", "change from a year before",
        ],
        trendColumns: ["month", "reported", "change to this month %"],
        trendRows: ["this month", "last month", "same month a year before"],
        overdueColumns: ["#", "case", "class", "state", "department", "street", "grid", "due", "days overdue"],
        hotspotColumns: ["rank", "grid", "area", "class", "cases", "share %", "cases last month", "rank last month"],
        indicatorNote: "Rates are in percent and their changes in percentage points; changes of counts are in percent.",
        overdueNote: "At the time of the report {open} open cases are overdue; these are the most overdue.",
        hotspotNote: "{total} cases were reported this month.",
        departmentNote: "Departments are evaluated over the whole city.",
        summary: "This month {reported} cases were reported and {filed} filed; closing rate {closing}%, on-time closing rate {onTime}%.",
        empty: "(none)")

    /// A section's heading.
    public func heading(_ key: String) -> String { sections[key]?.title ?? key }
    /// A section's sheet name.
    public func sheet(_ key: String) -> String { sections[key]?.sheet ?? key }
    /// An indicator's name.
    public func name(_ i: Indicator) -> String { english ? i.englishName : i.chineseName }
    /// A case state's name.
    public func state(_ s: CaseState) -> String { english ? s.rawValue.replacingOccurrences(of: "_", with: " ") : s.chineseName }
    /// A template with its `{placeholders}` filled.
    public static func fill(_ template: String, _ values: [String: String]) -> String {
        values.reduce(template) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }
}
