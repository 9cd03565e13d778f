import CityLoopDomain
import Foundation

extension MonthlyReport {
    /// The report as one self-contained printable page (inline style, A4, a page per section, table headers
    /// repeated on every page) in the language of `s`. Every text is escaped; every figure is shown as
    /// `EvaluationReport.number` writes it, so the page and the JSON agree.
    public func html(_ s: ReportStrings) -> String {
        let esc = ReportHTML.escape
        let tables = tables(s)
        var h = "<!DOCTYPE html>\n<html lang=\"\(esc(s.lang))\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<title>\(esc("\(s.title) \(period.name) \(s.english ? area.nameEn : area.name)"))</title>\n"
        h += "<style>\n\(ReportHTML.style)</style>\n</head>\n<body>\n"
        h += cover(s)
        for t in tables {
            let ranked = rankingReport(t.key)
            // The key indicators and the trend share the first page with the cover; every other section starts a page.
            let classes = ranked != nil ? "ranking" : ["indicators", "trend"].contains(t.key) ? "" : "page"
            h += "<section id=\"\(esc(t.key))\"\(classes.isEmpty ? "" : " class=\"\(classes)\"")>\n<h2>\(esc(t.title))</h2>\n"
            if let note = t.note { h += "<p class=\"note\">\(esc(note))</p>\n" }
            if let ranked {
                h += compactRanking(ranked, s)
            } else {
                h += table(t, s)
            }
            if t.key == "trend" { h += dailyChart() }
            h += "</section>\n"
        }
        return h + "</body>\n</html>\n"
    }

    /// The ranking behind a table key, if it is one.
    func rankingReport(_ key: String) -> EvaluationReport? {
        switch key {
        case "department": departments
        case "street": streets
        default: roles.first { $0.role?.rawValue == key }
        }
    }

    func cover(_ s: ReportStrings) -> String {
        let esc = ReportHTML.escape
        func day(_ d: Int) -> String { EvaluationPeriod(kind: .day, firstDay: d, lastDay: d, utcOffsetSeconds: period.utcOffsetSeconds).name }
        let (colon, open, close) = s.english ? (": ", " (", ")") : ("：", "（", "）")
        var h = "<header>\n<h1>\(esc(s.title))</h1>\n<p class=\"meta\">"
        h += "<span>\(esc(s.periodLabel))\(colon)\(esc(period.name))\(open)\(esc(day(period.firstDay))) – \(esc(day(period.lastDay)))\(close)</span>"
        h += "<span>\(esc(s.areaLabel))\(colon)\(esc(s.english ? area.nameEn : area.name))</span>"
        h += "<span>\(esc(s.generatedLabel))\(colon)\(esc(Self.localTime(generatedAt, utcOffsetSeconds: period.utcOffsetSeconds)))</span></p>\n"
        h += "<p class=\"summary\">\(esc(summary(s)))</p>\n<div class=\"cards\">\n"
        for f in keyFigures {
            let value = f.indicator.isRate ? f.now.value.map { EvaluationReport.number($0) + "%" } ?? "–" : String(f.now.numerator)
            h += "<div class=\"card\"><div class=\"k\">\(esc(s.name(f.indicator)))</div><div class=\"v\">\(esc(value))</div>"
            if f.indicator.isRate { h += "<div class=\"d\">\(f.now.numerator) / \(f.now.denominator)</div>" }
            if let c = f.changeFromPrevious { h += "<div class=\"d\">\(esc(s.indicatorColumns[5])) \(esc(EvaluationReport.signed(c)))</div>" }
            h += "</div>\n"
        }
        return h + "</div>\n</header>\n"
    }

    /// A generic table: a header row repeated on every printed page, text columns left-aligned.
    func table(_ t: ReportTable, _ s: ReportStrings) -> String {
        let esc = ReportHTML.escape
        var h = "<table class=\"plain\">\n<thead><tr>" + t.header.map { "<th>\(esc($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        if t.rows.isEmpty { h += "<tr><td class=\"none\" colspan=\"\(max(1, t.header.count))\">\(esc(s.empty))</td></tr>\n" }
        for row in t.rows {
            h += "<tr>" + row.enumerated().map { i, c in "<td\(Self.cellClass(i, t))>\(esc(c.shown))</td>" }.joined() + "</tr>\n"
        }
        return h + "</tbody>\n</table>\n"
    }

    /// This month's reports per day as bars (an inline SVG, so the page stays self-contained).
    func dailyChart() -> String {
        let peak = max(1, trend.daily.max() ?? 0)
        let (w, h) = (10 * max(1, trend.daily.count), 60)
        var svg = "<svg class=\"daily\" viewBox=\"0 0 \(w) \(h + 12)\" role=\"img\" preserveAspectRatio=\"none\">"
        for (i, n) in trend.daily.enumerated() {
            let bar = Double(n) / Double(peak) * Double(h)
            let (y, height) = (EvaluationReport.number(Double(h) - bar), EvaluationReport.number(bar))
            svg += "<rect x=\"\(i * 10 + 1)\" y=\"\(y)\" width=\"8\" height=\"\(height)\"><title>\(i + 1): \(n)</title></rect>"
            if i == 0 || (i + 1) % 5 == 0 { svg += "<text x=\"\(i * 10 + 5)\" y=\"\(h + 10)\" text-anchor=\"middle\">\(i + 1)</text>" }
        }
        return svg + "</svg>\n"
    }

    /// The class of a cell: `t` for text (left-aligned), `w` when it may also wrap.
    static func cellClass(_ column: Int, _ t: ReportTable) -> String {
        let names = (t.textColumns.contains(column) ? ["t"] : []) + (t.wrapColumns.contains(column) ? ["w"] : [])
        return names.isEmpty ? "" : " class=\"\(names.joined(separator: " "))\""
    }

    /// A ranking compact enough for a landscape page: each indicator in one column, a rate with its numerator and
    /// denominator under it.
    func compactRanking(_ r: EvaluationReport, _ s: ReportStrings) -> String {
        let esc = ReportHTML.escape
        let full = r.table(english: s.english).header
        var h = "<table class=\"rank\">\n<thead><tr>" + full.prefix(6).map { "<th>\(esc($0))</th>" }.joined()
        h += r.indicators.map { "<th>\(esc(s.name($0)))\($0.isRate ? "<br>%" : "")</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        if r.rows.isEmpty { h += "<tr><td class=\"none\" colspan=\"\(6 + r.indicators.count)\">\(esc(s.empty))</td></tr>\n" }
        for row in r.rows {
            h += "<tr><td>\(row.rank.map(String.init) ?? "")</td><td class=\"t\">\(esc(s.english ? row.info.nameEn : row.info.name))</td>"
            h += "<td class=\"t\">\(esc(row.info.subject.id))</td><td>\(row.score.map(EvaluationReport.number) ?? "")</td>"
            h += "<td class=\"t\">\(esc(row.grade ?? ""))</td><td>\(row.change.map(EvaluationReport.signed) ?? "")</td>"
            for i in r.indicators {
                let v = row.indicators[i.id] ?? IndicatorValue(numerator: 0, denominator: 0, value: nil)
                if i.isRate {
                    h += "<td>\(v.value.map(EvaluationReport.number) ?? "–")<small>\(v.numerator)/\(v.denominator)</small></td>"
                } else {
                    h += "<td>\(v.numerator)</td>"
                }
            }
            h += "</tr>\n"
        }
        return h + "</tbody>\n</table>\n"
    }
}
