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

/// Forecast and early warning (预测预警).
struct ForecastRoutes: Sendable {
    let platform: Platform

    func register(on api: APIBuilder) {
        let service = ForecastService(platform: platform)
        let roles = ConsoleRoutes.dashboardRoles
        let access = "leader, shiftlead, dispatcher, operator, admin"
        api.add(.get, "/api/v1/analytics/forecast", "The coming days' expected reports of an area × class, with the backtest against \"same as last week\"",
                tag: "analytics", access: access, query: ["area", "matter", "days"]) { req, ctx in
            _ = try ctx.requireRole(roles)
            let (history, forecast, backtest) = try await service.forecast(area: req.query("area"), matter: req.query("matter"), days: try req.queryInt("days") ?? 7)
            return try APIJSON.response(ForecastReply(history: history, forecast: forecast, backtest: backtest))
        }
        api.add(.get, "/api/v1/analytics/alerts", "Early warnings raised, newest first", tag: "analytics", access: access) { _, ctx in
            _ = try ctx.requireRole(roles)
            return try APIJSON.response(try await service.alerts().map(WarningReply.init))
        }
        api.add(.post, "/api/v1/analytics/alerts/scan", "Scan every watched series now; the new alerts", tag: "analytics",
                access: "leader, shiftlead, admin") { _, ctx in
            _ = try ctx.requireRole([.leader, .shiftLead, .admin])
            return try APIJSON.response(try await service.scan().map(WarningReply.init))
        }
        api.add(.post, "/api/v1/analytics/alerts/:id/task", "Turn an alert into a supervision task: a case for an inspector to verify on site",
                tag: "analytics", access: "leader, shiftlead, admin") { req, ctx in
            let actor = try ctx.requireRole([.leader, .shiftLead, .admin])
            return try APIJSON.response(WarningReply(try await service.makeTask(alertID: try ctx.param("id"), by: actor)))
        }
        api.add(.get, "/api/v1/analytics/warning-policy", "The early-warning thresholds", tag: "analytics", access: access) { _, ctx in
            _ = try ctx.requireRole(roles)
            return try APIJSON.response(try await service.policy())
        }
        api.add(.put, "/api/v1/analytics/warning-policy", "Replace the early-warning thresholds", tag: "admin", access: "admin",
                body: "EarlyWarningPolicy") { req, ctx in
            _ = try ctx.requireRole(.admin)
            try await service.savePolicy(try await APIJSON.decode(EarlyWarningPolicy.self, from: req, context: ctx))
            return try APIJSON.response(try await service.policy())
        }
    }
}

/// `GET /api/v1/analytics/forecast`.
struct ForecastReply: Codable {
    struct Day: Codable {
        var date: String
        var count: Double
    }
    struct Expected: Codable {
        var date: String
        var expected, low, high: Double
    }
    struct Backtest: Codable {
        var weeks: Int
        var modelMAE, naiveMAE: Double
        var ratio: Double?
    }
    var history: [Day]
    var forecast: [Expected]
    var backtest: Backtest

    init(history h: DailySeries, forecast: [Forecast], backtest b: BacktestResult) {
        func name(_ d: Date) -> String { AnalyticsRoutes.dayName(EvaluationFacts.day(of: d, utcOffsetSeconds: EvaluationFacts.utcOffsetSeconds)) }
        history = h.counts.enumerated().map { Day(date: name(h.day($0.offset)), count: $0.element) }
        self.forecast = forecast.map { Expected(date: name($0.day), expected: ($0.expected * 100).rounded() / 100, low: $0.low, high: $0.high) }
        backtest = Backtest(weeks: b.folds, modelMAE: (b.model.mae * 1000).rounded() / 1000, naiveMAE: (b.naive.mae * 1000).rounded() / 1000,
                            ratio: b.relativeMAE.map { ($0 * 1000).rounded() / 1000 })
    }
}

/// An early warning.
struct WarningReply: Codable {
    var id, area, areaName, matter, matterName, severity: String
    var observed: Int
    var expected, ratio, pValue: Double
    var from, to, raisedAt: Date
    var taskCaseID, taskCaseNumber: String?

    init(_ r: WarningRecord) {
        id = r.id
        area = r.areaCode
        areaName = r.areaName
        matter = r.matterCode
        matterName = r.matterName
        severity = r.alert.severity.rawValue
        observed = r.alert.observed
        expected = (r.alert.expected * 100).rounded() / 100
        ratio = (r.alert.ratio * 100).rounded() / 100
        pValue = r.alert.pValue
        from = r.alert.window.start
        to = r.alert.window.end
        raisedAt = r.raisedAt
        taskCaseID = r.taskCaseID?.rawValue
        taskCaseNumber = r.taskCaseNumber
    }
}
