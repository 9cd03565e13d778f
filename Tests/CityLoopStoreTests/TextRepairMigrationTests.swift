import CityLoopDomain
import CityLoopSQLite
import CityLoopServices
import Foundation
import Testing

/// Migration 011 repairs a city that stored control characters before the edge refused them (issue 13 §1), and
/// any text the edge accepts reads back from SQLite exactly.
@Suite struct TextRepairMigrationTests {
    static func problems(_ store: SQLiteStore) async throws -> [String] {
        let found = Collector<String>()
        try await store.forEachCase(batchSize: 100) { batch in
            for (c, events) in batch { found.append(ChainVerifier.problems(case: c, events: events, hasher: Fixture.hasher)) }
        }
        return found.items
    }

    @Test func aCityHoldingANulIsRepairedByTheMigrationAndVerifies() async throws {
        let path = StoreFactory.temporaryDatabasePath()
        defer { StoreFactory.removeDatabase(at: path) }
        var store = try SQLiteStore(path: path)

        // setup: one clean case, one with a NUL in its description and a NUL comment, one with a C1 character, stored
        // the way the old code did (the store takes whatever the services hand it)
        let fresh = Fixture.newCase()
        let clean = try await store.createCase(fresh.0, firstEvent: fresh.1, numberPrefix: "E06001\(Fixture.date)", nearby: nil)
        var reported = Fixture.newCase()
        reported.0.description = "a\u{0}b"
        let bad = try await store.createCase(reported.0, firstEvent: reported.1, numberPrefix: "E06001\(Fixture.date)", nearby: nil).record
        try await store.commit(
            [try Fixture.change(.urge, on: bad, history: [reported.1], input: ActionInput(comment: "快\u{0}点"), actor: Fixture.leader, at: Fixture.at(60))],
            notices: [])
        var c1 = Fixture.newCase()
        c1.0.address = "路\u{85}口"
        _ = try await store.createCase(c1.0, firstEvent: c1.1, numberPrefix: "E06001\(Fixture.date)", nearby: nil)
        // the breakage: the NUL cut the stored event short, so the case's history cannot be read
        await #expect(throws: (any Error).self) { _ = try await store.events(caseID: bad.id) }

        // MUT: an old city's file, opened by this version
        try await store.executeForTesting("DELETE FROM grdb_migrations WHERE identifier = '011_repair_control_characters'")
        try await store.executeForTesting("DROP TABLE text_repairs")
        try store.close()
        store = try SQLiteStore(path: path)
        defer { try? store.close() }

        // validate
        let events = try await store.events(caseID: bad.id)
        #expect(events.count == 2)
        #expect(events.last?.comment == "快\u{FFFD}点")
        #expect(try await store.caseRecord(id: bad.id)?.description == "a\u{FFFD}b")
        #expect(try await store.caseRecord(id: c1.0.id)?.address == "路\u{FFFD}口")
        #expect(try await Self.problems(store) == [])
        let repairs = try await store.textRepairs()
        #expect(repairs.map(\.number).sorted() == [bad.number, try #require(try await store.caseRecord(id: c1.0.id)).number].sorted())
        #expect(repairs.first { $0.number == bad.number }?.events == 1)
        // the clean case is untouched
        #expect(try await store.caseRecord(id: clean.record.id)?.lastEventHash == clean.record.lastEventHash)
    }

    @Test func anyTextTheEdgeAcceptsReadsBackFromSQLiteExactly() async throws {
        try await withStore(.sqlite) { store in
            var rng = RandomText(state: 2026)
            let fresh = Fixture.newCase()
            var record = try await store.createCase(fresh.0, firstEvent: fresh.1, numberPrefix: "E06001\(Fixture.date)", nearby: nil).record
            var comments: [String] = []
            var history = [fresh.1]
            for i in 0..<60 {
                let text = rng.string(maxLength: 60)
                try TextRules.check(text, field: "comment")
                let change = try Fixture.change(.urge, on: record, history: history, input: ActionInput(comment: text), actor: Fixture.leader, at: Fixture.at(Double(60 * (i + 1))))
                try await store.commit([change], notices: [])
                record = change.record
                history += change.events
                comments.append(text)
            }
            let events = try await store.events(caseID: record.id)
            #expect(events.dropFirst().map { ($0.comment ?? "").unicodeScalars.map(\.value) } == comments.map { $0.unicodeScalars.map(\.value) })
            var problems = ChainVerifier.problems(case: record, events: events, hasher: Fixture.hasher)
            problems += ChainVerifier.problems(case: try #require(try await store.caseRecord(id: record.id)), events: events, hasher: Fixture.hasher)
            #expect(problems == [])
        }
    }
}

/// Random accepted text of every plane, with the characters that once broke stored text mixed in (SplitMix64,
/// seeded: the same strings every run; the domain tests use the same generator for the event text).
struct RandomText {
    static let awkward: [Unicode.Scalar] = [
        "\t", "\r", "\n", "\"", "\\", "|", "&", "=", ",", "\u{301}", "\u{202E}", "\u{2066}", "\u{2069}", "\u{1F9F9}", "\u{10FFFF}", "𠀀",
    ]
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func string(maxLength: Int) -> String {
        var out = String.UnicodeScalarView()
        let n = 1 + Int(next() % UInt64(maxLength))
        while out.count < n {
            let r = next()
            let s: Unicode.Scalar?
            switch r % 4 {
            case 0: s = Self.awkward[Int((r >> 8) % UInt64(Self.awkward.count))]
            case 1: s = Unicode.Scalar(UInt32(0x20 + (r >> 8) % 0x5F))
            case 2: s = Unicode.Scalar(UInt32(0xA0 + (r >> 8) % (0x10000 - 0xA0)))
            default: s = Unicode.Scalar(UInt32(0x10000 + (r >> 8) % 0x100000))
            }
            if let s, !TextRules.isRefused(s) { out.append(s) }
        }
        return String(out)
    }
}
