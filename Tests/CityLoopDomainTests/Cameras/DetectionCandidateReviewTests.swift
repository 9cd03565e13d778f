import CityLoopDomain
import Foundation
import Testing

@Suite("Candidate review")
struct DetectionCandidateReviewTests {
    typealias F = CameraFixtures
    static let key = CandidateKey(cameraID: "cam-01", type: .exposedGarbage, zoneID: nil)
    static var candidate: DetectionCandidate {
        DetectionCandidate(id: "c1", key: key, matterCode: "06010", first: F.detection(at: F.local(9), type: .exposedGarbage), snapshot: "m1")
    }

    static func error(_ body: () throws -> Void) -> DomainError? {
        do {
            try body()
            return nil
        } catch { return error as? DomainError }
    }

    @Test("accepting files the case the service created; it cannot be reviewed twice")
    func accept() throws {
        var c = Self.candidate
        try c.review(.accept(caseID: "case-9"), by: "ops-1", at: F.local(9.5))
        #expect(c.state == .accepted("case-9"))
        #expect(c.caseID == "case-9")
        #expect(c.reviewedBy == "ops-1")
        #expect(c.reviewedAt == F.local(9.5))
        let again = Self.error { try c.review(.reject(.falsePositive, note: nil), by: "ops-2", at: F.local(10)) }
        #expect(again?.kind == .invalidTransition)
        #expect(again?.code == "candidate.reviewed")
        #expect(c.state == .accepted("case-9"))
        #expect(c.reviewedBy == "ops-1")
    }

    @Test("rejecting records the reason and note; another reason needs a note of at most 500 characters")
    func reject() throws {
        var c = Self.candidate
        #expect(Self.error { try c.review(.reject(.other, note: " "), by: "ops-1", at: F.local(10)) }?.field == "note")
        #expect(Self.error { try c.review(.reject(.falsePositive, note: String(repeating: "字", count: 501)), by: "ops-1", at: F.local(10)) }?.field == "note")
        #expect(Self.error { try c.review(.reject(.falsePositive, note: "a\u{0}"), by: "ops-1", at: F.local(10)) }?.field == "note")
        #expect(c.state == .pending)
        try c.review(.reject(.other, note: "施工围挡内，非暴露垃圾"), by: "ops-1", at: F.local(10))
        #expect(c.state == .rejected(.other))
        #expect(c.rejectReason == .other)
        #expect(c.note == "施工围挡内，非暴露垃圾")
        #expect(c.caseID == nil)
        #expect(Self.error { try c.review(.accept(caseID: "case-1"), by: "ops-1", at: F.local(11)) }?.code == "candidate.reviewed")
    }

    @Test("merging attaches it to an existing case")
    func merge() throws {
        var c = Self.candidate
        try c.review(.merge(into: "case-3"), by: "ops-1", at: F.local(10))
        #expect(c.state == .merged("case-3"))
        #expect(c.caseID == "case-3")
        #expect(c.reviewFact?.outcome == .truePositive)
    }

    @Test("auto-filing is not a review; a filed or sampled candidate cannot be auto-filed")
    func autoFile() throws {
        var c = Self.candidate
        try c.autoFile(caseID: "case-5")
        #expect(c.state == .autoFiled("case-5"))
        #expect(c.reviewedBy == nil)
        #expect(c.reviewFact == nil)
        #expect(Self.error { try c.review(.accept(caseID: "case-6"), by: "ops-1", at: F.local(10)) }?.kind == .invalidTransition)
        #expect(Self.error { try c.autoFile(caseID: "case-6") }?.code == "candidate.reviewed")
        var sampled = Self.candidate
        sampled.key.sampled = true
        #expect(Self.error { try sampled.autoFile(caseID: "case-7") }?.code == "candidate.sampled")
        try sampled.review(.accept(caseID: "case-7"), by: "ops-1", at: F.local(10))
        #expect(sampled.reviewFact?.sampled == true)
    }

    @Test("review facts: accepted and merged are true positives; duplicate and not-in-scope say nothing")
    func facts() throws {
        for (reason, outcome) in [
            (RejectReason.falsePositive, CandidateReviewFact.Outcome.falsePositive), (.lowQuality, .falsePositive),
            (.duplicate, .excluded), (.notInScope, .excluded),
        ] {
            var c = Self.candidate
            try c.review(.reject(reason, note: nil), by: "ops-1", at: F.local(10))
            #expect(c.reviewFact?.outcome == outcome)
        }
        #expect(Self.candidate.reviewFact == nil)
    }

    @Test("the state is stored as a status with its case ID or reason")
    func stateJSON() throws {
        var c = Self.candidate
        try c.review(.reject(.duplicate, note: "同 case-2"), by: "ops-1", at: F.local(10))
        let data = try JSONEncoder.iso.encode(c)
        let sorted = JSONEncoder()
        sorted.outputFormatting = .sortedKeys
        #expect(String(decoding: try sorted.encode(c.state), as: UTF8.self) == #"{"reason":"duplicate","status":"rejected"}"#)
        let filed = DetectionCandidate.State.autoFiled("case-1")
        #expect(String(decoding: try sorted.encode(filed), as: UTF8.self) == #"{"caseID":"case-1","status":"auto_filed"}"#)
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        #expect(try d.decode(DetectionCandidate.self, from: data) == c)
        for s in [DetectionCandidate.State.pending, .accepted("k"), .merged("k"), .autoFiled("k"), .rejected(.lowQuality)] {
            #expect(try JSONDecoder().decode(DetectionCandidate.State.self, from: JSONEncoder().encode(s)) == s)
        }
    }
}
