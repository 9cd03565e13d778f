import Foundation

/// The early-warning alerts (预警) a scan raised, one row each, so that the scan on one node and a supervision task
/// made on another never lose each other's writes.
public protocol AlertStore: Sendable {
    /// Saves the alerts whose IDs are not stored yet, listed before every stored one in the given order, and keeps
    /// only the newest `keeping`; returns the ones saved (an alert another node saved first is left out).
    func saveNewAlerts(_ alerts: [WarningRecord], keeping: Int) async throws -> [WarningRecord]
    /// The alerts, newest first, at most `limit`.
    func alerts(limit: Int) async throws -> [WarningRecord]
    /// One alert by ID.
    func alert(id: String) async throws -> WarningRecord?
    /// Records the supervision task (督查任务) made from an alert unless it has one already, atomically: true when
    /// recorded now, false when the alert already had a task or is not stored.
    func assignAlertTask(id: String, caseID: CaseID, caseNumber: String) async throws -> Bool
}
