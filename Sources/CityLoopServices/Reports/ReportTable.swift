import Foundation

/// One table of a report, as the printed page, the CSV and the workbook show it.
public struct ReportTable: Hashable, Sendable {
    /// A stable key (`department`, `overdue` …).
    public var key: String
    /// The section's heading.
    public var title: String
    /// The worksheet's name.
    public var sheet: String
    /// A sentence shown above the table, if any.
    public var note: String?
    /// The column titles.
    public var header: [String]
    /// The rows.
    public var rows: [[TableCell]]
    /// The columns that hold text (left-aligned in print); the others are figures.
    public var textColumns: Set<Int>
    /// The columns whose text may wrap in print (names); codes, times and figures stay on one line.
    public var wrapColumns: Set<Int>

    /// Creates a table.
    public init(
        key: String, title: String, sheet: String, note: String? = nil, header: [String], rows: [[TableCell]], textColumns: Set<Int>,
        wrapColumns: Set<Int> = []
    ) {
        self.key = key
        self.title = title
        self.sheet = sheet
        self.note = note
        self.header = header
        self.rows = rows
        self.textColumns = textColumns
        self.wrapColumns = wrapColumns
    }

    /// The table as a worksheet.
    public var xlsxSheet: XLSXSheet { XLSXSheet(name: sheet, header: header, rows: rows) }
}
