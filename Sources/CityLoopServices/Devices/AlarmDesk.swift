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

    /// Acknowledges an alarm (it stays up until its readings recover or someone clears it).
    public func acknowledge(_ id: String, actor: Actor) async throws -> Alarm {
        try require(actor, Self.handlers, "acknowledge alarms")
        guard let a = try await platform.store.markAlarm(id: id, .acknowledge(by: actor.userID, at: platform.clock.now())) else {
            throw DomainError.notFound("alarm", id)
        }
        return a
    }

    /// Clears an alarm by hand; 409 when it is no longer up.
    public func clear(_ id: String, actor: Actor) async throws -> Alarm {
        try require(actor, Self.handlers, "clear alarms")
        guard let a = try await platform.store.markAlarm(id: id, .clear(by: actor.userID, at: platform.clock.now())) else {
            guard try await platform.store.alarm(id: id) != nil else { throw DomainError.notFound("alarm", id) }
            throw DomainError(.conflict, code: "alarm.not_active", "alarm \(id) is already cleared")
        }
        return a
    }

    private func require(_ actor: Actor, _ roles: Set<Role>, _ what: String) throws {
        guard roles.contains(actor.role) else {
            throw DomainError.forbidden("role \(actor.role.rawValue) may not \(what); allowed: \(roles.map(\.rawValue).sorted().joined(separator: ", "))")
        }
    }
}
