import Foundation

/// What the leader's one screen (一屏统览) asks the store: today's figures, the open cases by state and grid, the
/// recent trend and categories, and the most overdue cases, optionally inside one area.
public struct DashboardQuery: Hashable, Sendable {
    /// Only cases in this area (a prefix of the grid code); nil for the whole city.
    public var areaCode: String?
    /// The instant the figures are for.
    public var now: Date
    /// The city's offset from UTC: days run from local midnight to midnight.
    public var utcOffsetSeconds: Int
    /// How many days the trend covers, today included.
    public var trendDays: Int
    /// How many of the most overdue cases to list.
    public var overdueLimit: Int

    /// Creates a query.
    public init(areaCode: String? = nil, now: Date, utcOffsetSeconds: Int = 8 * 3600, trendDays: Int = 30, overdueLimit: Int = 20) {
        self.areaCode = areaCode
        self.now = now
        self.utcOffsetSeconds = utcOffsetSeconds
        self.trendDays = trendDays
        self.overdueLimit = overdueLimit
    }

    /// The local day number (days since 1970-01-01 local) of an instant.
    public func day(of date: Date) -> Int {
        Int(((date.timeIntervalSince1970 + Double(utcOffsetSeconds)) / 86_400).rounded(.down))
    }

    /// Local midnight starting the given day number.
    public func start(ofDay day: Int) -> Date {
        Date(timeIntervalSince1970: Double(day) * 86_400 - Double(utcOffsetSeconds))
    }

    /// Today's local day number.
    public var today: Int { day(of: now) }
    /// The first day of the trend.
    public var firstTrendDay: Int { today - trendDays + 1 }
}

/// Counts of one day.
public struct DayCounts: Hashable, Codable, Sendable {
    /// Local day number (days since 1970-01-01 in the city's time).
    public var day: Int
    /// Cases reported that day.
    public var reported: Int
    /// Cases closed that day.
    public var closed: Int

    /// Creates counts.
    public init(day: Int, reported: Int, closed: Int) {
        self.day = day
        self.reported = reported
        self.closed = closed
    }
}

/// An overdue case on the dashboard.
public struct OverdueCase: Hashable, Codable, Sendable {
    /// The case.
    public var id: CaseID
    /// Its number.
    public var number: String
    /// Its matter class.
    public var matterCode: String
    /// Its state.
    public var state: CaseState
    /// The deadline it missed.
    public var stepDueAt: Date
    /// The lead department.
    public var departmentID: DepartmentID?
    /// Where.
    public var gridCode: String
    /// The point.
    public var point: GeoPoint

    /// Creates an entry.
    public init(
        id: CaseID, number: String, matterCode: String, state: CaseState, stepDueAt: Date, departmentID: DepartmentID?, gridCode: String,
        point: GeoPoint
    ) {
        self.id = id
        self.number = number
        self.matterCode = matterCode
        self.state = state
        self.stepDueAt = stepDueAt
        self.departmentID = departmentID
        self.gridCode = gridCode
        self.point = point
    }
}

/// The dashboard's figures as the store computes them.
public struct DashboardFigures: Hashable, Sendable {
    /// Reported today.
    public var reportedToday = 0
    /// Filed today (立案).
    public var filedToday = 0
    /// Closed today (结案).
    public var closedToday = 0
    /// Of those, closed by the handling deadline (or without one).
    public var closedOnTimeToday = 0
    /// Open cases whose running step is overdue now.
    public var overdue = 0
    /// Open cases by state.
    public var openByState: [CaseState: Int] = [:]
    /// Open cases by grid.
    public var openByGrid: [String: Int] = [:]
    /// Reported and closed per day, for every day of the trend (zeros included), oldest first.
    public var trend: [DayCounts] = []
    /// Cases reported during the trend's days, by major class (the matter code's first two digits).
    public var reportedByMajorClass: [String: Int] = [:]
    /// The most overdue open cases, most overdue first.
    public var mostOverdue: [OverdueCase] = []

    /// Creates empty figures.
    public init() {}

    /// The figures computed from case records, the reference the stores' own queries must agree with.
    public static func compute(from cases: some Sequence<CaseRecord>, _ q: DashboardQuery) -> DashboardFigures {
        var f = DashboardFigures()
        let today = q.today
        let first = q.firstTrendDay
        var reported = [Int: Int]()
        var closed = [Int: Int]()
        var overdue: [OverdueCase] = []
        for c in cases {
            if let area = q.areaCode, !c.placement.gridCode.hasPrefix(area) { continue }
            let created = q.day(of: c.createdAt)
            if created == today { f.reportedToday += 1 }
            if created >= first, created <= today {
                reported[created, default: 0] += 1
                f.reportedByMajorClass[String(c.matterCode.prefix(2)), default: 0] += 1
            }
            if let filed = c.filedAt, q.day(of: filed) == today { f.filedToday += 1 }
            if c.state == .closed, let at = c.closedAt {
                let d = q.day(of: at)
                if d == today {
                    f.closedToday += 1
                    if c.handlingDueAt.map({ at <= $0 }) ?? true { f.closedOnTimeToday += 1 }
                }
                if d >= first, d <= today { closed[d, default: 0] += 1 }
            }
            if !c.state.isTerminal {
                f.openByState[c.state, default: 0] += 1
                f.openByGrid[c.placement.gridCode, default: 0] += 1
            }
            if c.state.hasDeadline, let due = c.stepDueAt, due < q.now {
                f.overdue += 1
                overdue.append(
                    OverdueCase(
                        id: c.id, number: c.number, matterCode: c.matterCode, state: c.state, stepDueAt: due, departmentID: c.leadDepartmentID,
                        gridCode: c.placement.gridCode, point: c.point))
            }
        }
        f.trend = (first...today).map { DayCounts(day: $0, reported: reported[$0] ?? 0, closed: closed[$0] ?? 0) }
        f.mostOverdue = Array(overdue.sorted { ($0.stepDueAt, $0.number) < ($1.stepDueAt, $1.number) }.prefix(q.overdueLimit))
        return f
    }
}

/// Open cases inside a box grouped into square cells (for map markers at any zoom), by state.
public struct ClusterQuery: Hashable, Sendable {
    /// Where.
    public var box: BoundingBox
    /// The cell's side in degrees.
    public var cellDegrees: Double
    /// Only cases in this area.
    public var areaCode: String?

    /// Creates a query.
    public init(box: BoundingBox, cellDegrees: Double, areaCode: String? = nil) {
        self.box = box
        self.cellDegrees = cellDegrees
        self.areaCode = areaCode
    }

    /// The cell of a point: (row, column).
    public func cell(of p: GeoPoint) -> CellKey {
        CellKey(row: Int((p.lat / cellDegrees).rounded(.down)), column: Int((p.lon / cellDegrees).rounded(.down)))
    }

    /// A cell.
    public struct CellKey: Hashable, Sendable {
        /// Latitude index.
        public var row: Int
        /// Longitude index.
        public var column: Int
    }
}

/// Open cases of one state in one cell.
public struct CaseCluster: Hashable, Codable, Sendable {
    /// The mean position of the cases.
    public var point: GeoPoint
    /// Their state.
    public var state: CaseState
    /// How many.
    public var count: Int
    /// The case, when there is exactly one.
    public var caseID: CaseID?
    /// Its number, when there is exactly one.
    public var number: String?

    /// Creates a cluster.
    public init(point: GeoPoint, state: CaseState, count: Int, caseID: CaseID?, number: String?) {
        self.point = point
        self.state = state
        self.count = count
        self.caseID = caseID
        self.number = number
    }

    /// The clusters computed from case records, the reference the stores must agree with; sorted by state, then
    /// latitude, then longitude.
    public static func compute(from cases: some Sequence<CaseRecord>, _ q: ClusterQuery) -> [CaseCluster] {
        var groups: [ClusterKey: (lat: Double, lon: Double, n: Int, first: CaseRecord)] = [:]
        for c in cases where !c.state.isTerminal && q.box.contains(c.point) {
            if let area = q.areaCode, !c.placement.gridCode.hasPrefix(area) { continue }
            let key = ClusterKey(cell: q.cell(of: c.point), state: c.state)
            if var g = groups[key] {
                g.lat += c.point.lat
                g.lon += c.point.lon
                g.n += 1
                groups[key] = g
            } else {
                groups[key] = (c.point.lat, c.point.lon, 1, c)
            }
        }
        return groups.values.map { g in
            CaseCluster(
                point: GeoPoint(lat: g.lat / Double(g.n), lon: g.lon / Double(g.n)), state: g.first.state, count: g.n,
                caseID: g.n == 1 ? g.first.id : nil, number: g.n == 1 ? g.first.number : nil)
        }.sorted()
    }
}

/// A cell and a state: one cluster.
private struct ClusterKey: Hashable {
    var cell: ClusterQuery.CellKey
    var state: CaseState
}

extension CaseCluster: Comparable {
    /// Orders by state, then position.
    public static func < (a: CaseCluster, b: CaseCluster) -> Bool {
        (a.state.rawValue, a.point.lat, a.point.lon) < (b.state.rawValue, b.point.lat, b.point.lon)
    }
}

/// The aggregations behind the leader's screen.
public protocol DashboardStore: Sendable {
    /// Today's figures, open cases by state and grid, the trend, the categories and the most overdue cases.
    func dashboard(_ query: DashboardQuery) async throws -> DashboardFigures
    /// Open cases in a box grouped by cell and state.
    func openCaseClusters(_ query: ClusterQuery) async throws -> [CaseCluster]
}
