import CityLoopDomain
import CityLoopSQLite
import Foundation
import Testing

/// What only a file-backed store promises: data survives closing and reopening, and the file stays consistent.
@Suite("SQLite store file")
struct SQLiteStoreFileTests {
    @Test("cases, events, numbering and reference data survive closing and reopening")
    func survivesReopen() async throws {
        let path = StoreFactory.temporaryDatabasePath()
        defer { StoreFactory.removeDatabase(at: path) }
        let histories = try CaseCorpus.generate(count: 25, seed: 5)
        let prefix = CaseRecord.numberPrefix(matterCode: "06001", date: Fixture.date)
        let user = User(id: "u1", username: "alice", displayName: "Alice", role: .operator)
        let token = AccessToken(hash: "h1", userID: "u1", label: "partner", isAPIToken: true, createdAt: Fixture.at(1), expiresAt: nil)
        let rule = ResponsibilityRule(id: "r1", matter: "06", areaCode: nil, departmentID: "roads", limits: [.normal: .hours(4)])
        let department = Department(id: "roads", name: "路政", nameEn: "Roads")
        let component = ReferenceStoreConformanceTests.components()[0]
        let (live, liveFirst) = Fixture.newCase(source: .sensor, clientRequestID: "req-1")
        var liveStored: CaseRecord
        do {
            let store = try SQLiteStore(path: path)
            try await store.bulkLoad(histories.map { ($0.record, $0.events) })
            liveStored = try await store.createCase(live, firstEvent: liveFirst, numberPrefix: prefix).record
            let filed = try Fixture.change(.file, on: liveStored, history: [liveFirst], actor: Fixture.operatorActor, at: Fixture.at(90))
            try await store.commit([filed])
            liveStored = filed.record
            try await store.saveUser(user, passwordHash: "secret-hash")
            try await store.saveToken(token)
            try await store.replaceRules([rule])
            try await store.saveDepartments([department])
            try await store.saveComponents([component])
            try await store.saveSetting("calendar", "{}")
            try store.close()
        }
        let reopened = try SQLiteStore(path: path)
        defer { try? reopened.close() }
        #expect(try await reopened.integrityCheck() == "ok")
        #expect(try await reopened.caseCount() == 26)
        for h in histories {
            #expect(try await reopened.caseRecord(id: h.record.id) == h.record)
            #expect(try await reopened.events(caseID: h.record.id) == h.events)
        }
        #expect(try await reopened.caseRecord(id: live.id) == liveStored)
        let liveEvents = try await reopened.events(caseID: live.id)
        #expect(liveEvents.count == 2)
        #expect(ChainVerifier.problems(case: liveStored, events: liveEvents, hasher: Fixture.hasher).isEmpty)
        // Idempotency and numbering persist.
        let again = try await reopened.createCase(live, firstEvent: liveFirst, numberPrefix: prefix)
        #expect(!again.created)
        #expect(again.record == liveStored)
        let existing = histories.filter { $0.number.hasPrefix(prefix) }.count
        let (next, nextFirst) = Fixture.newCase()
        let nextNumber = try await reopened.createCase(next, firstEvent: nextFirst, numberPrefix: prefix).record.number
        #expect(nextNumber == prefix + String(format: "%05d", existing + 2))
        let found = try #require(try await reopened.user(username: "alice"))
        #expect(found.0 == user)
        #expect(found.1 == "secret-hash")
        #expect(try await reopened.apiTokens() == [token])
        #expect(try await reopened.rules() == [rule])
        #expect(try await reopened.departments() == [department])
        #expect(try await reopened.component(id: component.id) == component)
        #expect(try await reopened.setting("calendar") == "{}")
        #expect(try await reopened.integrityCheck() == "ok")
    }

    @Test("integrityCheck is ok on a fresh file and after a failed atomic commit")
    func integrity() async throws {
        try await withStore(.sqlite) { any in
            let store = try #require(any as? SQLiteStore)
            #expect(try await store.integrityCheck() == "ok")
            let (record, first) = Fixture.newCase(source: .sensor)
            let created = try await store.createCase(record, firstEvent: first, numberPrefix: "E0600120260302").record
            var stale = try Fixture.change(.file, on: created, history: [first], actor: Fixture.operatorActor, at: Fixture.at(60))
            stale.expectedVersion = 7
            await expectDomainError(code: "case.changed") { try await store.commit([stale]) }
            #expect(try await store.integrityCheck() == "ok")
            #expect(FileManager.default.fileExists(atPath: store.path))
        }
    }

    static let deferred: Set<String> = ["cases_state", "cases_department", "cases_grid", "cases_created", "cases_due", "cases_duplicate_cells"]

    @Test("a bulk load into an empty file builds the secondary indexes at the end, also when it fails; opening restores lost ones")
    func bulkLoadIndexes() async throws {
        let path = StoreFactory.temporaryDatabasePath()
        defer { StoreFactory.removeDatabase(at: path) }
        let histories = try CaseCorpus.generate(count: 40, seed: 9)
        let store = try SQLiteStore(path: path)
        #expect(try await store.indexNames(table: "cases").isSuperset(of: Self.deferred))
        try await store.withBulkLoad {
            #expect(try await store.indexNames(table: "cases").isDisjoint(with: Self.deferred))
            try await store.load(store.prepare(histories.prefix(20).map { ($0.record, $0.events) }))
            try await store.load(store.prepare(histories.dropFirst(20).map { ($0.record, $0.events) }))
        }
        #expect(try await store.indexNames(table: "cases").isSuperset(of: Self.deferred))
        #expect(try await store.caseCount() == 40)
        var query = CaseQuery()
        query.states = [histories[3].record.state]
        let expected = histories.map(\.record).filter { query.matches($0) }.count
        #expect(try await store.cases(query).total == expected)
        #expect(try await store.integrityCheck() == "ok")
        // Into a table that has cases, nothing is dropped.
        try await store.withBulkLoad {
            let names = try await store.indexNames(table: "cases")
            #expect(names.isSuperset(of: Self.deferred))
        }
        try store.close()

        // A load that fails into an empty file still leaves every index.
        let other = StoreFactory.temporaryDatabasePath()
        defer { StoreFactory.removeDatabase(at: other) }
        let empty = try SQLiteStore(path: other)
        struct Stop: Error {}
        await #expect(throws: Stop.self) { try await empty.withBulkLoad { throw Stop() } }
        #expect(try await empty.indexNames(table: "cases").isSuperset(of: Self.deferred))
        // An index lost (a load cut short by a crash) is back after opening again.
        try await empty.executeForTesting("DROP INDEX cases_grid")
        try empty.close()
        let reopened = try SQLiteStore(path: other)
        #expect(try await reopened.indexNames(table: "cases").isSuperset(of: Self.deferred))
    }
}
