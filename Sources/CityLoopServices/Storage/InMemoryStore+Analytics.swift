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
}
