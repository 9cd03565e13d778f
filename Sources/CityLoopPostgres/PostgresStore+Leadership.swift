import CityLoopDomain
import Foundation

/// Leadership of once-per-city work through advisory locks on the node's leadership session.
extension PostgresStore {
    /// Leads `task` unless another node does; see `PostgresLeaderSession`.
    public func tryLead(_ task: String) async throws -> Bool { try await leaderSession.tryLead(task) }

    /// Lets another node take `task` at its next attempt.
    public func resign(_ task: String) async throws { try await leaderSession.resign(task) }

    /// The first part of a task's advisory lock key (as `pg_locks.classid` shows it).
    public static var leadershipLockClass: Int32 { PostgresLeaderSession.lockClass }

    /// The second part of a task's advisory lock key (`pg_locks.objid` shows it unsigned), for operators asking
    /// the server which session leads a task.
    public static func leadershipLockKey(_ task: String) -> Int32 { PostgresLeaderSession.key(task) }
}
