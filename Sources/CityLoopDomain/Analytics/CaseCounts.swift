import Foundation

/// Which reported cases an analytics question counts: an area (district, street, community or grid code
/// prefix; nil for the city), a matter (major class `06` or a class `06001`; nil for all) and local days.
public struct CaseCountFilter: Hashable, Sendable {
    /// An area code prefix; nil for the whole city.
    public var area: String?
    /// A 2-digit major class or 5-digit matter class; nil for every class.
    public var matter: String?
    /// Local day numbers (see `EvaluationFacts.day`).
    public var days: ClosedRange<Int>

    /// Creates a filter.
    public init(area: String? = nil, matter: String? = nil, days: ClosedRange<Int>) {
        self.area = area
        self.matter = matter
        self.days = days
    }

    /// Whether a case reported at `day` in `grid` with `matterCode` is counted.
    public func matches(day: Int, grid: String, matterCode: String) -> Bool {
        days.contains(day) && (area.map(grid.hasPrefix) ?? true) && (matter.map(matterCode.hasPrefix) ?? true)
    }
}

/// Cases reported in one grid of one matter class: a hotspot (热点) candidate and a heat-map cell.
public struct GridMatterCount: Hashable, Codable, Sendable {
    /// The unit grid.
    public var gridCode: String
    /// The matter class.
    public var matterCode: String
    /// How many cases.
    public var count: Int

    /// Creates a count.
    public init(gridCode: String, matterCode: String, count: Int) {
        self.gridCode = gridCode
        self.matterCode = matterCode
        self.count = count
    }
}

/// The reference counts from case records, which the stores' own queries must agree with.
public enum CaseCounts {
    /// Reported cases per local day (days without cases omitted).
    public static func daily(_ records: some Sequence<CaseRecord>, _ f: CaseCountFilter, utcOffsetSeconds: Int = EvaluationFacts.utcOffsetSeconds) -> [Int: Int] {
        var out: [Int: Int] = [:]
        for c in records {
            let d = EvaluationFacts.day(of: c.createdAt, utcOffsetSeconds: utcOffsetSeconds)
            if f.matches(day: d, grid: c.placement.gridCode, matterCode: c.matterCode) { out[d, default: 0] += 1 }
        }
        return out
    }

    /// Reported cases per grid and matter class, most first (ties by grid, then class).
    public static func byGridAndMatter(_ records: some Sequence<CaseRecord>, _ f: CaseCountFilter, utcOffsetSeconds: Int = EvaluationFacts.utcOffsetSeconds)
        -> [GridMatterCount]
    {
        var counts: [String: [String: Int]] = [:]
        for c in records {
            let d = EvaluationFacts.day(of: c.createdAt, utcOffsetSeconds: utcOffsetSeconds)
            if f.matches(day: d, grid: c.placement.gridCode, matterCode: c.matterCode) { counts[c.placement.gridCode, default: [:]][c.matterCode, default: 0] += 1 }
        }
        return sorted(counts.flatMap { g, m in m.map { GridMatterCount(gridCode: g, matterCode: $0.key, count: $0.value) } })
    }

    /// Reported cases by weekday (0 = Monday) and local hour: 7 rows of 24.
    public static func weekdayHour(_ records: some Sequence<CaseRecord>, _ f: CaseCountFilter, utcOffsetSeconds: Int = EvaluationFacts.utcOffsetSeconds)
        -> [[Int]]
    {
        var out = Array(repeating: Array(repeating: 0, count: 24), count: 7)
        for c in records {
            let d = EvaluationFacts.day(of: c.createdAt, utcOffsetSeconds: utcOffsetSeconds)
            guard f.matches(day: d, grid: c.placement.gridCode, matterCode: c.matterCode) else { continue }
            let (wd, h) = weekdayHour(c.createdAt, utcOffsetSeconds: utcOffsetSeconds)
            out[wd][h] += 1
        }
        return out
    }

    /// The local weekday (0 = Monday) and hour of an instant.
    public static func weekdayHour(_ d: Date, utcOffsetSeconds: Int) -> (weekday: Int, hour: Int) {
        let local = Int((d.timeIntervalSince1970 + Double(utcOffsetSeconds)).rounded(.down))
        let day = Int((Double(local) / 86_400).rounded(.down))
        // 1970-01-01 was a Thursday: day 0 has weekday 3 counting from Monday.
        let weekday = ((day + 3) % 7 + 7) % 7
        let hour = ((local % 86_400 + 86_400) % 86_400) / 3600
        return (weekday, hour)
    }

    /// Most first, then by grid and class.
    public static func sorted(_ counts: [GridMatterCount]) -> [GridMatterCount] {
        counts.sorted { ($1.count, $0.gridCode, $0.matterCode) < ($0.count, $1.gridCode, $1.matterCode) }
    }
}
