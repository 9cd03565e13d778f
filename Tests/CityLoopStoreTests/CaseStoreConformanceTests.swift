import CityLoopDomain
import Foundation
import Testing

/// Creating, changing and reading cases: every test runs against every store.
@Suite("Case store conformance")
struct CaseStoreConformanceTests {
    static let prefixE = CaseRecord.numberPrefix(matterCode: "06001", date: Fixture.date)
    static let prefixC = CaseRecord.numberPrefix(matterCode: "01001", date: Fixture.date)

    @Test("createCase numbers per prefix, sets chain head and event count", arguments: StoreKind.allCases)
    func createNumbersPerPrefix(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var numbers: [String] = []
            for (i, prefix) in [Self.prefixE, Self.prefixC, Self.prefixE, Self.prefixE, Self.prefixC].enumerated() {
                let (record, first) = Fixture.newCase(createdAt: Fixture.at(Double(i)))
                let (stored, created) = try await store.createCase(record, firstEvent: first, numberPrefix: prefix)
                #expect(created)
                #expect(stored == Fixture.stored(record, first, number: stored.number))
                #expect(stored.eventCount == 1)
                #expect(stored.lastEventHash == first.hash)
                #expect(try await store.caseRecord(id: record.id) == stored)
                #expect(try await store.events(caseID: record.id) == [first])
                numbers.append(stored.number)
            }
            #expect(numbers == [
                Self.prefixE + "00001", Self.prefixC + "00001", Self.prefixE + "00002", Self.prefixE + "00003",
                Self.prefixC + "00002",
            ])
            #expect(try await store.caseCount() == 5)
        }
    }

    @Test("createCase is idempotent on clientRequestID", arguments: StoreKind.allCases)
    func createIdempotent(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let (a, aEvent) = Fixture.newCase(clientRequestID: "req-1")
            let (b, bEvent) = Fixture.newCase(matter: "07001", createdAt: Fixture.at(5), clientRequestID: "req-1")
            let first = try await store.createCase(a, firstEvent: aEvent, numberPrefix: Self.prefixE)
            let second = try await store.createCase(b, firstEvent: bEvent, numberPrefix: Self.prefixE)
            #expect(first.created)
            #expect(!second.created)
            #expect(second.record == first.record)
            #expect(try await store.caseCount() == 1)
            #expect(try await store.caseRecord(id: b.id) == nil)
            #expect(try await store.events(caseID: b.id).isEmpty)
            #expect(try await store.events(caseID: a.id) == [aEvent])
            // The repeated request used no number: the next case continues the sequence.
            let (c, cEvent) = Fixture.newCase(clientRequestID: "req-2")
            let third = try await store.createCase(c, firstEvent: cEvent, numberPrefix: Self.prefixE)
            #expect(third.record.number == Self.prefixE + "00002")
        }
    }

    @Test("commit with the stored version appends events and replaces the record", arguments: StoreKind.allCases)
    func commitAppends(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let (record, first) = Fixture.newCase(source: .sensor)
            let created = try await store.createCase(record, firstEvent: first, numberPrefix: Self.prefixE).record
            let filed = try Fixture.change(.file, on: created, history: [first], actor: Fixture.operatorActor, at: Fixture.at(600))
            try await store.commit([filed])
            let input = ActionInput(departmentID: "water", assistingDepartmentIDs: ["roads"])
            let dispatched = try Fixture.change(.dispatch, on: filed.record, history: [first] + filed.events, input: input, actor: Fixture.dispatcher, at: Fixture.at(900))
            try await store.commit([dispatched])

            let stored = try #require(try await store.caseRecord(id: record.id))
            #expect(stored == dispatched.record)
            #expect(stored.state == .dispatched)
            #expect(stored.version == 3)
            let events = try await store.events(caseID: record.id)
            #expect(events == [first] + filed.events + dispatched.events)
            #expect(events.map(\.seq) == [1, 2, 3])
            #expect(ChainVerifier.problems(case: stored, events: events, hasher: Fixture.hasher).isEmpty)
            #expect(try await store.caseRecord(number: created.number) == stored)
        }
    }

    @Test("commit with a stale version throws case.changed and changes nothing", arguments: StoreKind.allCases)
    func commitStale(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let (record, first) = Fixture.newCase(source: .sensor)
            let created = try await store.createCase(record, firstEvent: first, numberPrefix: Self.prefixE).record
            let filed = try Fixture.change(.file, on: created, history: [first], actor: Fixture.operatorActor, at: Fixture.at(600))
            try await store.commit([filed])
            // A second writer computed its change from the version before `filed`.
            let late = try Fixture.change(.reject, on: created, history: [first], input: ActionInput(comment: "dup"), actor: Fixture.operatorActor, at: Fixture.at(700))
            await expectDomainError(code: "case.changed", kind: .conflict) { try await store.commit([late]) }
            #expect(try await store.caseRecord(id: record.id) == filed.record)
            #expect(try await store.events(caseID: record.id) == [first] + filed.events)
        }
    }

    @Test("a multi-case commit is atomic: one stale change, none applied", arguments: StoreKind.allCases, [false, true])
    func commitAtomic(kind: StoreKind, staleFirst: Bool) async throws {
        try await withStore(kind) { store in
            var stored: [CaseRecord] = []
            var firsts: [CaseEvent] = []
            for i in 0..<2 {
                let (record, first) = Fixture.newCase(source: .sensor, createdAt: Fixture.at(Double(i)))
                stored.append(try await store.createCase(record, firstEvent: first, numberPrefix: Self.prefixE).record)
                firsts.append(first)
            }
            let good = try Fixture.change(.file, on: stored[0], history: [firsts[0]], actor: Fixture.operatorActor, at: Fixture.at(60))
            var stale = try Fixture.change(.file, on: stored[1], history: [firsts[1]], actor: Fixture.operatorActor, at: Fixture.at(60))
            stale.expectedVersion = stored[1].version + 1
            await expectDomainError(code: "case.changed", kind: .conflict) {
                try await store.commit(staleFirst ? [stale, good] : [good, stale])
            }
            for (record, first) in zip(stored, firsts) {
                #expect(try await store.caseRecord(id: record.id) == record)
                #expect(try await store.events(caseID: record.id) == [first])
            }
            // Both fresh: both applied.
            var fresh = stale
            fresh.expectedVersion = stored[1].version
            try await store.commit([good, fresh])
            #expect(try await store.caseRecord(id: stored[0].id) == good.record)
            #expect(try await store.caseRecord(id: stored[1].id) == fresh.record)
        }
    }

    @Test("lookups by ID and number; unknown ones are nil", arguments: StoreKind.allCases)
    func lookups(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var created: [CaseRecord] = []
            for i in 0..<4 {
                let (record, first) = Fixture.newCase(createdAt: Fixture.at(Double(i)))
                created.append(try await store.createCase(record, firstEvent: first, numberPrefix: Self.prefixC).record)
            }
            for c in created {
                #expect(try await store.caseRecord(id: c.id) == c)
                #expect(try await store.caseRecord(number: c.number) == c)
            }
            #expect(try await store.caseRecord(id: "no-such-case") == nil)
            #expect(try await store.caseRecord(number: Self.prefixC + "00099") == nil)
            #expect(try await store.events(caseID: "no-such-case").isEmpty)
        }
    }

    @Test("bulkLoad keeps records and events; live numbering continues after the loaded sequence", arguments: StoreKind.allCases)
    func bulkLoadThenCreate(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let histories = try CaseCorpus.generate(count: 12, seed: 7).enumerated().map { i, h in
                var h = h
                // Numbers 00001…00007 under prefixE, the rest under prefixC, out of order.
                let n = i < 7 ? Self.prefixE + String(format: "%05d", 7 - i) : Self.prefixC + String(format: "%05d", i * 3)
                h.initial.number = n
                h.changes = h.changes.map { var ch = $0; ch.record.number = n; return ch }
                return h
            }
            try await store.bulkLoad(histories.map { ($0.record, $0.events) })
            #expect(try await store.caseCount() == 12)
            for h in histories {
                #expect(try await store.caseRecord(id: h.record.id) == h.record)
                #expect(try await store.caseRecord(number: h.record.number) == h.record)
                #expect(try await store.events(caseID: h.record.id) == h.events)
            }
            let (e, eFirst) = Fixture.newCase()
            #expect(try await store.createCase(e, firstEvent: eFirst, numberPrefix: Self.prefixE).record.number == Self.prefixE + "00008")
            let (c, cFirst) = Fixture.newCase()
            #expect(try await store.createCase(c, firstEvent: cFirst, numberPrefix: Self.prefixC).record.number == Self.prefixC + "00034")
            let other = CaseRecord.numberPrefix(matterCode: "13002", date: Fixture.date)
            let (o, oFirst) = Fixture.newCase(matter: "13002")
            #expect(try await store.createCase(o, firstEvent: oFirst, numberPrefix: other).record.number == other + "00001")
        }
    }

    @Test("forEachCase visits every case once with its events, in batches", arguments: StoreKind.allCases, [1, 7, 500])
    func forEachCase(kind: StoreKind, batchSize: Int) async throws {
        try await withStore(kind) { store in
            let histories = try CaseCorpus.generate(count: 40, seed: 11)
            try await store.bulkLoad(histories.map { ($0.record, $0.events) })
            let seen = Collector<(CaseRecord, [CaseEvent])>()
            let batchSizes = Collector<Int>()
            try await store.forEachCase(batchSize: batchSize) { batch in
                seen.append(batch)
                batchSizes.append([batch.count])
            }
            let byID = Dictionary(grouping: seen.items, by: { $0.0.id })
            #expect(seen.items.count == histories.count)
            #expect(byID.count == histories.count)
            #expect(batchSizes.items.allSatisfy { $0 >= 1 && $0 <= batchSize })
            for h in histories {
                let visit = try #require(byID[h.record.id]?.first)
                #expect(visit.0 == h.record)
                #expect(visit.1 == h.events)
                #expect(ChainVerifier.problems(case: visit.0, events: visit.1, hasher: Fixture.hasher).isEmpty)
            }
        }
    }

    @Test("createCase with an ID already stored throws a conflict and stores nothing", arguments: StoreKind.allCases)
    func createExistingID(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let (record, first) = Fixture.newCase(clientRequestID: "req-a")
            let created = try await store.createCase(record, firstEvent: first, numberPrefix: Self.prefixE).record
            var again = record
            again.clientRequestID = "req-b"
            await expectDomainError(code: "case.exists", kind: .conflict) {
                _ = try await store.createCase(again, firstEvent: first, numberPrefix: Self.prefixE)
            }
            #expect(try await store.caseCount() == 1)
            #expect(try await store.caseRecord(id: record.id) == created)
            #expect(try await store.events(caseID: record.id) == [first])
            let (next, nextFirst) = Fixture.newCase()
            #expect(try await store.createCase(next, firstEvent: nextFirst, numberPrefix: Self.prefixE).record.number == Self.prefixE + "00002")
        }
    }

    @Test("concurrent creates: one conflicting case fails alone, all others are stored with distinct numbers",
          arguments: StoreKind.allCases)
    func concurrentCreatesWithOneConflict(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let (existing, existingFirst) = Fixture.newCase()
            _ = try await store.createCase(existing, firstEvent: existingFirst, numberPrefix: Self.prefixE)
            // Arriving together, these are written in shared transactions by a group-committing store.
            let results = await withTaskGroup(of: (Int, Result<CaseRecord, any Error>).self) { group in
                for i in 0..<60 {
                    group.addTask {
                        var (record, first) = Fixture.newCase(clientRequestID: "req-\(i)")
                        if i == 30 { (record, first) = (existing, existingFirst); record.clientRequestID = "req-clash" }
                        do {
                            return (i, .success(try await store.createCase(record, firstEvent: first, numberPrefix: Self.prefixE).record))
                        } catch { return (i, .failure(error)) }
                    }
                }
                var out: [Int: Result<CaseRecord, any Error>] = [:]
                for await (i, r) in group { out[i] = r }
                return out
            }
            var numbers = Set<String>()
            for (i, result) in results.sorted(by: { $0.key < $1.key }) {
                switch result {
                case .success(let c):
                    #expect(i != 30, "the clashing case was stored")
                    numbers.insert(c.number)
                    #expect(try await store.caseRecord(id: c.id) == c)
                case .failure(let error):
                    #expect(i == 30, "case \(i) failed: \(error)")
                    #expect((error as? DomainError)?.code == "case.exists")
                }
            }
            #expect(numbers.count == 59)
            #expect(try await store.caseCount() == 60)
        }
    }

    @Test("commit of an unknown case throws not found and applies nothing", arguments: StoreKind.allCases)
    func commitUnknown(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let (record, first) = Fixture.newCase(source: .sensor)
            let created = try await store.createCase(record, firstEvent: first, numberPrefix: Self.prefixE).record
            let good = try Fixture.change(.file, on: created, history: [first], actor: Fixture.operatorActor, at: Fixture.at(60))
            let (ghost, ghostFirst) = Fixture.newCase(source: .sensor)
            let unknown = try Fixture.change(.file, on: Fixture.stored(ghost, ghostFirst, number: "X"), history: [ghostFirst], actor: Fixture.operatorActor, at: Fixture.at(60))
            await expectDomainError(code: "case.not_found", kind: .notFound) { try await store.commit([good, unknown]) }
            #expect(try await store.caseRecord(id: record.id) == created)
            #expect(try await store.events(caseID: record.id) == [first])
            #expect(try await store.caseRecord(id: ghost.id) == nil)
        }
    }
}
