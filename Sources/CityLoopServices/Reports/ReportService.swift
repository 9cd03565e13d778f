import CityLoopDomain
import Foundation

/// The regular reports (定期通报): the monthly report of the city or a district, gathered from the evaluation,
/// the analytics counts and the open cases.
public struct ReportService: Sendable {
    let platform: Platform

    /// Creates the service.
    public init(platform: Platform) { self.platform = platform }

    /// The month named by `text` (`2026-11`), or the previous full month; 422 naming `period` otherwise.
    public func month(_ text: String?) throws -> EvaluationPeriod {
        let offset = EvaluationFacts.utcOffsetSeconds
        guard let text else { return EvaluationPeriod.containing(platform.clock.now(), kind: .month, utcOffsetSeconds: offset).previous }
        guard let p = EvaluationPeriod.parse(text, utcOffsetSeconds: offset), p.kind == .month else {
            throw DomainError.invalid("period", "period must be a month such as 2026-11")
        }
        return p
    }

    /// The city (nil or empty) or the district with code `code`; 422 naming `area` for anything else.
    public func area(_ code: String?) throws -> ReportArea {
        let areas = platform.context.map.areas
        guard let code, !code.isEmpty else {
            let name = areas.values.first { $0.level == .city }?.name ?? "全市"
            return ReportArea(code: nil, name: name, nameEn: "The city")
        }
        guard let district = areas[code], district.level == .district else {
            throw DomainError.invalid("area", "area must be empty (the city) or the code of a district of the city, not '\(code)'")
        }
        return ReportArea(code: code, name: district.name, nameEn: "\(district.name) (\(code))")
    }

    /// The same month a year before.
    static func yearBefore(_ p: EvaluationPeriod) -> EvaluationPeriod {
        let parts = p.name.split(separator: "-")
        guard parts.count == 2, let y = Int(parts[0]),
            let before = EvaluationPeriod.parse("\(y - 1)-\(parts[1])", utcOffsetSeconds: p.utcOffsetSeconds)
        else { return p.previous }
        return before
    }

    /// Gathers the monthly report of `area` for `period`.
    public func monthly(period: EvaluationPeriod, area: ReportArea) async throws -> MonthlyReport {
        let evaluation = EvaluationService(platform: platform)
        let analytics = AnalyticsService(platform: platform)
        let now = platform.clock.now()
        let previous = period.previous
        let yearBefore = Self.yearBefore(period)

        let reports = try await evaluation.reports(period: period)
        func ranking(_ kind: EvaluationSubject.Kind, _ role: Role? = nil) -> EvaluationReport {
            reports.first { $0.kind == kind && $0.role == role }
                ?? EvaluationReport.compute(
                    period: period, kind: kind, role: role, subjects: [], counts: EvaluationCounts(), previous: EvaluationCounts(), scheme: EvaluationScheme())
        }
        let areaRow = ranking(area.code == nil ? .city : .district).rows.first { $0.info.subject == area.subject }
        let yearBeforeCounts = try await platform.reads.store().evaluationCounts(days: yearBefore.days, kinds: [area.subject.kind])
        let keyFigures = MonthlyReport.keyIndicatorIDs.compactMap(Indicator.named).map { ind in
            KeyFigure(
                indicator: ind, now: areaRow?.indicators[ind.id] ?? ind.value(for: area.subject, in: EvaluationCounts()),
                previous: areaRow?.previousIndicators[ind.id] ?? ind.value(for: area.subject, in: EvaluationCounts()),
                yearBefore: ind.value(for: area.subject, in: yearBeforeCounts))
        }

        let streets = ranking(.street).keeping { row in area.code.map { row.info.subject.id.hasPrefix($0) } ?? true }
        let roles = MonthlyReport.rankedRoles.map { role in
            let r = ranking(.user, role)
            guard role == .inspector, let code = area.code else { return r }
            return r.keeping { row in row.info.scopes.contains { $0.hasPrefix(code) || code.hasPrefix($0) } }
        }

        let daily = try await platform.reads.store().dailyCounts(CaseCountFilter(area: area.code, days: yearBefore.firstDay...period.lastDay))
        func sum(_ p: EvaluationPeriod) -> Int { p.days.reduce(0) { $0 + (daily[$1] ?? 0) } }
        let trend = ReportTrend(reported: sum(period), previous: sum(previous), yearBefore: sum(yearBefore), daily: period.days.map { daily[$0] ?? 0 })

        let depth = MonthlyReport.recurrenceDepth
        let (pairs, _, total) = try await analytics.hotspots(CaseCountFilter(area: area.code, days: period.days), limit: depth)
        let (before, _, _) = try await analytics.hotspots(CaseCountFilter(area: area.code, days: previous.days), limit: depth)
        let entries = hotspotEntries(pairs, previous: before, total: total)

        let figures = try await platform.reads.store().dashboard(
            DashboardQuery(areaCode: area.code, now: now, utcOffsetSeconds: period.utcOffsetSeconds, trendDays: 1, overdueLimit: MonthlyReport.overdueLimit))

        return MonthlyReport(
            period: period, previousPeriod: previous, yearBeforePeriod: yearBefore, area: area, generatedAt: now, keyFigures: keyFigures,
            trend: trend, departments: ranking(.department), streets: streets, roles: roles, openOverdue: figures.overdue,
            overdue: figures.mostOverdue.map { overdueEntry($0, now: now) }, hotspotTotal: total,
            hotspots: Array(entries.prefix(MonthlyReport.hotspotLimit)), recurring: entries.filter { $0.previousRank != nil })
    }

    func hotspotEntries(_ pairs: [AnalyticsService.Hotspot], previous: [AnalyticsService.Hotspot], total: Int) -> [HotspotEntry] {
        let catalog = platform.context.catalog
        var before: [String: (rank: Int, count: Int)] = [:]
        for (i, h) in previous.enumerated() { before[h.count.gridCode + "/" + h.count.matterCode] = (i + 1, h.count.count) }
        return pairs.enumerated().map { i, h in
            let c = h.count
            let matter = catalog.matter(c.matterCode)
            let old = before[c.gridCode + "/" + c.matterCode]
            return HotspotEntry(
                rank: i + 1, gridCode: c.gridCode, matterCode: c.matterCode, matterName: matter?.name ?? c.matterCode,
                matterNameEn: matter?.nameEn ?? matter?.name ?? c.matterCode, areaNames: h.areaNames, count: c.count,
                share: total == 0 ? 0 : Indicator.percent(c.count, total), previousCount: old?.count, previousRank: old?.rank)
        }
    }

    func overdueEntry(_ o: OverdueCase, now: Date) -> OverdueEntry {
        let ctx = platform.context
        let matter = ctx.catalog.matter(o.matterCode)
        let department = o.departmentID.flatMap { ctx.departments[$0] }
        return OverdueEntry(
            overdue: o, matterName: matter?.name ?? o.matterCode, matterNameEn: matter?.nameEn ?? matter?.name ?? o.matterCode,
            departmentName: department?.name ?? "", departmentNameEn: department?.nameEn ?? "",
            streetName: ctx.map.areas[String(o.gridCode.prefix(9))]?.name ?? "",
            daysOverdue: (now.timeIntervalSince(o.stepDueAt) / 864).rounded() / 100)
    }
}
