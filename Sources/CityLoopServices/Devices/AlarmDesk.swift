import CityLoopDomain
import Foundation

/// The alarm list (告警台): staff see alarms, acknowledge them and clear them by hand.
public struct AlarmDesk: Sendable {
    let platform: Platform

    /// Creates the desk of `platform`.
    public init(platform: Platform) { self.platform = platform }

    /// Roles that see alarms.
    static let readers: Set<Role> = [.operator, .shiftLead, .dispatcher, .leader, .admin, .inspector, .handler]
    /// Roles that acknowledge and clear them.
    static let handlers: Set<Role> = [.operator, .shiftLead, .dispatcher, .admin]

    /// Alarms newest raised first (of one device; only those up when `activeOnly`).
    public func alarms(deviceID: String?, activeOnly: Bool, limit: Int, actor: Actor) async throws -> [Alarm] {
        try require(actor, Self.readers, "see alarms")
        guard (1...1000).contains(limit) else { throw DomainError.invalid("limit", "limit must be between 1 and 1000") }
        return try await platform.store.alarms(deviceID: deviceID, activeOnly: activeOnly, limit: limit)
    }

    /// The alarms up, counted by type with their labels and worst severity, and the districts flooding now (the
    /// leader's screen: 告警统计).
    public func summary(actor: Actor) async throws -> AlarmSummary {
        try require(actor, Self.readers, "see alarms")
        let up = try await platform.store.alarms(deviceID: nil, activeOnly: true, limit: 100_000)
        let rules = Dictionary(platform.deviceIngest.profiles.values.flatMap(\.rules).map { ($0.type, $0) }) { a, _ in a }
        let types = Dictionary(grouping: up, by: \.type).map { type, alarms in
            AlarmCount(
                type: type, labelZh: type == Alarm.offlineType ? "设备离线" : rules[type]?.labelZh ?? type,
                labelEn: type == Alarm.offlineType ? "Device offline" : rules[type]?.labelEn ?? type, count: alarms.count,
                unacknowledged: alarms.filter { $0.acknowledgedAt == nil }.count, severity: alarms.map(\.severity).max() ?? .warning)
        }.sorted { ($0.severity, $0.count) > ($1.severity, $1.count) }
        let watch = FloodWatch()
        var grids: [String: String] = [:]
        for id in Set(up.filter { watch.alarmTypes.contains($0.type) }.map(\.deviceID)) {
            grids[id] = try await platform.store.device(id: id)?.gridCode
        }
        let areas = platform.context.map.areas
        let flooding = watch.flooding(alarms: up, gridOf: { grids[$0] }).map {
            FloodingArea(areaCode: $0.district, areaName: areas[$0.district]?.name ?? $0.district, gauges: $0.gauges, severe: $0.severe)
        }
        return AlarmSummary(types: types, flooding: flooding)
    }

    /// Acknowledges an alarm (it stays up until its readings recover or someone clears it).
    public func acknowledge(_ id: String, actor: Actor) async throws -> Alarm {
        try require(actor, Self.handlers, "acknowledge alarms")
        guard let a = try await platform.store.markAlarm(id: id, .acknowledge(by: actor.userID, at: platform.clock.now())) else {
            throw DomainError.notFound("alarm", id)
        }
        try await announce(a, "acknowledged")
        return a
    }

    /// Clears an alarm by hand; 409 when it is no longer up.
    public func clear(_ id: String, actor: Actor) async throws -> Alarm {
        try require(actor, Self.handlers, "clear alarms")
        guard let a = try await platform.store.markAlarm(id: id, .clear(by: actor.userID, at: platform.clock.now())) else {
            guard try await platform.store.alarm(id: id) != nil else { throw DomainError.notFound("alarm", id) }
            throw DomainError(.conflict, code: "alarm.not_active", "alarm \(id) is already cleared")
        }
        try await announce(a, "cleared")
        return a
    }

    // Every console showing the alarm hears of the hand on it, on every node.
    private func announce(_ alarm: Alarm, _ action: String) async throws {
        let device = try await platform.store.device(id: alarm.deviceID)
        platform.live.publish(LiveItem(event: LiveEvent(alarm: alarm, device: device, action: action, at: platform.clock.now()), record: nil))
    }

    private func require(_ actor: Actor, _ roles: Set<Role>, _ what: String) throws {
        guard roles.contains(actor.role) else {
            throw DomainError.forbidden("role \(actor.role.rawValue) may not \(what); allowed: \(roles.map(\.rawValue).sorted().joined(separator: ", "))")
        }
    }
}

/// The leader's view of the alarms up.
public struct AlarmSummary: Codable, Sendable, Hashable {
    /// Counts by type, worst first.
    public var types: [AlarmCount]
    /// The districts flooding now (内涝), most gauges first.
    public var flooding: [FloodingArea]
}

/// A district flooding now, named.
public struct FloodingArea: Codable, Sendable, Hashable {
    public var areaCode: String
    public var areaName: String
    /// Its gauges above their alert level.
    public var gauges: Int
    /// One of them above its danger level.
    public var severe: Bool
}

/// Alarms up of one type.
public struct AlarmCount: Codable, Sendable, Hashable {
    public var type: String
    public var labelZh: String
    public var labelEn: String
    public var count: Int
    /// Of them, not yet acknowledged.
    public var unacknowledged: Int
    /// The worst among them.
    public var severity: AlarmSeverity
}
