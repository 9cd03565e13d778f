import CityLoopDomain
import Foundation
import Testing

/// Leadership, API keys' request budgets and early-warning alerts as rows: every test runs against every store.
@Suite("Node store conformance")
struct NodeStoreConformanceTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// An alert of `area` raised at `t0 + offset` seconds.
    static func alert(_ area: String, raisedAfter offset: TimeInterval = 0, p: Double = 0.001) -> WarningRecord {
        let window = DateInterval(start: t0 - 86_400, duration: 86_400)
        return WarningRecord(
            areaCode: area, areaName: "区 \(area)", matterCode: "06", matterName: "环境卫生",
            alert: EarlyWarningAlert(window: window, observed: 12, expected: 3.5, ratio: 3.4, pValue: p, severity: .warning),
            raisedAt: t0 + offset, firstDay: 20_000)
    }

    @Test("a store one process owns always leads, also after resigning", arguments: StoreKind.allCases.filter { $0 != .postgres })
    func soleNodeLeads(kind: StoreKind) async throws {
        try await withStore(kind) { (store: any CityStore) async throws in
            #expect(try await store.tryLead("early-warning scan"))
            #expect(try await store.tryLead("early-warning scan"))
            try await store.resign("early-warning scan")
            #expect(try await store.tryLead("early-warning scan"))
        }
    }

    @Test("a node keeps leading a task it leads, and leads it again after resigning", arguments: StoreKind.allCases)
    func leadAgain(kind: StoreKind) async throws {
        try await withStore(kind) { (store: any CityStore) async throws in
            #expect(try await store.tryLead("ledger checkpoints"))
            #expect(try await store.tryLead("ledger checkpoints"))
            #expect(try await store.tryLead("early-warning scan"))
            try await store.resign("ledger checkpoints")
            #expect(try await store.tryLead("ledger checkpoints"))
        }
    }

    @Test("a budget gives its minute's worth at once, refills with time, and keys are apart", arguments: StoreKind.allCases)
    func budgets(kind: StoreKind) async throws {
        let t0 = Self.t0
        try await withStore(kind) { (store: any CityStore) async throws in
            for _ in 0..<3 { #expect(try await store.takeRequest("key-a", perMinute: 3, at: t0) == nil) }
            // empty: one request comes back every 20 s
            #expect(try await store.takeRequest("key-a", perMinute: 3, at: t0) == 20)
            #expect(try await store.takeRequest("key-a", perMinute: 3, at: t0 + 10) == 10)
            #expect(try await store.takeRequest("key-a", perMinute: 3, at: t0 + 20) == nil)
            #expect(try await store.takeRequest("key-a", perMinute: 3, at: t0 + 20) == 20)
            // another key has its own budget
            #expect(try await store.takeRequest("key-b", perMinute: 1, at: t0) == nil)
            #expect(try await store.takeRequest("key-b", perMinute: 1, at: t0 + 1) == 59)
        }
    }

    @Test("pruning forgets budgets untouched since a time, which are full again", arguments: StoreKind.allCases)
    func pruning(kind: StoreKind) async throws {
        let t0 = Self.t0
        try await withStore(kind) { (store: any CityStore) async throws in
            #expect(try await store.takeRequest("old", perMinute: 1, at: t0) == nil)
            #expect(try await store.takeRequest("new", perMinute: 1, at: t0 + 30) == nil)
            try await store.pruneRateBudgets(before: t0 + 10)
            // the pruned key starts full; the kept one is still empty
            #expect(try await store.takeRequest("old", perMinute: 1, at: t0 + 31) == nil)
            #expect(try await store.takeRequest("new", perMinute: 1, at: t0 + 31) == 59)
        }
    }

    @Test("new alerts go in front, known ones are skipped, only the newest are kept", arguments: StoreKind.allCases)
    func alerts(kind: StoreKind) async throws {
        try await withStore(kind) { (store: any CityStore) async throws in
            let (a1, a2, a3, a4) = (Self.alert("410102"), Self.alert("410103", p: 0.004), Self.alert("410104", raisedAfter: 3600), Self.alert("", raisedAfter: 7200))
            #expect(try await store.alerts(limit: 10).isEmpty)
            #expect(try await store.saveNewAlerts([a1, a2], keeping: 10) == [a1, a2])
            #expect(try await store.alerts(limit: 10) == [a1, a2])
            var again = a1
            again.raisedAt = a3.raisedAt
            #expect(try await store.saveNewAlerts([a3, again], keeping: 10) == [a3])
            #expect(try await store.alerts(limit: 10) == [a3, a1, a2])
            #expect(try await store.alerts(limit: 2) == [a3, a1])
            #expect(try await store.saveNewAlerts([a4], keeping: 2) == [a4])
            #expect(try await store.alerts(limit: 10) == [a4, a3])
            #expect(try await store.alert(id: a3.id) == a3)
            #expect(try await store.alert(id: a2.id) == nil)
        }
    }

    @Test("an alert records one supervision task: the second assignment is refused", arguments: StoreKind.allCases)
    func assignTask(kind: StoreKind) async throws {
        try await withStore(kind) { (store: any CityStore) async throws in
            let a = Self.alert("410102")
            _ = try await store.saveNewAlerts([a], keeping: 10)
            #expect(try await store.assignAlertTask(id: a.id, caseID: "c-1", caseNumber: "E0600120261124000001"))
            #expect(!(try await store.assignAlertTask(id: a.id, caseID: "c-2", caseNumber: "E0600120261124000002")))
            #expect(!(try await store.assignAlertTask(id: "nowhere", caseID: "c-3", caseNumber: "x")))
            let stored = try #require(try await store.alert(id: a.id))
            #expect(stored.taskCaseID == "c-1" && stored.taskCaseNumber == "E0600120261124000001")
            #expect(try await store.alerts(limit: 1).first?.taskCaseID == "c-1")
            // saving the same alert again leaves its task alone
            #expect(try await store.saveNewAlerts([a], keeping: 10).isEmpty)
            #expect(try await store.alert(id: a.id)?.taskCaseID == "c-1")
        }
    }
}
