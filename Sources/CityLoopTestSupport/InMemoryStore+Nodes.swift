import CityLoopDomain
import Foundation

extension InMemoryStore {
    /// One process owns the store: it always leads.
    public func tryLead(_ task: String) async throws -> Bool { true }

    /// Nothing to give up.
    public func resign(_ task: String) async throws {}

    /// Takes one request from the key's token bucket.
    public func takeRequest(_ key: String, perMinute: Int, at now: Date) async throws -> Int? {
        let capacity = Double(max(perMinute, 1))
        var b = rateBudgets[key] ?? (capacity, now)
        b.tokens = min(capacity, b.tokens + max(0, now.timeIntervalSince(b.at)) * capacity / 60)
        b.at = max(b.at, now)
        defer { rateBudgets[key] = b }
        guard b.tokens >= 1 else { return RateBudget.retryAfter(tokens: b.tokens, perMinute: perMinute) }
        b.tokens -= 1
        return nil
    }

    /// Forgets budgets untouched since `date`.
    public func pruneRateBudgets(before date: Date) async throws { rateBudgets = rateBudgets.filter { $0.value.at >= date } }

    /// Saves the alerts not stored yet, in front.
    public func saveNewAlerts(_ alerts: [WarningRecord], keeping: Int) async throws -> [WarningRecord] {
        var known = Set(warningList.map(\.id))
        let new = alerts.filter { known.insert($0.id).inserted }
        warningList = Array((new + warningList).prefix(max(0, keeping)))
        return new
    }

    /// The alerts, newest first.
    public func alerts(limit: Int) async throws -> [WarningRecord] { Array(warningList.prefix(max(0, limit))) }

    /// One alert.
    public func alert(id: String) async throws -> WarningRecord? { warningList.first { $0.id == id } }

    /// Records the alert's task unless it has one.
    public func assignAlertTask(id: String, caseID: CaseID, caseNumber: String) async throws -> Bool {
        guard let i = warningList.firstIndex(where: { $0.id == id }), warningList[i].taskCaseID == nil else { return false }
        warningList[i].taskCaseID = caseID
        warningList[i].taskCaseNumber = caseNumber
        return true
    }
}
