import Foundation
import Testing

@testable import CityLoopDomain

/// Stores keep events as their canonical text; reading the text back must give the same event.
@Suite("Event canonical text round trip")
struct CaseEventCanonicalTests {
    static let awkward = #"a|b\c&d=e,f \ 中文|"#

    static func events() -> [CaseEvent] {
        let actor = Actor(userID: UserID(awkward), name: awkward, role: .handler, departmentID: "sanitation")
        let at = Date(timeIntervalSince1970: 1_783_299_600.123)
        return [
            CaseEvent(caseID: "c-1", seq: 1, action: .report, fromState: nil, toState: .pendingVerification, actor: Actors.citizen, at: at),
            CaseEvent(
                caseID: CaseID(awkward), seq: 7, action: .reportHandled, fromState: .inProgress, toState: .handled, actor: actor, at: at,
                comment: awkward, evidence: ["ab12", awkward, "c,d"], details: [awkward: awkward, "department": "sanitation", "": "x"],
                dueAt: at.addingTimeInterval(3600)),
            CaseEvent(
                caseID: "c-2", seq: 3, action: .accept, fromState: .dispatched, toState: .inProgress, actor: Actors.handler,
                at: at.addingTimeInterval(7200), comment: "", dueAt: at.addingTimeInterval(3600)),
            CaseEvent(caseID: "c-3", seq: 2, action: .urge, fromState: .inProgress, toState: .inProgress, actor: Actors.leader, at: at,
                      evidence: [""].filter { !$0.isEmpty }, details: ["note": ""]),
        ]
    }

    @Test("every event reads back equal from its sealed canonical text", arguments: Array(events().enumerated()))
    func roundTrip(index: Int, event: CaseEvent) throws {
        let sealed = event.sealed(after: String(repeating: "ab", count: 32), hasher: FNVHasher())
        let read = try CaseEvent(canonicalText: sealed.canonicalText, hash: sealed.hash)
        #expect(read == sealed, "event \(index)")
        #expect(read.canonicalText == sealed.canonicalText)
    }

    @Test("a sealed event's kept canonical bytes follow every change of a field they cover, and are not part of its value")
    func keptBytes() throws {
        let sealed = Self.events()[1].sealed(after: String(repeating: "cd", count: 32), hasher: FNVHasher())
        let fresh = try CaseEvent(canonicalText: sealed.canonicalText, hash: sealed.hash)
        #expect(fresh == sealed && fresh.hashValue == sealed.hashValue)
        let json = JSONEncoder()
        json.outputFormatting = .sortedKeys
        #expect(try json.encode(fresh) == json.encode(sealed))
        var changed = sealed
        changed.comment = "changed after sealing"
        #expect(changed.canonicalText.contains("changed after sealing"))
        var edits = sealed
        edits.details["more"] = "x"
        #expect(edits.canonicalText.contains("more=x"))
        var moved = sealed
        moved.prevHash = "ff"
        #expect(moved.canonicalText.hasSuffix("|ff"))
        // The hash is not covered: changing it keeps the text.
        var rehashed = sealed
        rehashed.hash = "other"
        #expect(rehashed.canonicalText == sealed.canonicalText)
    }

    @Test("an empty comment is no comment (both hash the same)")
    func emptyComment() {
        #expect(Self.events()[2].comment == nil)
    }

    @Test("malformed text is refused with a corrupted error", arguments: [
        "", "c|1|report||pending_verification|u|n|citizen|1000|||||", "c|x|report||pending_verification|u|n|citizen|1000||||||h",
        "c|1|fly||pending_verification|u|n|citizen|1000||||||h", "c|1|report||pending_verification|u|n|citizen|1000|||k||||h",
        "c|1|report||pending_verification|u|n|citizen|1000||||1000|2|h",
    ])
    func malformed(text: String) {
        do {
            _ = try CaseEvent(canonicalText: text, hash: "h")
            Issue.record("accepted malformed text \(text)")
        } catch let e as DomainError {
            #expect(e.kind == .corrupted)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("a well-formed minimal text parses")
    func minimal() throws {
        let e = try CaseEvent(canonicalText: "c|1|report||pending_verification|u|n|citizen|1000||||||h0", hash: "h")
        #expect(e.seq == 1 && e.fromState == nil && e.toState == .pendingVerification && e.at == Date(timeIntervalSince1970: 1))
        #expect(e.evidence.isEmpty && e.details.isEmpty && e.dueAt == nil && e.onTime == nil && e.prevHash == "h0" && e.hash == "h")
    }
}
