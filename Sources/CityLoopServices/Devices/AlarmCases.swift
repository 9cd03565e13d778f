import CityLoopDomain
import Foundation

/// Alarms into the case workflow (告警转案件): a raised alarm whose policy wants a case gets one — filed at once, or
/// waiting for the grid's inspector to verify — carrying the alarm (its ID, the device, the readings) and the
/// device's component and grid; an alarm of a device and type whose case is still open is linked to that case; an
/// alarm that clears by its readings adds a "device recovered" event to its case. Idempotent: the case's request ID
/// is the alarm's, so a second pass (a sweep after a crash, another node) finds the same case.
public struct AlarmCases: Sendable {
    let platform: Platform
    /// The policies by alarm type (the city's, in its reference context).
    public let policies: [AlarmCasePolicy]

    /// Creates the service of `platform`, with the city's policies.
    public init(platform: Platform) {
        self.platform = platform
        policies = platform.context.alarmPolicies
    }

    /// Handles alarms as ingest changed them: new ones up get their case, cleared ones with a case tell it, and
    /// rising water in several places of a district raises the district's flood warning.
    public func handle(_ alarms: [Alarm], raised: Set<String>) async throws {
        // Operators' consoles hear of every alarm raised or cleared (toasts).
        for alarm in alarms where raised.contains(alarm.id) || !alarm.active {
            platform.live.publish(LiveItem(event: LiveEvent(alarm: alarm, device: try await platform.store.device(id: alarm.deviceID), at: platform.clock.now()), record: nil))
        }
        let rising = alarms.filter { raised.contains($0.id) && $0.active && FloodWatch().alarmTypes.contains($0.type) }
        if !rising.isEmpty { try await watchFloods(rising) }
        for alarm in alarms {
            if alarm.active, alarm.caseID == nil {
                try await openCase(for: alarm)
            } else if !alarm.active, alarm.clearedBy == nil {
                try await recovered(alarm)
            }
        }
    }

    /// Alarms up with no case whose policy wants one (their ingest stopped before the case was made): handled now.
    /// Returns the alarms whose case could not be made, with why.
    @discardableResult
    public func sweep() async throws -> [(alarm: String, error: any Error)] {
        var failed: [(String, any Error)] = []
        for alarm in try await platform.store.alarms(deviceID: nil, activeOnly: true, limit: 5000) where alarm.caseID == nil {
            do { try await openCase(for: alarm) } catch { failed.append((alarm.id, error)) }
        }
        _ = try await checkByDevices()
        return failed
    }

    /// Passes the check (核查) of the device cases waiting for it whose devices read normal again, where their
    /// alarm type's policy lets the device check (`checkByDevice`); returns the cases checked. An alarm cleared by
    /// hand proves nothing: such a case waits for its inspector.
    public func checkByDevices() async throws -> [CaseID] {
        var q = CaseQuery()
        q.states = [.pendingCheck]
        q.source = .sensor
        q.limit = 200
        var checked: [CaseID] = []
        for c in try await platform.store.cases(q).items {
            guard let request = c.clientRequestID, request.hasPrefix("alarm-"), let first = try await platform.store.alarm(id: String(request.dropFirst(6))),
                AlarmCasePolicy.policy(for: first.type, in: policies).checkByDevice
            else { continue }
            let linked = try await platform.store.alarms(deviceID: first.deviceID, activeOnly: false, limit: 50).filter { $0.caseID == c.id }
            guard let last = linked.max(by: { $0.raisedAt < $1.raisedAt }), linked.allSatisfy({ !$0.active && $0.clearedBy == nil }) else { continue }
            var text = "设备核查通过：设备 \(first.deviceID) 读数已恢复正常 (checked by the device: it reads normal again)"
            if let at = last.clearedAt { text += "，\(ISO8601DateFormatter().string(from: at))" }
            if let v = last.lastValue { text += "，读数 \(v)" }
            _ = try await CaseService(platform: platform).act(.checkPass, caseID: c.id, input: ActionInput(comment: text), actor: .system)
            checked.append(c.id)
        }
        return checked
    }

    private func openCase(for alarm: Alarm) async throws {
        let policy = AlarmCasePolicy.policy(for: alarm.type, in: policies)
        guard policy.action != .showOnly, let device = try await platform.store.device(id: alarm.deviceID) else { return }
        let cases = CaseService(platform: platform)
        // The device's earlier alarm of this type with a case still open: the same problem, the same case.
        for earlier in try await platform.store.alarms(deviceID: device.id, activeOnly: false, limit: 50)
        where earlier.type == alarm.type && earlier.id != alarm.id {
            guard let id = earlier.caseID, let open = try await platform.store.caseRecord(id: id), !open.state.isTerminal else { continue }
            _ = try await platform.store.markAlarm(id: alarm.id, .linkCase(open.id))
            return
        }
        let rule = platform.deviceIngest.profiles[device.profileID].map { device.rules(with: $0) }?.first { $0.type == alarm.type }
        var input = ReportInput(
            matterCode: policy.matter(for: device), description: AlarmCasePolicy.description(of: alarm, rule: rule, device: device),
            lat: device.point.lat, lon: device.point.lon, urgency: policy.urgency, componentID: device.componentID, source: .sensor)
        input.clientRequestID = "alarm-\(alarm.id)"
        let created = try await cases.report(input, actor: .system, verifyFirst: policy.action == .verifyFirst)
        // Filed unless it already was (a sweep after a crash between the report and the filing files it now).
        if policy.action == .fileCase, created.case.state == .pendingFiling {
            _ = try await cases.act(.file, caseID: created.case.id, input: ActionInput(comment: "设备告警自动立案 (filed on the device's alarm)"), actor: .system)
        }
        _ = try await platform.store.markAlarm(id: alarm.id, .linkCase(created.case.id))
    }

    /// Raises the flood warning (内涝预警) of the districts of `rising` when enough of their gauges are up: once a
    /// day per district, in the early-warning list and on the live feed (the leader's screen).
    private func watchFloods(_ rising: [Alarm]) async throws {
        let watch = FloodWatch()
        let ctx = platform.context
        let up = try await platform.store.alarms(deviceID: nil, activeOnly: true, limit: 5000).filter { watch.alarmTypes.contains($0.type) }
        var grids: [String: String] = [:]
        for id in Set(up.map(\.deviceID)) { grids[id] = try await platform.store.device(id: id)?.gridCode }
        let now = platform.clock.now()
        var found: [WarningRecord] = []
        for district in Set(rising.compactMap { grids[$0.deviceID].map { String($0.prefix(6)) } }) {
            guard let alert = watch.check(district: district, alarms: up, gridOf: { grids[$0] }, now: now) else { continue }
            let name = ctx.map.areas[district]?.name ?? district
            found.append(WarningRecord(
                areaCode: district, areaName: name, matterCode: watch.matterCode, matterName: "内涝 (flooding)", alert: alert, raisedAt: now,
                firstDay: EvaluationFacts.day(of: now, utcOffsetSeconds: EvaluationFacts.utcOffsetSeconds)))
        }
        guard !found.isEmpty else { return }
        for r in try await platform.store.saveNewAlerts(found, keeping: ForecastService.keptAlerts) {
            platform.live.publish(LiveItem(
                event: LiveEvent(alert: r.id, severity: r.alert.severity.rawValue, matterCode: r.matterCode, areaCode: r.areaCode, at: r.raisedAt),
                record: nil))
        }
    }

    private func recovered(_ alarm: Alarm) async throws {
        guard let stored = try await platform.store.alarm(id: alarm.id), let id = stored.caseID,
            let c = try await platform.store.caseRecord(id: id), !c.state.isTerminal
        else { return }
        var text = "设备 \(alarm.deviceID) 读数恢复正常 (the device reads normal again)"
        if let v = alarm.lastValue { text += "：\(v)" }
        if let at = alarm.clearedAt { text += "，\(ISO8601DateFormatter().string(from: at))" }
        _ = try await CaseService(platform: platform).act(.deviceRecovered, caseID: id, input: ActionInput(comment: text), actor: .system)
    }
}
