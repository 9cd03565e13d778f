import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird

/// Hotspots and trends (热点与趋势) for the leader's screen and the analysts.
struct AnalyticsRoutes: Sendable {
    let platform: Platform

    func register(on api: APIBuilder) {
        let service = AnalyticsService(platform: platform)
        let roles = ConsoleRoutes.dashboardRoles
        let access = "leader, shiftlead, dispatcher, operator, admin"
        api.add(.get, "/api/v1/analytics/trend", "Reported cases per day (or week, month) with week-over-week and year-over-year change",
                tag: "analytics", access: access, query: ["area", "matter", "days", "period", "group"]) { req, ctx in
            _ = try ctx.requireRole(roles)
            let f = try Self.filter(req, service, defaultDays: 90)
            let group = try req.queryEnum("group", EvaluationPeriod.Kind.self) ?? .day
            guard [.day, .week, .month].contains(group) else { throw DomainError.invalid("group", "group must be day, week or month") }
            return try APIJSON.response(TrendReply(try await service.trend(f), group: group))
        }
        api.add(.get, "/api/v1/analytics/hotspots", "The top grid × class hotspots and the top grids, with shares of the total",
                tag: "analytics", access: access, query: ["area", "matter", "days", "period", "limit"]) { req, ctx in
            _ = try ctx.requireRole(roles)
            let f = try Self.filter(req, service, defaultDays: 30)
            let (pairs, grids, total) = try await service.hotspots(f, limit: try req.queryInt("limit") ?? 10)
            return try APIJSON.response(
                HotspotsReply(
                    from: Self.dayName(f.days.lowerBound), to: Self.dayName(f.days.upperBound), total: total,
                    hotspots: pairs.map { HotspotReply($0, total: total) }, grids: grids.map { HotspotReply($0, total: total) }))
        }
        api.add(.get, "/api/v1/analytics/heat", "Every grid with reported cases and a point inside it: the heat-map layer",
                tag: "analytics", access: access, query: ["area", "matter", "days", "period"]) { req, ctx in
            _ = try ctx.requireRole(roles)
            let f = try Self.filter(req, service, defaultDays: 30)
            let cells = try await service.heat(f)
            let total = cells.reduce(0) { $0 + $1.count.count }
            return try APIJSON.response(cells.map { HotspotReply($0, total: total) })
        }
        api.add(.get, "/api/v1/analytics/patterns", "Reported cases by weekday (Monday first) and hour of the day",
                tag: "analytics", access: access, query: ["area", "matter", "days", "period"]) { req, ctx in
            _ = try ctx.requireRole(roles)
            let m = try await service.patterns(try Self.filter(req, service, defaultDays: 90))
            return try APIJSON.response(
                PatternsReply(weekdayHour: m, byWeekday: m.map { $0.reduce(0, +) }, byHour: (0..<24).map { h in m.reduce(0) { $0 + $1[h] } }))
        }
    }

    /// The filter of `area`, `matter`, and either `period` (any evaluation period) or `days` (the last N days).
    static func filter(_ req: Request, _ service: AnalyticsService, defaultDays: Int) throws -> CaseCountFilter {
        let days: ClosedRange<Int>
        if let text = req.query("period") {
            guard let p = EvaluationPeriod.parse(text, utcOffsetSeconds: EvaluationFacts.utcOffsetSeconds) else {
                throw DomainError.invalid("period", "period must be a day, week, month, quarter, year or range such as 2026-11-01..2026-11-15")
            }
            days = p.days
        } else {
            days = try service.lastDays(try req.queryInt("days") ?? defaultDays)
        }
        return try service.filter(area: req.query("area"), matter: req.query("matter"), days: days)
    }

    static func dayName(_ day: Int) -> String {
        EvaluationPeriod(kind: .day, firstDay: day, lastDay: day, utcOffsetSeconds: EvaluationFacts.utcOffsetSeconds).name
    }
}

/// `GET /api/v1/analytics/trend`.
struct TrendReply: Codable {
    struct Point: Codable {
        var date: String
        var count: Int
    }
    var group: String
    var series: [Point]
    var total: Int
    var yearBefore: Int
    var yearOverYear: Double?
    var lastWeek: Int
    var weekBefore: Int
    var weekOverWeek: Double?

    init(_ t: TrendSeries, group: EvaluationPeriod.Kind) {
        self.group = group.rawValue
        series = t.grouped(by: group).map { Point(date: AnalyticsRoutes.dayName($0.day), count: $0.count) }
        total = t.total
        yearBefore = t.yearBefore
        yearOverYear = t.yearOverYear
        lastWeek = t.lastWeek
        weekBefore = t.weekBefore
        weekOverWeek = t.weekOverWeek
    }
}

/// A hotspot or heat-map cell.
struct HotspotReply: Codable {
    var gridCode: String
    var matterCode: String?
    var count: Int
    var share: Double
    var areas: [String]
    var lat: Double?
    var lon: Double?

    init(_ h: AnalyticsService.Hotspot, total: Int) {
        gridCode = h.count.gridCode
        matterCode = h.count.matterCode.isEmpty ? nil : h.count.matterCode
        count = h.count.count
        share = total == 0 ? 0 : Indicator.percent(h.count.count, total)
        areas = h.areaNames
        lat = h.point?.lat
        lon = h.point?.lon
    }
}

/// `GET /api/v1/analytics/hotspots`.
struct HotspotsReply: Codable {
    var from, to: String
    var total: Int
    var hotspots: [HotspotReply]
    var grids: [HotspotReply]
}

/// `GET /api/v1/analytics/patterns`.
struct PatternsReply: Codable {
    var weekdayHour: [[Int]]
    var byWeekday: [Int]
    var byHour: [Int]
}
