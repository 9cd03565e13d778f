import Foundation
import PostgresNIO

/// Conditions with numbered parameters (`$1`, `$2` …) built up piece by piece, for queries whose filters vary.
struct SQLBuilder {
    private(set) var conditions: [String] = []
    private(set) var binds = PostgresBindings()

    /// Binds a value and returns its placeholder.
    mutating func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// Adds a condition whose `$` marks are replaced, in order, by placeholders for `values`.
    mutating func condition(_ template: String, _ values: String...) {
        var out = ""
        var rest = values.makeIterator()
        for ch in template {
            if ch == "$", let v = rest.next() { out += bind(v) } else { out.append(ch) }
        }
        conditions.append(out)
    }

    /// Adds `left` followed by a placeholder for `value`, e.g. `compare("created_at >=", ms)`.
    mutating func compare(_ left: String, _ value: Int64) {
        let p = bind(value)
        conditions.append("\(left) \(p)")
    }

    /// Adds a raw condition (no parameters).
    mutating func raw(_ condition: String) { conditions.append(condition) }

    /// `column` starts with `prefix`, as an index range (codes are in the "C" collation).
    mutating func prefix(_ column: String, _ prefix: String) { conditions.append(prefixCondition(column, prefix)) }

    /// The condition text for `column` starting with `prefix`, its values bound.
    mutating func prefixCondition(_ column: String, _ prefix: String) -> String {
        "(\(column) >= \(bind(prefix)) AND \(column) < \(bind(prefix + "~")))"
    }

    /// `WHERE …` joining the conditions with AND, or nothing.
    var whereClause: String { conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ") }

    /// A query of this SQL with the bound values.
    func query(_ sql: String) -> PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
}
