import CityLoopDomain
import Foundation

extension EvaluationReport {
    /// The ranking of only the rows kept, ranked again among themselves (equal scores share a rank).
    func keeping(_ keep: (EvaluationRow) -> Bool) -> EvaluationReport {
        var out = self
        out.rows = rows.filter(keep)
        for i in out.rows.indices {
            out.rows[i].rank = out.rows[i].score == nil ? nil : i > 0 && out.rows[i - 1].score == out.rows[i].score ? out.rows[i - 1].rank : i + 1
        }
        return out
    }
}
