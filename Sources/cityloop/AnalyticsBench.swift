import ArgumentParser
import CityLoopDemo
import CityLoopDomain
import CityLoopSQLite
import CityLoopServices
import Foundation

extension BenchCommand {
    /// The evaluation and the leader's screen's hotspot and time-series queries over the demo city, beside the same
    /// aggregations in DuckDB over the same data exported to CSV and Parquet; and what one more closed case costs.
    func analyticsBench() async throws {
        let city = try await demoCity(.sqlite)
        do {
            try await analyticsFigures(city)
        } catch {
            await city.dispose()
            throw error
        }
        await city.dispose()
    }

    /// One timed query of the evaluation and analytics benchmark.
    struct AnalyticsTiming {
        var key: String
        var name: String
        var cold: Double
        var median: Double
        /// Milliseconds.
        var target: Double
    }

    /// Times `body` `runs` times: the first run (cold) and the median of the others, in milliseconds.
    func time(_ runs: Int, _ body: () async throws -> Void) async throws -> (cold: Double, median: Double) {
        var t: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try await body()
            t.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        let warm = t.count > 1 ? Array(t.dropFirst()).sorted() : t
        return (t[0], warm[warm.count / 2])
    }

    /// The monthly evaluation and the leader's screen's analytics queries over `platform`'s city.
    func analyticsTimings(_ platform: Platform, month: EvaluationPeriod, district: String, major: String) async throws -> [AnalyticsTiming] {
        let evaluation = EvaluationService(platform: platform)
        let analytics = AnalyticsService(platform: platform)
        let today = analytics.today
        let eval = try await time(5) { _ = try await evaluation.reports(period: month) }
        var out = [AnalyticsTiming(key: "evaluation_month", name: "monthly evaluation", cold: eval.cold, median: eval.median, target: 1000)]
        let queries: [(String, String, () async throws -> Void)] = [
            ("trend_city_90d", "trend, city, 90 days (+ a year back)", {
                _ = try await analytics.trend(try analytics.filter(area: nil, matter: nil, days: (today - 89)...today))
            }),
            ("trend_district_class_365d", "trend, district × class, 365 days", {
                _ = try await analytics.trend(try analytics.filter(area: district, matter: major, days: (today - 364)...today))
            }),
            ("hotspots_30d", "top-10 hotspots, 30 days", {
                _ = try await analytics.hotspots(try analytics.filter(area: nil, matter: nil, days: (today - 29)...today), limit: 10)
            }),
            ("heat_30d", "heat-map layer, 30 days", { _ = try await analytics.heat(try analytics.filter(area: nil, matter: nil, days: (today - 29)...today)) }),
            ("patterns_90d", "weekday × hour, 90 days", {
                _ = try await analytics.patterns(try analytics.filter(area: nil, matter: nil, days: (today - 89)...today))
            }),
        ]
        for (key, name, body) in queries {
            let t = try await time(11, body)
            out.append(AnalyticsTiming(key: key, name: name, cold: t.cold, median: t.median, target: 100))
        }
        return out
    }

    /// The evaluation and the leader's screen's hotspot and time-series queries over the demo city on SQLite (and on
    /// PostgreSQL beside it), the same aggregations in DuckDB over the same data exported to CSV and Parquet, and
    /// what one more closed case costs.
    private func analyticsFigures(_ city: BenchCity) async throws {
        let platform = city.platform, folder = city.folder
        guard let store = platform.store as? SQLiteStore else { throw ValidationError("the analytics benchmark needs the SQLite store") }
        let cases = try await store.caseCount()
        let today = AnalyticsService(platform: platform).today
        // The last full month with cases: the demo's history ends today.
        let month = EvaluationPeriod.containing(Date(), kind: .month).previous
        let district = platform.context.map.areas.values.filter { $0.level == .district }.map(\.code).min() ?? "410102"
        let major = "06"
        let reports = try await EvaluationService(platform: platform).reports(period: month)
        let subjects = reports.reduce(0) { $0 + $1.rows.count }

        var columns = [try await analyticsTimings(platform, month: month, district: district, major: major)]
        if kinds.contains(.postgres) {
            let pg = try await demoCity(.postgres)
            do {
                columns.append(try await analyticsTimings(pg.platform, month: month, district: district, major: major))
            } catch {
                await pg.dispose()
                throw error
            }
            await pg.dispose()
        }
        print("== evaluation and analytics: \(cases) cases, month \(month.name) (\(subjects) subjects, 8 rankings), district \(district), class \(major) ==")
        compare("", kinds.map(\.rawValue) + ["target"])
        var ours: [String: Double] = [:]
        for (i, t) in columns[0].enumerated() {
            ours[t.key] = t.median
            if i == 0 {
                compare(t.name + ", cold", columns.map { String(format: "%.0f ms (%.2fx)", $0[i].cold, $0[i].cold / t.target) } + [String(format: "%.0f ms", t.target)])
            }
            compare(t.name + (i == 0 ? ", median" : ""), columns.map { String(format: "%.1f ms (%.2fx)", $0[i].median, $0[i].median / t.target) }
                + [String(format: "%.0f ms", t.target)])
        }
        let queries = columns[0].dropFirst().map { ($0.key, $0.name) }

        // Incremental: one more case closed changes a handful of rows; deriving every case's facts is what a
        // recomputation of the year would cost at the least.
        let derive = try await time(1) {
            try await store.forEachCase(batchSize: 5000) { batch in for (c, e) in batch { _ = EvaluationFacts.derive(c, events: e) } }
        }
        let caseService = CaseService(platform: platform)
        var q = CaseQuery()
        q.states = [.pendingClose]
        q.limit = 20
        if let c = try await platform.store.cases(q).items.first {
            let lead = Actor(userID: "bench-shiftlead", name: "bench", role: .shiftLead)
            let close = try await time(1) { _ = try await caseService.act(.close, caseID: c.id, input: ActionInput(), actor: lead) }
            row("closing one more case (commit)", String(format: "%.1f ms", close.cold), String(format: "recompute: %.0f ms", derive.cold),
                String(format: "%.0fx less", derive.cold / max(close.cold, 0.001)))
        }

        // Forecast: the seasonal model against "same as last week" on the last 8 held-out weeks of every watched
        // series (the city and each district, by major class), pooled.
        let forecasts = ForecastService(platform: platform)
        var series: [DailySeries] = []
        for w in forecasts.watchedSeries() {
            series.append(try await forecasts.series(area: w.area.isEmpty ? nil : w.area, matter: w.matter, lastDay: today - 1))
        }
        let backtestStart = DispatchTime.now().uptimeNanoseconds
        let backtest = ForecastBacktest(weeks: 8).evaluate(series)
        let backtestSeconds = Double(DispatchTime.now().uptimeNanoseconds - backtestStart) / 1e9
        row("forecast MAE, 8 held-out weeks", String(format: "%.2f cases/day", backtest.model.mae), String(format: "naive %.2f", backtest.naive.mae),
            backtest.relativeMAE.map { String(format: "%.3fx of naive", $0) } ?? "")
        row("forecast RMSE", String(format: "%.2f", backtest.model.rmse), String(format: "naive %.2f", backtest.naive.rmse),
            backtest.relativeRMSE.map { String(format: "%.3fx of naive", $0) } ?? "")
        print(String(format: "(%d series × %d folds backtested in %.1f s)", backtest.series, backtest.folds, backtestSeconds))

        // DuckDB over the same data.
        let export = folder.appendingPathComponent("duckdb")
        let exportTime = try await time(1) { _ = try await store.exportForAnalysis(to: export) }
        let rows = try await store.exportForAnalysis(to: export)
        print(String(format: "(exported %d cases and %d facts to CSV in %.1f s)", rows.cases, rows.facts, exportTime.cold / 1000))
        let script = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [URL(fileURLWithPath: "scripts/bench-duckdb.py"), script.appendingPathComponent("../../scripts/bench-duckdb.py")]
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            print("(scripts/bench-duckdb.py not found: run from the project folder)")
            return
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", path.path, export.path, String(month.firstDay), String(month.lastDay), String(today), district, major, "5"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0, let duck = try JSONSerialization.jsonObject(with: data) as? [String: Double] else {
            print("(DuckDB did not run: scripts/bootstrap --bench installs it)")
            return
        }
        print(String(format: "== the same aggregations in DuckDB over Parquet (converted from CSV in %.1f s) ==", (duck["convert_ms"] ?? 0) / 1000))
        row("", "CityLoop", "DuckDB", "CityLoop / DuckDB")
        for key in ["evaluation_month"] + queries.map(\.0) {
            guard let a = ours[key], let b = duck[key] else { continue }
            row(key, String(format: "%.1f ms", a), String(format: "%.1f ms", b), String(format: "%.2fx", a / b))
        }
        try? FileManager.default.removeItem(at: export)
    }
}
