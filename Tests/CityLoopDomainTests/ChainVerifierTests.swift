import CityLoopDomain
import Foundation
import Testing

@Suite("ChainVerifier")
struct ChainVerifierTests {
    let hasher = FNVHasher()

    /// A closed case with nine sealed events.
    func closedCase() throws -> Flow {
        var f = try Flow.inProgress()
        try f.apply(.reportHandled, by: Actors.handler, ActionInput(comment: "已清运", evidence: ["media-1"]), at: Instants.monday(hour: 11))
        try f.apply(.sendCheck, by: Actors.op, at: Instants.monday(hour: 11, minute: 10))
        try f.apply(.checkPass, by: Actors.inspector, at: Instants.monday(hour: 11, minute: 40))
        try f.apply(.close, by: Actors.shiftLead, at: Instants.monday(hour: 11, minute: 50))
        return f
    }

    @Test("the test hasher is deterministic and 64 hex characters")
    func hasherShape() {
        #expect(hasher.digest("abc") == hasher.digest("abc"))
        #expect(hasher.digest("abc") != hasher.digest("abd"))
        #expect(hasher.digest("").count == 64)
    }

    @Test("an untouched chain has no problems")
    func intact() throws {
        let f = try closedCase()
        #expect(f.events.count == 9)
        #expect(f.events[0].prevHash == CaseEvent.genesisHash)
        for (a, b) in zip(f.events, f.events.dropFirst()) { #expect(b.prevHash == a.hash) }
        #expect(ChainVerifier.problems(case: f.c, events: f.events, hasher: hasher).isEmpty)
    }

    @Test("an edited comment is detected")
    func editedComment() throws {
        let f = try closedCase()
        var events = f.events
        events[5].comment = "已清运完毕"
        let problems = ChainVerifier.problems(case: f.c, events: events, hasher: hasher)
        #expect(problems == ["case \(f.c.number): event 6 was altered (hash mismatch)"])
    }

    @Test("other edited fields are detected", arguments: ["actor", "time", "evidence", "details", "state"])
    func editedFields(field: String) throws {
        let f = try closedCase()
        var events = f.events
        switch field {
        case "actor": events[3].actorName = "someone"
        case "time": events[3].at = events[3].at.addingTimeInterval(-3600)
        case "evidence": events[5].evidence = []
        case "details": events[3].details["department"] = "municipal"
        default: events[4].toState = .handled
        }
        let problems = ChainVerifier.problems(case: f.c, events: events, hasher: hasher)
        #expect(problems.contains { $0.contains("was altered") })
    }

    @Test("an edited event with a recomputed hash no longer links to the next")
    func resealed() throws {
        let f = try closedCase()
        var events = f.events
        events[5].comment = "forged"
        events[5] = events[5].sealed(after: events[4].hash, hasher: hasher)
        let problems = ChainVerifier.problems(case: f.c, events: events, hasher: hasher)
        #expect(problems.contains("case \(f.c.number): event 7 does not link to the previous event"))
    }

    @Test("merging two detail entries into one is detected")
    func ambiguousDetails() throws {
        let f = try closedCase()
        var events = f.events
        let dispatch = events[3]
        #expect(dispatch.action == .dispatch)
        // Replace the three details of the dispatch with one entry whose value spells the others.
        let text = dispatch.details.keys.sorted().map { "\($0)=\(dispatch.details[$0]!)" }.joined(separator: "&")
        let eq = try #require(text.firstIndex(of: "="))
        events[3].details = [String(text[..<eq]): String(text[text.index(after: eq)...])]
        #expect(events[3].details != dispatch.details)
        #expect(!ChainVerifier.problems(case: f.c, events: events, hasher: hasher).isEmpty)
    }

    @Test("a deleted event is detected")
    func deleted() throws {
        let f = try closedCase()
        var events = f.events
        events.remove(at: 4)
        let problems = ChainVerifier.problems(case: f.c, events: events, hasher: hasher)
        #expect(problems.contains { $0.contains("missing or inserted event") })
        #expect(problems.contains { $0.contains("does not link") })
        #expect(problems.contains("case \(f.c.number): records 9 events, 8 stored"))
    }

    @Test("deleting the last event is detected by the case's chain head")
    func deletedLast() throws {
        let f = try closedCase()
        let problems = ChainVerifier.problems(case: f.c, events: Array(f.events.dropLast()), hasher: hasher)
        #expect(problems.contains { $0.contains("chain head") })
        #expect(problems.contains { $0.contains("state closed differs") })
    }

    @Test("reordered events are detected")
    func reordered() throws {
        let f = try closedCase()
        var events = f.events
        events.swapAt(2, 3)
        let problems = ChainVerifier.problems(case: f.c, events: events, hasher: hasher)
        #expect(problems.contains { $0.contains("position 3 has seq 4") })
        #expect(problems.contains { $0.contains("does not link") })
    }

    @Test("a case whose state was changed behind the history's back is detected")
    func changedState() throws {
        var f = try closedCase()
        f.c.state = .pendingClose
        let problems = ChainVerifier.problems(case: f.c, events: f.events, hasher: hasher)
        #expect(problems == ["case \(f.c.number): state pending_close differs from its history's closed"])
    }

    @Test("an event appended without updating the case is detected")
    func appended() throws {
        let f = try closedCase()
        var extra = f.events[8]
        extra.seq = 10
        extra = extra.sealed(after: f.events[8].hash, hasher: hasher)
        let problems = ChainVerifier.problems(case: f.c, events: f.events + [extra], hasher: hasher)
        #expect(problems.contains { $0.contains("chain head") })
        #expect(problems.contains { $0.contains("records 9 events, 10 stored") })
    }

    @Test("sealing stores times at millisecond precision so a stored copy verifies")
    func millisecondPrecision() {
        let actor = Actors.op
        let event = CaseEvent(
            caseID: "c", seq: 1, action: .report, fromState: nil, toState: .pendingFiling, actor: actor,
            at: Date(timeIntervalSince1970: 1_783_299_600.123_456), comment: "a|b\\c")
        let sealed = event.sealed(after: CaseEvent.genesisHash, hasher: hasher)
        #expect(sealed.at.timeIntervalSince1970 == 1_783_299_600.123)
        #expect(sealed.hash == hasher.digest(sealed.canonicalText))
        #expect(sealed.canonicalText.contains("1783299600123"))
        #expect(sealed.canonicalText.contains("a\\|b\\\\c"))
    }
}
