import CityLoopDomain
import Foundation

extension InMemoryStore {
    /// Counted afresh from the records.
    public func dailyCounts(_ filter: CaseCountFilter) async throws -> [Int: Int] {
        CaseCounts.daily(casesWithEvents().map(\.0), filter)
    }

    /// Counted afresh from the records.
    public func gridMatterCounts(_ filter: CaseCountFilter) async throws -> [GridMatterCount] {
        CaseCounts.byGridAndMatter(casesWithEvents().map(\.0), filter)
    }

    /// Counted afresh from the records.
    public func weekdayHourCounts(_ filter: CaseCountFilter) async throws -> [[Int]] {
        CaseCounts.weekdayHour(casesWithEvents().map(\.0), filter)
    }

    /// Scans the records.
    public func closedCases(_ q: ClosedCasesQuery) async throws -> [ClosedCase] { closedCasesNow(q) }

    func closedCasesNow(_ q: ClosedCasesQuery) -> [ClosedCase] {
        Array(casesWithEvents().map(\.0).compactMap { c -> ClosedCase? in
            guard c.state == .closed, c.matterCode == q.matterCode, q.box.contains(c.point), let at = c.closedAt, at >= q.closedSince else { return nil }
            return ClosedCase(id: c.id, number: c.number, point: c.point, closedAt: at)
        }.sorted { ($0.closedAt, $0.number) > ($1.closedAt, $1.number) }.prefix(q.limit))
    }
}
