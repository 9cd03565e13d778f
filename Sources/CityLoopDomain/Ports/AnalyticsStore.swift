import Foundation

/// What hotspots, trends and forecasts ask the store about reported cases. Daily counts by area and class are
/// kept as the cases come in, so a year's series is a few hundred rows, not a million cases.
public protocol AnalyticsStore: Sendable {
    /// Reported cases per local day for the filter (days without cases omitted). The filter's area must be the
    /// city, a district (6 digits) or a street (9 digits); its matter the whole catalog, a major class or a class.
    func dailyCounts(_ filter: CaseCountFilter) async throws -> [Int: Int]
    /// Reported cases per grid and class for the filter (any area prefix), most first.
    func gridMatterCounts(_ filter: CaseCountFilter) async throws -> [GridMatterCount]
    /// Reported cases by local weekday (0 = Monday) and hour for the filter: 7 rows of 24.
    func weekdayHourCounts(_ filter: CaseCountFilter) async throws -> [[Int]]
    /// Closed cases of the class inside the box closed since the time, at most `limit` (recurrence candidates).
    func closedCases(_ query: ClosedCasesQuery) async throws -> [ClosedCase]
}
