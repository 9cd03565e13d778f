import CityLoopDomain
import Foundation
import Testing

@Suite("Candidate grouping")
struct DetectionCandidateGroupingTests {
    typealias F = CameraFixtures
    static let policy = DetectionPolicy(matterCode: "09006", groupWindow: 600)
    static let key = CandidateKey(cameraID: "cam-01", type: .occupiedRoad, zoneID: "pavement")
    static func at(_ seconds: Double) -> DetectionInput { F.detection(at: F.local(10).addingTimeInterval(seconds)) }

    @Test("a stall seen every 60 s for 3 hours is one candidate seen 180 times")
    func stationary() throws {
        var book = CandidateBook()
        for i in 0..<180 { book.add(Self.at(Double(i) * 60), key: Self.key, policy: Self.policy) }
        let c = try #require(book.candidates.first)
        #expect(book.candidates.count == 1)
        #expect(c.count == 180)
        #expect(c.firstSeen == F.local(10))
        #expect(c.lastSeen == F.local(10).addingTimeInterval(179 * 60))
        #expect(c.state == .pending)
    }

    @Test("a gap longer than the window opens a second candidate; exactly the window joins")
    func gap() {
        var book = CandidateBook()
        book.add(Self.at(0), key: Self.key, policy: Self.policy)
        #expect(book.add(Self.at(600), key: Self.key, policy: Self.policy) == .join("c1"))
        let next = book.add(Self.at(1201), key: Self.key, policy: Self.policy)
        #expect(next == .open(after: F.local(10).addingTimeInterval(600)))
        #expect(book.candidates.count == 2)
        #expect(book.candidates[1].openedAfter == F.local(10).addingTimeInterval(600))
        #expect(book.candidates.map(\.count) == [2, 1])
    }

    @Test("another zone, type, camera or the sampled stream is another candidate")
    func keys() {
        var book = CandidateBook()
        let d = Self.at(0)
        book.add(d, key: Self.key, policy: Self.policy)
        var other = Self.key
        other.zoneID = "roadway"
        book.add(d, key: other, policy: Self.policy)
        other = Self.key
        other.type = .streetVending
        book.add(d, key: other, policy: Self.policy)
        other = Self.key
        other.cameraID = "cam-02"
        book.add(d, key: other, policy: Self.policy)
        other = Self.key
        other.sampled = true
        book.add(d, key: other, policy: Self.policy)
        #expect(book.candidates.count == 5)
        #expect(book.candidates.allSatisfy { $0.count == 1 })
        #expect(book.candidates[4].sampled)
        #expect(Self.key.isSameScene(as: other))
    }

    @Test("an out-of-order detection joins without moving lastSeen back; an earlier one widens firstSeen")
    func outOfOrder() throws {
        var book = CandidateBook()
        for s in [0.0, 300, 600] { book.add(Self.at(s), key: Self.key, policy: Self.policy) }
        book.add(Self.at(200), key: Self.key, policy: Self.policy)
        var c = try #require(book.candidates.first)
        #expect(c.lastSeen == F.local(10).addingTimeInterval(600))
        #expect(c.count == 4)
        book.add(Self.at(-500), key: Self.key, policy: Self.policy)
        c = try #require(book.candidates.first)
        #expect(c.firstSeen == F.local(10).addingTimeInterval(-500))
        #expect(c.lastSeen == F.local(10).addingTimeInterval(600))
        #expect(book.candidates.count == 1 && c.count == 5)
    }

    @Test("a late detection within the window of the previous candidate joins nothing and opens nothing")
    func late() {
        var book = CandidateBook()
        book.add(Self.at(0), key: Self.key, policy: Self.policy)
        book.add(Self.at(700), key: Self.key, policy: Self.policy)
        #expect(book.candidates.count == 2)
        // In the newest one's widened span, but within 600 s of the first one's lastSeen (0): late.
        #expect(book.add(Self.at(300), key: Self.key, policy: Self.policy) == .late)
        #expect(book.add(Self.at(600), key: Self.key, policy: Self.policy) == .late)
        #expect(book.add(Self.at(650), key: Self.key, policy: Self.policy) == .join("c2"))
        // Before the newest one's span widened by the window: late.
        #expect(book.add(Self.at(-2000), key: Self.key, policy: Self.policy) == .late)
        #expect(book.late.count == 3)
        #expect(book.of(Self.key).map(\.count) == [1, 2])
        #expect(book.of(Self.key)[1].firstSeen == F.local(10).addingTimeInterval(650))
    }

    @Test("a reviewed candidate absorbs re-detections without changing its state")
    func absorbsWhateverItsState() throws {
        var book = CandidateBook()
        book.add(Self.at(0), key: Self.key, policy: Self.policy)
        try book.candidates[0].review(.reject(.falsePositive, note: nil), by: "u1", at: F.local(10.05))
        #expect(book.add(Self.at(500), key: Self.key, policy: Self.policy) == .join("c1"))
        #expect(book.candidates[0].state == .rejected(.falsePositive))
        #expect(book.candidates[0].count == 2)
        #expect(book.candidates.count == 1)
    }

    @Test("at most 5 snapshots: the earliest, the best and the latest")
    func snapshots() throws {
        var book = CandidateBook()
        let scores = [0.7, 0.72, 0.75, 0.97, 0.8, 0.81, 0.82, 0.83, 0.84, 0.85]
        for (i, s) in scores.enumerated() {
            book.add(F.detection(at: F.local(10).addingTimeInterval(Double(i) * 60), score: s), key: Self.key, policy: Self.policy, snapshot: "m\(i)")
        }
        var c = try #require(book.candidates.first)
        #expect(c.snapshotIDs == ["m0", "m3", "m7", "m8", "m9"])
        #expect(c.bestScore == 0.97)
        // An out-of-order detection earlier than all becomes the first; the best stays.
        book.add(F.detection(at: F.local(10).addingTimeInterval(-60), score: 0.6), key: Self.key, policy: Self.policy, snapshot: "early")
        c = try #require(book.candidates.first)
        #expect(c.snapshotIDs == ["early", "m3", "m7", "m8", "m9"])
        // A detection without a snapshot counts but keeps none.
        book.add(F.detection(at: F.local(10).addingTimeInterval(700)), key: Self.key, policy: Self.policy)
        #expect(book.candidates[0].snapshots.count == 5)
        #expect(book.candidates[0].count == 12)
        // The same frame sent again is one snapshot, holding the higher score.
        book.add(F.detection(at: F.local(10).addingTimeInterval(720), score: 0.99), key: Self.key, policy: Self.policy, snapshot: "m8")
        #expect(book.candidates[0].snapshotIDs == ["early", "m3", "m7", "m8", "m9"])
        #expect(book.candidates[0].snapshots.first { $0.mediaID == "m8" }?.score == 0.99)
        #expect(book.candidates[0].count == 13)
    }

    @Test("models and at most 20 distinct tracker IDs are kept")
    func modelsAndTracks() throws {
        var book = CandidateBook()
        for i in 0..<30 {
            let d = F.detection(at: F.local(10).addingTimeInterval(Double(i) * 10), version: i < 15 ? "3.1" : "3.2", trackID: "t\(i % 25)")
            book.add(d, key: Self.key, policy: Self.policy)
        }
        let c = try #require(book.candidates.first)
        #expect(c.models == ["cityeye@3.1", "cityeye@3.2"])
        #expect(c.trackIDs == (0..<20).map { "t\($0)" })
    }
}
