import CityLoopDomain
import Foundation
import Testing

/// The dashboard's reference computation against figures worked out by hand.
@Suite("Dashboard figures")
struct DashboardFiguresTests {
    /// 2026-03-02 00:00 in UTC+8 (2026-03-01 16:00 UTC).
    static let midnight = Date(timeIntervalSince1970: 1_772_409_600 - 8 * 3600)

    static func record(
        _ n: Int, state: CaseState, grid: String = "410102001001001", matter: String = "06001", created: Double, filed: Double? = nil,
        closed: Double? = nil, handlingDue: Double? = nil, stepDue: Double? = nil
    ) -> CaseRecord {
        var c = CaseRecord(
            id: CaseID("c\(n)"), source: .citizen, matterCode: matter, description: "x", point: GeoPoint(lat: 34.75, lon: 113.65),
            placement: Placement(grid: UnitGrid(code: grid, boundary: Polygon(outer: []))), state: state, reporters: [],
            createdAt: midnight.addingTimeInterval(created))
        c.number = "N\(n)"
        c.filedAt = filed.map { midnight.addingTimeInterval($0) }
        c.closedAt = closed.map { midnight.addingTimeInterval($0) }
        c.handlingDueAt = handlingDue.map { midnight.addingTimeInterval($0) }
        c.stepDueAt = stepDue.map { midnight.addingTimeInterval($0) }
        return c
    }

    @Test("no cases: zeros, a full trend of empty days, nothing overdue")
    func empty() {
        let f = DashboardFigures.compute(from: [], DashboardQuery(now: Self.midnight.addingTimeInterval(3600), trendDays: 7))
        #expect(f.reportedToday == 0 && f.filedToday == 0 && f.closedToday == 0 && f.overdue == 0)
        #expect(f.trend.count == 7 && f.trend.allSatisfy { $0.reported == 0 && $0.closed == 0 })
        #expect(f.openByState.isEmpty && f.mostOverdue.isEmpty)
    }

    @Test("today's figures count by local day; on time means closed by the handling deadline")
    func today() {
        let cases = [
            // Reported yesterday 23:00 local, filed today 01:00, closed today 10:00 before its deadline (12:00).
            Self.record(1, state: .closed, created: -3600, filed: 3600, closed: 36_000, handlingDue: 43_200),
            // Reported today, closed late.
            Self.record(2, state: .closed, matter: "09001", created: 1800, filed: 2000, closed: 50_000, handlingDue: 43_200),
            // Reported today, voided: ended but not closed.
            Self.record(3, state: .voided, created: 7200, closed: 8000),
            // Open and overdue, in another district.
            Self.record(4, state: .inProgress, grid: "410103001001001", created: -86_400 * 3, filed: -86_400 * 3, stepDue: -3600),
            // Open, suspended: a stale deadline does not count.
            Self.record(5, state: .suspended, created: -86_400 * 40, stepDue: -86_400),
            // Closed without a handling deadline: on time.
            Self.record(6, state: .closed, created: -86_400 * 2, closed: 20_000),
        ]
        let q = DashboardQuery(now: Self.midnight.addingTimeInterval(60_000), trendDays: 30)
        let f = DashboardFigures.compute(from: cases, q)
        #expect(f.reportedToday == 2)
        #expect(f.filedToday == 2)
        #expect(f.closedToday == 3 && f.closedOnTimeToday == 2)
        #expect(f.overdue == 1 && f.mostOverdue.map(\.number) == ["N4"])
        #expect(f.openByState == [.inProgress: 1, .suspended: 1])
        #expect(f.openByGrid == ["410103001001001": 1, "410102001001001": 1])
        #expect(f.reportedByMajorClass == ["06": 4, "09": 1])  // case 5 is older than 30 days
        #expect(f.trend.last?.reported == 2 && f.trend.last?.closed == 3)
        #expect(f.trend[f.trend.count - 2].reported == 1)
        let district = DashboardFigures.compute(from: cases, DashboardQuery(areaCode: "410103", now: q.now))
        #expect(district.overdue == 1 && district.reportedToday == 0 && district.closedToday == 0)
    }

    @Test("clusters group open cases by cell and state and name the single case")
    func clusters() {
        var a = Self.record(1, state: .dispatched, created: 0)
        a.point = GeoPoint(lat: 34.7501, lon: 113.6501)
        var b = Self.record(2, state: .dispatched, created: 0)
        b.point = GeoPoint(lat: 34.7503, lon: 113.6503)
        var c = Self.record(3, state: .pendingFiling, created: 0)
        c.point = GeoPoint(lat: 34.7502, lon: 113.6502)
        var d = Self.record(4, state: .closed, created: 0)
        d.point = GeoPoint(lat: 34.7502, lon: 113.6502)
        let q = ClusterQuery(box: BoundingBox(minLat: 34.7, minLon: 113.6, maxLat: 34.8, maxLon: 113.7), cellDegrees: 0.01)
        let clusters = CaseCluster.compute(from: [a, b, c, d], q)
        #expect(clusters.count == 2)
        let dispatched = clusters.first { $0.state == .dispatched }
        #expect(dispatched?.count == 2 && dispatched?.caseID == nil && abs((dispatched?.point.lat ?? 0) - 34.7502) < 1e-9)
        #expect(clusters.first { $0.state == .pendingFiling }?.number == "N3")
    }
}
