import Foundation

/// Leadership of work that must run on one node at a time (early-warning scans, ledger checkpoints): among the
/// nodes sharing a store, at most one leads a task. PostgreSQL holds a session-level advisory lock per task on one
/// dedicated connection, so a node that dies or loses that connection stops leading at once and another takes the
/// task at its next attempt. A store one process owns (SQLite, in memory) always leads.
public protocol LeadershipStore: Sendable {
    /// Tries to lead `task`, or checks that this node still leads it: true when it leads now. Called every few
    /// seconds by each node that runs background work; false (not an error) when another node leads.
    func tryLead(_ task: String) async throws -> Bool
    /// Stops leading `task`, so another node takes it at its next attempt (graceful shutdown).
    func resign(_ task: String) async throws
}
