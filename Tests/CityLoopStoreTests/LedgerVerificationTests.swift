import CityLoopDemo
import CityLoopDomain
import CityLoopSQLite
import CityLoopTestSupport
import CityLoopServices
import Foundation
import Testing

/// The city ledger against a database owner: each attack is done with raw SQL on a real demo database, recomputing
/// the per-case chain where the attacker would, and `verifyHistory` must name it.
@Suite("City ledger verification")
struct LedgerVerificationTests {
    /// A demo city in a fresh SQLite file, with one live case written through `createCase` and `commit`.
    final class City: @unchecked Sendable {
        let dir: URL
        let path: String
        var store: SQLiteStore
        var platform: Platform
        let key: LedgerKey
        let log: CheckpointLog

        init() async throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-ledger-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            path = dir.appendingPathComponent("cityloop.sqlite").path
            store = try SQLiteStore(path: path)
            platform = try await Platform(store: store, media: try FileMediaStore(root: dir.appendingPathComponent("media")))
            _ = try await DemoCity.install(into: platform, seed: 7, scale: .forCases(120), password: "ledger-Test-pw-2026")
            let (c, first) = Fixture.newCase(source: .sensor)
            let stored = try await store.createCase(c, firstEvent: first, numberPrefix: "LIVE").record
            try await store.commit([try Fixture.change(.file, on: stored, history: [first], actor: Fixture.operatorActor, at: Fixture.at(60))])
            key = try LedgerKey.loadOrCreate(path: dir.appendingPathComponent("ledger.key").path)
            log = CheckpointLog(path: dir.appendingPathComponent("checkpoints.jsonl").path)
        }

        deinit { try? FileManager.default.removeItem(at: dir) }

        func verify() async throws -> [String] {
            try await CaseService(platform: platform).verifyHistory(checkpoints: log, publicKey: key.publicKey).problems
        }

        func checkpoint() async throws -> LedgerCheckpoint {
            try await LedgerService(platform: platform, key: key, log: log).checkpoint().checkpoint
        }

        func sql(_ text: String, _ arguments: [String] = []) async throws { try await store.executeForTesting(text, arguments: arguments) }

        /// A demo case with at least `events` events.
        func someCase(events: Int) async throws -> (CaseRecord, [CaseEvent]) {
            var q = CaseQuery()
            q.limit = 500
            for c in try await store.cases(q).items where c.eventCount >= events {
                return (c, try await store.events(caseID: c.id))
            }
            throw DomainError(.notFound, code: "test", "no case with \(events) events")
        }

        /// Replaces a case's stored events by `events`, renumbered and sealed into a fresh per-case chain, and
        /// points the row's chain head at them: what someone with the database and the source code would do.
        func rechain(_ id: CaseID, _ events: [CaseEvent]) async throws {
            var prev = CaseEvent.genesisHash
            var sealed: [CaseEvent] = []
            for (i, e) in events.enumerated() {
                var e = e
                e.seq = i + 1
                let s = e.sealed(after: prev, hasher: SHA256Hasher())
                prev = s.hash
                sealed.append(s)
            }
            try await sql("DELETE FROM case_events WHERE case_id = ?", [id.rawValue])
            for e in sealed {
                try await sql("INSERT INTO case_events (case_id, seq, hash, data) VALUES (?, ?, ?, ?)", [id.rawValue, String(e.seq), e.hash, e.canonicalText])
            }
            let state = sealed.last!.toState.rawValue
            try await sql(
                "UPDATE cases SET state = ?, data = json_set(data, '$.lastEventHash', ?, '$.eventCount', CAST(? AS INTEGER), '$.state', ?) WHERE id = ?",
                [state, prev, String(sealed.count), state, id.rawValue])
        }

        /// Recomputes every ledger entry's hash from the stored event hashes, as if the ledger had never been
        /// different: what an attacker who knows the ledger rules does after rewriting history.
        func rebuildLedger() async throws {
            var head = LedgerHead.empty
            var after: Int64 = 0
            var all: [LedgerEntry] = []
            while true {
                let page = try await store.ledgerEntries(after: after, limit: 10_000)
                guard let last = page.last else { break }
                all += page
                after = last.seq
            }
            for l in all {
                let events = try await store.events(caseID: l.caseID)
                let hash = events.first { $0.seq == l.eventSeq }?.hash ?? l.eventHash
                let entry = head.append(caseID: l.caseID, eventSeq: l.eventSeq, eventHash: hash, hasher: SHA256Hasher())
                try await sql("UPDATE ledger SET event_hash = ?, hash = ? WHERE seq = ?", [entry.eventHash, entry.hash, String(l.seq)])
            }
        }
    }

    @Test("an untouched city verifies clean, with and without a checkpoint")
    func untouchedCityIsClean() async throws {
        let city = try await City()
        #expect(try await city.verify() == [])
        let status = try await city.store.ledgerStatus()
        #expect(status.head.seq == Int64(status.events))
        _ = try await city.checkpoint()
        #expect(try await city.verify() == [])
    }

    @Test("a city stored before the ledger gets it from migration 012_ledger and verifies clean")
    func backfillVerifiesClean() async throws {
        let city = try await City()
        let before = try await city.store.ledgerStatus()
        try await city.sql("DROP TABLE ledger; DELETE FROM grdb_migrations WHERE identifier = '012_ledger'")
        try city.store.close()
        city.store = try SQLiteStore(path: city.path)
        city.platform = try await Platform(store: city.store, media: try FileMediaStore(root: city.dir.appendingPathComponent("media")))
        let after = try await city.store.ledgerStatus()
        #expect(after.head.seq == before.head.seq)
        #expect(after.head.seq == Int64(after.events))
        #expect(try await city.verify() == [])
    }

    @Test("a rewritten event with a recomputed case chain differs from its ledger entry")
    func rewrittenEvent() async throws {
        let city = try await City()
        var (c, events) = try await city.someCase(events: 3)
        events[1].comment = "nothing happened here"
        try await city.rechain(c.id, events)
        let problems = try await city.verify()
        #expect(problems.contains { $0.contains("case \(c.number): event 2") && $0.contains("event rewritten") }, "\(problems)")
        c = try #require(try await city.store.caseRecord(id: c.id))
        #expect(ChainVerifier.problems(case: c, events: try await city.store.events(caseID: c.id), hasher: SHA256Hasher()).isEmpty)
    }

    @Test("history and ledger both recomputed after a checkpoint: the signed head differs")
    func rewrittenLedgerAfterCheckpoint() async throws {
        let city = try await City()
        _ = try await city.checkpoint()
        var (c, events) = try await city.someCase(events: 3)
        events[0].comment = "a different report"
        try await city.rechain(c.id, events)
        try await city.sql("UPDATE cases SET data = json_set(data, '$.description', 'a different report') WHERE id = ?", [c.id.rawValue])
        try await city.rebuildLedger()
        c = try #require(try await city.store.caseRecord(id: c.id))
        let problems = try await city.verify()
        #expect(problems.contains { $0.contains("differs from the signed checkpoint") }, "\(problems)")
        #expect(!problems.contains { $0.contains("case \(c.number)") }, "the case itself is consistent: only the checkpoint can tell")
    }

    @Test("a deleted event is named")
    func deletedEvent() async throws {
        let city = try await City()
        let (c, events) = try await city.someCase(events: 3)
        try await city.rechain(c.id, Array(events.dropLast()))
        let problems = try await city.verify()
        #expect(problems.contains { $0.contains("case \(c.number): event \(events.count) is in the ledger") && $0.contains("event deleted") }, "\(problems)")
    }

    @Test("a deleted case is named")
    func deletedCase() async throws {
        let city = try await City()
        let (c, _) = try await city.someCase(events: 2)
        try await city.sql("DELETE FROM case_events WHERE case_id = ?; DELETE FROM case_reporters WHERE case_id = ?; DELETE FROM cases WHERE id = ?",
            [c.id.rawValue, c.id.rawValue, c.id.rawValue])
        let problems = try await city.verify()
        #expect(problems.contains { $0.contains("case \(c.id)") && $0.contains("case deleted") }, "\(problems)")
    }

    @Test("an edited case row differs from what its events say")
    func editedRow() async throws {
        let city = try await City()
        let (c, _) = try await city.someCase(events: 2)
        try await city.sql("UPDATE cases SET data = json_set(data, '$.description', 'nothing to see') WHERE id = ?", [c.id.rawValue])
        let problems = try await city.verify()
        #expect(problems.contains { $0.contains("case \(c.number): row was edited: description") }, "\(problems)")
    }

    @Test("an event inserted in the past is named")
    func insertedEvent() async throws {
        let city = try await City()
        let (c, events) = try await city.someCase(events: 2)
        var urge = events[0]
        urge.action = .urge
        urge.fromState = events[0].toState
        urge.details = [:]
        urge.comment = "urged long ago"
        try await city.rechain(c.id, [events[0], urge] + events.dropFirst())
        try await city.sql("UPDATE cases SET data = json_set(data, '$.urgeCount', json_extract(data, '$.urgeCount') + 1) WHERE id = ?", [c.id.rawValue])
        let problems = try await city.verify()
        #expect(problems.contains { $0.contains("case \(c.number): event \(events.count + 1)") && $0.contains("inserted into history") }, "\(problems)")
    }

    @Test("a forged or altered checkpoint is refused")
    func forgedCheckpoint() async throws {
        let city = try await City()
        let genuine = try await city.checkpoint()
        let other = try LedgerKey.loadOrCreate(path: city.dir.appendingPathComponent("other.key").path)
        try city.log.append(try other.sign(genuine))
        var altered = genuine
        altered.cases += 1
        try city.log.append(altered)
        let problems = try await city.verify()
        #expect(problems.filter { $0.contains("no valid signature") }.count == 2, "\(problems)")
    }

    @Test("a ledger shorter than its last checkpoint is truncation")
    func truncatedLedger() async throws {
        let city = try await City()
        let c = try await city.checkpoint()
        try await city.sql("DELETE FROM ledger WHERE seq = ?", [String(c.seq)])
        let problems = try await city.verify()
        #expect(problems.contains { $0.contains("covers \(c.seq) entries but the ledger ends at \(c.seq - 1)") && $0.contains("truncated") }, "\(problems)")
    }

    @Test("the in-memory store keeps the same ledger")
    func inMemoryLedger() async throws {
        let store = InMemoryStore()
        let histories = try CaseCorpus.generate(count: 20, seed: 3)
        try await store.bulkLoad(histories.map { ($0.record, $0.events) })
        let (c, first) = Fixture.newCase()
        _ = try await store.createCase(c, firstEvent: first, numberPrefix: "LIVE")
        let status = try await store.ledgerStatus()
        #expect(status.head.seq == Int64(status.events))
        var check = LedgerVerifier.ChainCheck()
        for e in try await store.ledgerEntries(after: 0, limit: 100_000) { check.consume(e, hasher: SHA256Hasher()) }
        #expect(check.finished() == [])
        let (items, _) = try await store.storedHistories(after: 0, limit: 1000)
        #expect(items.flatMap { LedgerVerifier.problems(of: $0, hasher: SHA256Hasher()).problems } == [])
    }
}
