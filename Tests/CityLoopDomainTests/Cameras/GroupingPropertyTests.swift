import CityLoopDomain
import Foundation
import Testing

@Suite("Candidate grouping properties")
struct GroupingPropertyTests {
    typealias F = CameraFixtures
    static let policy = DetectionPolicy(matterCode: "09006", groupWindow: 600)
    static let keys: [CandidateKey] = [
        .init(cameraID: "cam-01", type: .occupiedRoad, zoneID: "pavement"),
        .init(cameraID: "cam-01", type: .occupiedRoad, zoneID: "roadway"),
        .init(cameraID: "cam-01", type: .exposedGarbage, zoneID: "pavement"),
        .init(cameraID: "cam-02", type: .occupiedRoad, zoneID: nil),
        .init(cameraID: "cam-02", type: .occupiedRoad, zoneID: nil, sampled: true),
    ]

    /// A day of random scenes per key: episodes seen at random intervals of 20 s to 15 min, so some gaps exceed the
    /// window and some do not.
    static func stream(_ rng: inout SplitMix64) -> [(CandidateKey, DetectionInput)] {
        var out: [(CandidateKey, DetectionInput)] = []
        for key in keys {
            var t = rng.between(0...3600)
            for _ in 0..<Int(rng.between(5...60)) {
                t += rng.uniform() < 0.8 ? rng.between(20...400) : rng.between(400...2400)
                out.append((key, F.detection(at: F.local(8).addingTimeInterval(t), type: key.type, camera: key.cameraID)))
            }
        }
        return out
    }

    /// Checks the book: per key, spans more than the window apart; every detection counted once or late.
    static func check(_ book: CandidateBook, total: Int) {
        let w = policy.groupWindow
        for key in keys {
            let cs = book.of(key)
            for (p, n) in zip(cs, cs.dropFirst()) {
                #expect(n.firstSeen.timeIntervalSince(p.lastSeen) > w, "\(key): \(p.id) and \(n.id) within the window")
            }
            #expect(cs.allSatisfy { $0.firstSeen <= $0.lastSeen && $0.count >= 1 })
        }
        #expect(book.candidates.map(\.count).reduce(0, +) + book.late.count == total)
    }

    @Test("in time order: nothing is late, and candidates are exactly the runs split by gaps over the window", arguments: 1...10)
    func inOrder(seed: UInt64) {
        var rng = SplitMix64(state: seed)
        let items = Self.stream(&rng).sorted { $0.1.time < $1.1.time }
        var book = CandidateBook()
        for (k, d) in items { book.add(d, key: k, policy: Self.policy) }
        Self.check(book, total: items.count)
        #expect(book.late.isEmpty)
        for key in Self.keys {
            let times = items.filter { $0.0 == key }.map(\.1.time)
            var runs = 1
            for (a, b) in zip(times, times.dropFirst()) where b.timeIntervalSince(a) > Self.policy.groupWindow { runs += 1 }
            #expect(book.of(key).count == runs)
        }
    }

    @Test("shuffled arrivals: no two candidates of a key come within the window of each other", arguments: 1...20)
    func shuffled(seed: UInt64) {
        var rng = SplitMix64(state: seed &* 7919)
        var items = Self.stream(&rng)
        items.shuffle(using: &rng)
        var book = CandidateBook()
        for (k, d) in items { book.add(d, key: k, policy: Self.policy) }
        Self.check(book, total: items.count)
    }

    @Test("slightly out of order (delays up to 2 min): spans stay apart and little is late", arguments: 1...10)
    func jittered(seed: UInt64) {
        var rng = SplitMix64(state: seed ^ 0xCAFE)
        let items = Self.stream(&rng).map { ($0, $1, $1.time.addingTimeInterval(rng.between(0...120))) }.sorted { $0.2 < $1.2 }
        var book = CandidateBook()
        for (k, d, _) in items { book.add(d, key: k, policy: Self.policy) }
        Self.check(book, total: items.count)
        // A delay under the window can only make a detection late if it falls right after a gap: rare.
        #expect(book.late.count * 20 <= items.count)
    }
}
