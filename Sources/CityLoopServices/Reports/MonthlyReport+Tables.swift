import CityLoopDomain
import Foundation

extension MonthlyReport {
    /// Every table of the report in order, in the language of `s`: what the printed page shows section by section
    /// and the workbook sheet by sheet.
    public func tables(_ s: ReportStrings) -> [ReportTable] {
        var out = [indicatorTable(s), trendTable(s)]
        out.append(ranking(departments, key: "department", s, note: s.departmentNote))
        out.append(ranking(streets, key: "street", s))
        for r in roles { out.append(ranking(r, key: r.role?.rawValue ?? "user", s)) }
        out.append(overdueTable(s))
        out.append(hotspotTable(hotspots, key: "hotspots", s, note: ReportStrings.fill(s.hotspotNote, ["total": String(hotspotTotal)])))
        out.append(hotspotTable(recurring, key: "recurring", s))
        return out
    }

    /// The summary line of the key figures.
    public func summary(_ s: ReportStrings) -> String {
        func rate(_ id: String) -> String { figure(id)?.now.value.map(EvaluationReport.number) ?? "–" }
        return ReportStrings.fill(s.summary, [
            "reported": String(figure("reported")?.now.numerator ?? 0), "filed": String(figure("filed")?.now.numerator ?? 0),
            "closing": rate("closingRate"), "onTime": rate("onTimeClosingRate"),
        ])
    }

    func indicatorTable(_ s: ReportStrings) -> ReportTable {
        let rows = keyFigures.map { f -> [TableCell] in
            [
                .text(s.name(f.indicator)), .count(f.now.numerator), f.indicator.isRate ? .count(f.now.denominator) : .text(""), .figure(f.now.value),
                .figure(f.previous.value), .change(f.changeFromPrevious), .figure(f.yearBefore.value), .change(f.changeFromYearBefore),
            ]
        }
        return ReportTable(
            key: "indicators", title: s.heading("indicators"), sheet: s.sheet("indicators"), note: s.indicatorNote, header: s.indicatorColumns,
            rows: rows, textColumns: [0], wrapColumns: [0])
    }

    func trendTable(_ s: ReportStrings) -> ReportTable {
        let rows: [[TableCell]] = [
            [.text("\(s.trendRows[0]) \(period.name)"), .count(trend.reported), .text("")],
            [.text("\(s.trendRows[1]) \(previousPeriod.name)"), .count(trend.previous), .change(trend.monthOverMonth)],
            [.text("\(s.trendRows[2]) \(yearBeforePeriod.name)"), .count(trend.yearBefore), .change(trend.yearOverYear)],
        ]
        return ReportTable(
            key: "trend", title: s.heading("trend"), sheet: s.sheet("trend"), header: s.trendColumns, rows: rows, textColumns: [0], wrapColumns: [0])
    }

    func ranking(_ report: EvaluationReport, key: String, _ s: ReportStrings, note: String? = nil) -> ReportTable {
        let t = report.cells(english: s.english)
        return ReportTable(
            key: key, title: s.heading(key), sheet: s.sheet(key), note: note, header: t.header, rows: t.rows, textColumns: EvaluationReport.textColumns,
            wrapColumns: [1])
    }

    func overdueTable(_ s: ReportStrings) -> ReportTable {
        let rows = overdue.enumerated().map { i, e -> [TableCell] in
            [
                .count(i + 1), .text(e.overdue.number), .text(s.english ? e.matterNameEn : e.matterName), .text(s.state(e.overdue.state)),
                .text(s.english ? e.departmentNameEn : e.departmentName), .text(e.streetName), .text(e.overdue.gridCode),
                .text(Self.localTime(e.overdue.stepDueAt, utcOffsetSeconds: period.utcOffsetSeconds)), .figure(e.daysOverdue),
            ]
        }
        return ReportTable(
            key: "overdue", title: s.heading("overdue"), sheet: s.sheet("overdue"),
            note: ReportStrings.fill(s.overdueNote, ["open": String(openOverdue)]), header: s.overdueColumns, rows: rows,
            textColumns: [1, 2, 3, 4, 5, 6, 7], wrapColumns: [2, 4, 5])
    }

    func hotspotTable(_ list: [HotspotEntry], key: String, _ s: ReportStrings, note: String? = nil) -> ReportTable {
        let rows = list.map { h -> [TableCell] in
            [
                .count(h.rank), .text(h.gridCode), .text(h.areaNames.joined(separator: " / ")),
                .text("\(s.english ? h.matterNameEn : h.matterName) (\(h.matterCode))"), .count(h.count), .figure(h.share),
                h.previousCount.map(TableCell.count) ?? .text(""), h.previousRank.map(TableCell.count) ?? .text(""),
            ]
        }
        return ReportTable(key: key, title: s.heading(key), sheet: s.sheet(key), note: note, header: s.hotspotColumns, rows: rows, textColumns: [1, 2, 3],
            wrapColumns: [2, 3])
    }

    /// `2026-11-24 10:00` in the city's time.
    static func localTime(_ date: Date, utcOffsetSeconds: Int) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(secondsFromGMT: utcOffsetSeconds)!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func p(_ n: Int?) -> String { String(zeroPadded: n ?? 0, width: 2) }
        return "\(c.year ?? 0)-\(p(c.month))-\(p(c.day)) \(p(c.hour)):\(p(c.minute))"
    }
}
