import CityLoopDomain
import Foundation

/// Hotspots and trends (热点与趋势): where problems concentrate, how they move over time, and when in the week
/// and day they are reported.
public struct AnalyticsService: Sendable {
    let platform: Platform

    /// Creates the service.
    public init(platform: Platform) { self.platform = platform }

    /// Today's local day number.
    public var today: Int { EvaluationFacts.day(of: platform.clock.now(), utcOffsetSeconds: EvaluationFacts.utcOffsetSeconds) }

    /// Checks an area code (a district, street, community or grid of the city) and a matter (a major class or a
    /// class of the catalog); 422 naming `area` or `matter` otherwise.
    public func filter(area: String?, matter: String?, days: ClosedRange<Int>) throws -> CaseCountFilter {
        let ctx = platform.context
        if let area, ctx.map.areas[area] == nil, ctx.map.grid(code: area) == nil {
            throw DomainError.invalid("area", "area '\(area)' is not a district, street, community or grid of the city")
        }
        if let matter {
            let known = matter.count == 2 ? ctx.catalog.all(.matter).contains { $0.code.hasPrefix(matter) } : ctx.catalog.matter(matter) != nil
            guard known else { throw DomainError.invalid("matter", "matter '\(matter)' is neither a major class (06) nor a matter class (06001) of the catalog") }
        }
        return CaseCountFilter(area: area, matter: matter, days: days)
    }

    /// The last `count` days up to today.
    public func lastDays(_ count: Int) throws -> ClosedRange<Int> {
        guard (1...3660).contains(count) else { throw DomainError.invalid("days", "days must be between 1 and 3660") }
        return (today - count + 1)...today
    }

    /// The daily series with week-over-week and year-over-year change.
    public func trend(_ f: CaseCountFilter) async throws -> TrendSeries {
        var wide = f
        wide.days = TrendSeries.neededDays(f.days)
        return TrendSeries(days: f.days, daily: try await platform.reads.store().dailyCounts(wide))
    }

    /// A hotspot: a grid (and class) with its count, share of the filter's total and where to draw it.
    public struct Hotspot: Hashable, Sendable {
        /// The grid and class count.
        public var count: GridMatterCount
        /// The grid's street and district names.
        public var areaNames: [String]
        /// A point inside the grid.
        public var point: GeoPoint?
    }

    /// The top `limit` grid × class pairs and the top `limit` grids, with the total they are shares of.
    public func hotspots(_ f: CaseCountFilter, limit: Int) async throws -> (pairs: [Hotspot], grids: [Hotspot], total: Int) {
        guard (1...500).contains(limit) else { throw DomainError.invalid("limit", "limit must be between 1 and 500") }
        let counts = try await platform.reads.store().gridMatterCounts(f)
        return (counts.prefix(limit).map(hotspot), Self.byGrid(counts).prefix(limit).map(hotspot), counts.reduce(0) { $0 + $1.count })
    }

    /// Every grid with cases, for the heat-map layer.
    public func heat(_ f: CaseCountFilter) async throws -> [Hotspot] {
        Self.byGrid(try await platform.reads.store().gridMatterCounts(f)).map(hotspot)
    }

    /// Grid × class counts summed by grid (class left empty), most first.
    static func byGrid(_ counts: [GridMatterCount]) -> [GridMatterCount] {
        var byGrid: [String: Int] = [:]
        for c in counts { byGrid[c.gridCode, default: 0] += c.count }
        return CaseCounts.sorted(byGrid.map { GridMatterCount(gridCode: $0.key, matterCode: "", count: $0.value) })
    }

    func hotspot(_ c: GridMatterCount) -> Hotspot {
        let map = platform.context.map
        let grid = map.grid(code: c.gridCode)
        let names = [String(c.gridCode.prefix(6)), String(c.gridCode.prefix(9))].compactMap { map.areas[$0]?.name }
        return Hotspot(count: c, areaNames: names, point: grid?.boundary.interiorPoint)
    }

    /// Reports by weekday and hour.
    public func patterns(_ f: CaseCountFilter) async throws -> [[Int]] { try await platform.reads.store().weekdayHourCounts(f) }
}
