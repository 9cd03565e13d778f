import CityLoopDomain
import Foundation

/// Forecast and early warning (预测预警): the coming days of any area × class from its history, the backtest that
/// says how much better than "same as last week" that forecast is, scans that raise alerts when a series runs
/// significantly above its expectation, and alerts turned into supervision tasks.
public struct ForecastService: Sendable {
    let platform: Platform

    /// The setting holding the early-warning policy as JSON.
    public static let policyKey = "analytics.warningPolicy"
    /// How many alerts are kept.
    public static let keptAlerts = 500
    /// Days of history a forecast is fitted on (two years: the yearly factor needs more than one).
    public static let historyDays = 2 * 364

    /// Creates the service.
    public init(platform: Platform) { self.platform = platform }

    var today: Int { EvaluationFacts.day(of: platform.clock.now(), utcOffsetSeconds: EvaluationFacts.utcOffsetSeconds) }

    func start(ofDay day: Int) -> Date { Date(timeIntervalSince1970: Double(day) * 86_400 - Double(EvaluationFacts.utcOffsetSeconds)) }

    /// The daily series of reported cases for an area and class over `days` days ending with `lastDay`.
    public func series(area: String?, matter: String?, lastDay: Int, days: Int = ForecastService.historyDays) async throws -> DailySeries {
        let first = lastDay - days + 1
        let counts = try await platform.reads.store().dailyCounts(CaseCountFilter(area: area, matter: matter, days: first...lastDay))
        return DailySeries(start: start(ofDay: first), counts: (first...lastDay).map { Double(counts[$0] ?? 0) })
    }

    /// The forecast of the next `days` days (from today) fitted on the complete days before today, with the
    /// backtest of the same series over its last `backtestWeeks` weeks.
    public func forecast(area: String?, matter: String?, days: Int, backtestWeeks: Int = 8) async throws
        -> (history: DailySeries, forecast: [Forecast], backtest: BacktestResult)
    {
        guard (1...90).contains(days) else { throw DomainError.invalid("days", "days must be between 1 and 90") }
        _ = try AnalyticsService(platform: platform).filter(area: area, matter: matter, days: today...today)
        let history = try await series(area: area, matter: matter, lastDay: today - 1)
        let model = SeasonalForecaster.fit(history)
        let backtest = ForecastBacktest(weeks: backtestWeeks).evaluate(history)
        return (history.suffix(56), model.forecast(days: days), backtest)
    }

    /// The early-warning policy in force.
    public func policy() async throws -> EarlyWarningPolicy {
        guard let text = try await platform.store.setting(Self.policyKey) else { return EarlyWarningPolicy() }
        return try JSONDecoder().decode(EarlyWarningPolicy.self, from: Data(text.utf8))
    }

    /// Saves the policy after checking it; 422 naming `policy` with the first problem, nothing saved.
    public func savePolicy(_ p: EarlyWarningPolicy) async throws {
        if let problem = p.problems().first { throw DomainError.invalid("policy", problem) }
        try await platform.store.saveSetting(Self.policyKey, String(decoding: try JSONEncoder().encode(p), as: UTF8.self))
    }

    /// The series a scan watches: the city and every district, each for every major class.
    public func watchedSeries() -> [(area: String, areaName: String, matter: String, matterName: String)] {
        let ctx = platform.context
        let areas = [("", ctx.map.areas.values.first { $0.level == .city }?.name ?? "全市")]
            + ctx.map.areas.values.filter { $0.level == .district }.sorted { $0.code < $1.code }.map { ($0.code, $0.name) }
        let majors = Dictionary(grouping: ctx.catalog.all(.matter), by: { String($0.code.prefix(2)) }).keys.sorted()
        return areas.flatMap { a in
            majors.map { m in (a.0, a.1, m, ctx.catalog.all(.matter).first { $0.code.hasPrefix(m) }?.majorClass ?? m) }
        }
    }

    /// Scans every watched series for the last complete day: raises the alerts not raised before, keeps them,
    /// pushes each new one to the live feed, and returns the new ones (an alert another node kept first is not new).
    @discardableResult
    public func scan() async throws -> [WarningRecord] {
        let warning = EarlyWarning(policy: try await policy())
        let lastDay = today - 1
        let now = platform.clock.now()
        var found: [WarningRecord] = []
        for s in watchedSeries() {
            let history = try await series(area: s.area.isEmpty ? nil : s.area, matter: s.matter, lastDay: lastDay)
            guard let alert = warning.check(history, windowDays: 1) else { continue }
            found.append(WarningRecord(
                areaCode: s.area, areaName: s.areaName, matterCode: s.matter, matterName: s.matterName, alert: alert, raisedAt: now, firstDay: lastDay))
        }
        guard !found.isEmpty else { return [] }
        let raised = try await platform.store.saveNewAlerts(found.sorted { $0.alert.pValue < $1.alert.pValue }, keeping: Self.keptAlerts)
        for r in raised { platform.live.publish(LiveItem(
                event: LiveEvent(
                    alert: r.id, severity: r.alert.severity.rawValue, matterCode: r.matterCode, areaCode: r.areaCode.isEmpty ? nil : r.areaCode,
                    at: r.raisedAt),
                record: nil)) }
        return raised
    }

    /// The kept alerts, newest first.
    public func alerts() async throws -> [WarningRecord] { try await platform.store.alerts(limit: Self.keptAlerts) }

    /// Turns an alert into a supervision task: a case in the alert's hottest grid and most reported class of the
    /// window, waiting for an inspector to look on site. Once only: a second call returns the same case.
    public func makeTask(alertID: String, by actor: Actor) async throws -> WarningRecord {
        guard let a = try await platform.store.alert(id: alertID) else { throw DomainError.notFound("alert", alertID) }
        if a.taskCaseID != nil { return a }
        let window = EvaluationFacts.day(of: a.alert.window.start, utcOffsetSeconds: EvaluationFacts.utcOffsetSeconds)
        let counts = try await platform.reads.store().gridMatterCounts(
            CaseCountFilter(area: a.areaCode.isEmpty ? nil : a.areaCode, matter: a.matterCode, days: window...window))
        guard let top = counts.first, let grid = platform.context.map.grid(code: top.gridCode) else {
            throw DomainError(.conflict, code: "alert.no_cases", "the alert's window has no cases to place a task at")
        }
        let point = grid.boundary.interiorPoint
        let text = String(
            format: "【预警督查】%@ %@：%d 件，预期 %.1f 件（%.1f 倍，p=%.2g）。最多的网格 %@（%d 件）。由 %@ 转为督查任务。",
            a.areaName, a.matterName, a.alert.observed, a.alert.expected, a.alert.ratio, a.alert.pValue, top.gridCode, top.count, actor.name)
        var input = ReportInput(matterCode: top.matterCode, description: text, lat: point.lat, lon: point.lon)
        input.source = .operator
        input.clientRequestID = "warning-\(a.id)"
        // The case is idempotent on the alert, and the alert's row records one task: of two nodes making it at
        // once, one gets the task and the other a conflict (its text, with another actor or count, is refused too).
        let result: ReportResult
        do {
            result = try await CaseService(platform: platform).report(input, actor: Actor.system)
        } catch let e as DomainError where e.code == "idempotency.mismatch" {
            throw try await madeMeanwhile(alertID)
        }
        guard try await platform.store.assignAlertTask(id: a.id, caseID: result.case.id, caseNumber: result.case.number) else {
            throw try await madeMeanwhile(alertID)
        }
        var done = a
        done.taskCaseID = result.case.id
        done.taskCaseNumber = result.case.number
        return done
    }

    /// The conflict told to the node that lost the race to make an alert a task, naming the task the other made.
    func madeMeanwhile(_ alertID: String) async throws -> DomainError {
        let number = try await platform.store.alert(id: alertID)?.taskCaseNumber
        return DomainError(
            .conflict, code: "alert.changed", "alert \(alertID) was made a supervision task meanwhile (case \(number ?? "being filed")); reload")
    }
}
