import Foundation
import ZIPFoundation

/// Writes a minimal Office Open XML workbook (.xlsx): one worksheet per table, text as inline strings, numbers as
/// numbers, a bold frozen header row. Opens in Excel, LibreOffice, WPS and Numbers.
public enum XLSXWriter {
    /// The media type of the workbook.
    public static let mediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// The workbook holding `sheets` in order (an empty sheet when there are none), as the bytes of the .xlsx file.
    public static func workbook(_ sheets: [XLSXSheet]) throws -> Data {
        let sheets = sheets.isEmpty ? [XLSXSheet(name: "Sheet1", header: [], rows: [])] : sheets
        let names = sheetNames(sheets.map(\.name))
        var parts: [(path: String, xml: String)] = [
            ("[Content_Types].xml", contentTypes(sheets: sheets.count)),
            ("_rels/.rels", rootRelationships),
            ("xl/workbook.xml", workbookXML(names)),
            ("xl/_rels/workbook.xml.rels", workbookRelationships(sheets: sheets.count)),
            ("xl/styles.xml", styles),
        ]
        for (i, sheet) in sheets.enumerated() { parts.append(("xl/worksheets/sheet\(i + 1).xml", worksheet(sheet))) }

        let archive = try Archive(data: Data(), accessMode: .create)
        // A fixed time keeps the bytes the same for the same tables.
        let stamp = Date(timeIntervalSince1970: 1_767_225_600)
        for part in parts {
            let data = Data((xmlDeclaration + part.xml).utf8)
            try archive.addEntry(
                with: part.path, type: .file, uncompressedSize: Int64(data.count), modificationDate: stamp, compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let bytes = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return bytes
    }

    /// Valid, unique sheet names: forbidden characters (`[]:*?/\`) become `_`, no leading or trailing apostrophe,
    /// at most 31 UTF-16 units, `Sheet N` for an empty name, and ` (2)`, ` (3)` … against duplicates (which
    /// spreadsheet programs compare without case).
    public static func sheetNames(_ wanted: [String]) -> [String] {
        var used: Set<String> = []
        var out: [String] = []
        for (i, raw) in wanted.enumerated() {
            var name = String(raw.map { "[]:*?/\\".contains($0) || $0.isNewline ? "_" : $0 })
            while name.hasPrefix("'") { name.removeFirst() }
            while name.hasSuffix("'") { name.removeLast() }
            if name.trimmingCharacters(in: .whitespaces).isEmpty { name = "Sheet \(i + 1)" }
            var candidate = truncated(name, to: 31)
            var n = 2
            while used.contains(candidate.lowercased()) {
                let suffix = " (\(n))"
                candidate = truncated(name, to: 31 - suffix.utf16.count) + suffix
                n += 1
            }
            used.insert(candidate.lowercased())
            out.append(candidate)
        }
        return out
    }

    /// The longest prefix of whole characters with at most `limit` UTF-16 units.
    static func truncated(_ s: String, to limit: Int) -> String {
        var out = ""
        var units = 0
        for c in s {
            units += c.utf16.count
            if units > limit { break }
            out.append(c)
        }
        return out
    }

    /// One worksheet's XML.
    static func worksheet(_ sheet: XLSXSheet) -> String {
        let all: [[TableCell]] = (sheet.header.isEmpty ? [] : [sheet.header.map(TableCell.text)]) + sheet.rows
        let columns = all.map(\.count).max() ?? 0
        var xml = #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        if !sheet.header.isEmpty {
            xml += #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
                + "</sheetView></sheetViews>"
        }
        if columns > 0 {
            xml += "<cols>"
            for c in 0..<columns {
                // Wide characters (Chinese) take about two of a Latin font's character widths.
                let widest = all.map { c < $0.count ? $0[c].shown.reduce(0) { $0 + ($1.utf8.count > 2 ? 2 : 1) } : 0 }.max() ?? 0
                xml += #"<col min="\#(c + 1)" max="\#(c + 1)" width="\#(min(60, max(8, widest + 2)))" customWidth="1"/>"#
            }
            xml += "</cols>"
        }
        xml += "<sheetData>"
        for (r, row) in all.enumerated() {
            let bold = r == 0 && !sheet.header.isEmpty
            xml += #"<row r="\#(r + 1)">"#
            for (c, cell) in row.enumerated() {
                let ref = column(c) + String(r + 1)
                let style = bold ? #" s="1""# : ""
                switch cell {
                case .number(let x, _) where x.isFinite:
                    xml += #"<c r="\#(ref)"\#(style)><v>\#(numberText(x))</v></c>"#
                case _ where cell.shown.isEmpty:
                    continue
                default:
                    let text = cell.shown
                    let space = text.first?.isWhitespace == true || text.last?.isWhitespace == true ? #" xml:space="preserve""# : ""
                    xml += #"<c r="\#(ref)"\#(style) t="inlineStr"><is><t\#(space)>\#(escape(text))</t></is></c>"#
                }
            }
            xml += "</row>"
        }
        return xml + "</sheetData></worksheet>"
    }

    /// The column letters of a zero-based index: A … Z, AA …
    static func column(_ index: Int) -> String {
        var n = index + 1
        var out = ""
        while n > 0 {
            let r = (n - 1) % 26
            out = String(UnicodeScalar(UInt8(65 + r))) + out
            n = (n - 1) / 26
        }
        return out
    }

    /// A number as the cell's value: integers without a decimal point, others in Swift's shortest round-trip form.
    static func numberText(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
    }

    /// Text escaped for XML; characters XML 1.0 cannot hold are dropped.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            case _ where u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF: continue
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static let xmlDeclaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"

    static func contentTypes(sheets: Int) -> String {
        let main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        var xml = #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
            + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
            + #"<Default Extension="xml" ContentType="application/xml"/>"#
            + #"<Override PartName="/xl/workbook.xml" ContentType="\#(main).sheet.main+xml"/>"#
            + #"<Override PartName="/xl/styles.xml" ContentType="\#(main).styles+xml"/>"#
        for i in 1...sheets { xml += #"<Override PartName="/xl/worksheets/sheet\#(i).xml" ContentType="\#(main).worksheet+xml"/>"# }
        return xml + "</Types>"
    }

    static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static let rootRelationships = #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="\#(relationships)/officeDocument" Target="xl/workbook.xml"/></Relationships>"#

    static func workbookXML(_ names: [String]) -> String {
        var xml = #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="\#(relationships)"><sheets>"#
        for (i, name) in names.enumerated() { xml += #"<sheet name="\#(escape(name))" sheetId="\#(i + 1)" r:id="rId\#(i + 1)"/>"# }
        return xml + "</sheets></workbook>"
    }

    static func workbookRelationships(sheets: Int) -> String {
        var xml = #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        for i in 1...sheets { xml += #"<Relationship Id="rId\#(i)" Type="\#(relationships)/worksheet" Target="worksheets/sheet\#(i).xml"/>"# }
        return xml + #"<Relationship Id="rId\#(sheets + 1)" Type="\#(relationships)/styles" Target="styles.xml"/></Relationships>"#
    }

    // Style 0 is the default; style 1 the bold header.
    static let styles = #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        + #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>"#
        + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
        + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        + #"<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
        + #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>"#
        + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#
}
