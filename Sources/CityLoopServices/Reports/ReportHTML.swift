import Foundation

/// Escaping and the style sheet of the printable report.
public enum ReportHTML {
    /// Text escaped for HTML content and quoted attributes.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// The page's style: A4 portrait, rankings on landscape pages, a page per section, header rows repeated.
    public static let style = """
        @page { size: A4; margin: 14mm 12mm 16mm; }
        @page ranking { size: A4 landscape; margin: 12mm 10mm 14mm; }
        html { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Droid Sans Fallback", "PingFang SC", "Microsoft YaHei", sans-serif;
          font-size: 10pt; color: #1b1b1b; }
        body { margin: 0 auto; max-width: 200mm; padding: 8mm; }
        h1 { font-size: 20pt; text-align: center; margin: 4mm 0 3mm; }
        html[lang="zh-CN"] h1 { letter-spacing: 0.1em; }
        h2 { font-size: 13pt; color: #0b4f8a; border-bottom: 2px solid #0b4f8a; padding-bottom: 1mm; margin: 6mm 0 3mm; break-after: avoid; }
        .meta { text-align: center; color: #444; margin: 0 0 4mm; }
        .meta span { display: inline-block; margin: 0 3mm; }
        .summary { font-size: 11pt; margin: 3mm 0; }
        .note { color: #444; margin: 1mm 0 2mm; }
        .cards { display: grid; grid-template-columns: repeat(5, 1fr); gap: 2mm; margin: 3mm 0; }
        .card { border: 1px solid #b8c4d2; border-radius: 2mm; padding: 1.5mm 2mm; break-inside: avoid; }
        .card .k { color: #444; }
        .card .v { font-size: 14pt; font-weight: bold; color: #0b4f8a; }
        .card .d { font-size: 8.5pt; color: #555; }
        table { width: 100%; border-collapse: collapse; font-size: 8.5pt; margin: 2mm 0; }
        thead { display: table-header-group; }
        tr { break-inside: avoid; }
        th, td { border: 1px solid #9aa6b2; padding: 0.8mm 1.2mm; text-align: right; vertical-align: top; }
        th { background: #e6edf5; text-align: center; font-weight: bold; }
        td.t { text-align: left; }
        table.plain td { white-space: nowrap; }
        table.plain td.w { white-space: normal; }
        td.none { text-align: center; color: #666; }
        table.rank { font-size: 7pt; }
        table.rank small { display: block; color: #666; font-size: 6pt; }
        svg.daily { display: block; width: 100%; height: 24mm; margin: 2mm 0; break-inside: avoid; }
        svg.daily rect { fill: #5b8fc7; }
        svg.daily text { font-size: 7px; fill: #555; }
        section.page { break-before: page; }
        section.ranking { break-before: page; page: ranking; }
        @media print {
          body { max-width: none; padding: 0; }
          th, .card { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        @media screen {
          body { background: #f4f6f8; }
          section, header { background: #fff; padding: 4mm 6mm; margin: 0 0 6mm; box-shadow: 0 0 2mm #ccd; }
          section { overflow-x: auto; }
        }

        """
}
