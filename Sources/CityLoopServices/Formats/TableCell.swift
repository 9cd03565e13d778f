import CityLoopDomain
import Foundation

/// One cell of a report table: text, or a number with the text it is shown as (so a printed page, a CSV and a
/// spreadsheet agree on the figure while the spreadsheet still gets a number it can sum).
public enum TableCell: Hashable, Sendable {
    /// Text, written as text everywhere (codes keep their leading zeros).
    case text(String)
    /// A number and how it is shown.
    case number(Double, shown: String)

    /// A count.
    public static func count(_ n: Int) -> TableCell { .number(Double(n), shown: String(n)) }
    /// A figure shown with at most two decimals (`EvaluationReport.number`), or an empty cell for nil.
    public static func figure(_ x: Double?) -> TableCell { x.map { .number($0, shown: EvaluationReport.number($0)) } ?? .text("") }
    /// A change shown with its sign (`EvaluationReport.signed`), or an empty cell for nil.
    public static func change(_ x: Double?) -> TableCell { x.map { .number($0, shown: EvaluationReport.signed($0)) } ?? .text("") }

    /// The cell as it is shown.
    public var shown: String {
        switch self {
        case .text(let s): s
        case .number(_, let s): s
        }
    }
}
