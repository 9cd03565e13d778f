import Foundation

/// One worksheet of a workbook: a bold header row, then rows of text and numbers.
public struct XLSXSheet: Hashable, Sendable {
    /// The tab's name; `XLSXWriter` makes it valid (at most 31 characters, none of `[]:*?/\`, unique).
    public var name: String
    /// The header row.
    public var header: [String]
    /// The rows.
    public var rows: [[TableCell]]

    /// Creates a sheet.
    public init(name: String, header: [String], rows: [[TableCell]]) {
        self.name = name
        self.header = header
        self.rows = rows
    }
}
