import CityLoopDomain
import Foundation

extension EvaluationReport {
    /// The columns of `table(english:)` that hold text: name, code and grade.
    public static let textColumns: Set<Int> = [1, 2, 4]

    /// The ranking's table (`table(english:)`) with its figures as numbers, each shown exactly as the table shows it.
    public func cells(english: Bool) -> (header: [String], rows: [[TableCell]]) {
        let t = table(english: english)
        let rows = t.rows.map { row in
            row.enumerated().map { i, text -> TableCell in
                guard !Self.textColumns.contains(i), let x = Double(text) else { return .text(text) }
                return .number(x, shown: text)
            }
        }
        return (t.header, rows)
    }
}
