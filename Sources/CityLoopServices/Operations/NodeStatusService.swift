import CityLoopDomain
import Foundation

/// What a node tells its operators about the database behind it: whether it answers and its migrations are
/// current (readiness), and the notice outbox's backlog (metrics).
public struct NodeStatusService: Sendable {
    let platform: Platform

    /// Creates the service.
    public init(platform: Platform) { self.platform = platform }

    /// The database's migration status (nil for a store without migrations); throws when the database does not answer.
    public func migrationStatus() async throws -> MigrationStatus? {
        guard let store = platform.store as? any SchemaMigrations else {
            _ = try await platform.store.caseCount()
            return nil
        }
        return try await store.migrationStatus()
    }

    /// Notices waiting for delivery, and how long the longest-waiting one has been due (0 when none).
    public func outboxBacklog() async throws -> (waiting: Int, oldestDueSeconds: Double) {
        let b = try await platform.store.noticeBacklog()
        return (b.waiting, b.oldestDue.map { max(0, platform.clock.now().timeIntervalSince($0)) } ?? 0)
    }
}
