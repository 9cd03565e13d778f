import CityLoopDomain
import Foundation
import Testing

/// The camera registry, detections, candidates, policies and re-checks: every store writes a detection with its
/// candidate whole, refuses a write at a stale version or a second candidate opened for one scene, and lists the
/// review queue newest first.
@Suite("Camera store conformance")
struct CameraStoreConformanceTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    static let camera = Camera(id: "cam-1", name: "人民路口", location: GeoPoint(lat: 34.75, lon: 113.65), heading: 90)

    static func detection(_ seconds: Double, type: DetectionType = .exposedGarbage, camera: CameraID = "cam-1") -> DetectionInput {
        DetectionInput(
            cameraID: camera, time: t0.addingTimeInterval(seconds), type: type, score: 0.9,
            boxes: [DetectionBox(x: 0.4, y: 0.5, width: 0.2, height: 0.2)], model: "yolo", modelVersion: "8.1", trackID: "t-1")
    }

    static func key(_ type: DetectionType = .exposedGarbage, zone: String? = "walk") -> CandidateKey {
        CandidateKey(cameraID: "cam-1", type: type, zoneID: zone)
    }

    static func opened(_ id: String, at seconds: Double, key: CandidateKey = key()) -> (DetectionCandidate, StoredDetection) {
        let input = detection(seconds, type: key.type)
        let c = DetectionCandidate(id: CandidateID(id), key: key, matterCode: key.type.matterCode, first: input, snapshot: "snap-\(id)")
        return (c, StoredDetection(id: DetectionID("d-\(id)"), input: input, snapshot: "snap-\(id)", receivedAt: input.time, outcome: .opened, candidateID: c.id))
    }

    @Test("cameras are saved, replaced and listed; contacts only move forward", arguments: StoreKind.allCases)
    func registry(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var other = Camera(id: "cam-0", name: "东门", location: GeoPoint(lat: 34.76, lon: 113.66), heading: 180, range: 80)
            try await store.saveCameras([Self.camera, other])
            other.active = false
            try await store.saveCameras([other])
            #expect(try await store.cameras() == [other, Self.camera])
            #expect(try await store.camera(id: "cam-1") == Self.camera)
            #expect(try await store.camera(id: "nope") == nil)
            try await store.noteCameraContact("cam-1", at: Self.t0.addingTimeInterval(60))
            try await store.noteCameraContact("cam-1", at: Self.t0)
            try await store.noteCameraContact("cam-unregistered", at: Self.t0)
            #expect(try await store.cameraContacts() == ["cam-1": Self.t0.addingTimeInterval(60)])
        }
    }

    @Test("policies are saved per type over what was there", arguments: StoreKind.allCases)
    func policies(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            #expect(try await store.detectionPolicies().isEmpty)
            var garbage = DetectionPolicy(matterCode: "06010", minScore: 0.7, autoFilePrecision: 0.9)
            try await store.saveDetectionPolicies([.exposedGarbage: garbage, .illegalParking: DetectionPolicy(matterCode: "09009")])
            garbage.minScore = 0.8
            try await store.saveDetectionPolicies([.exposedGarbage: garbage])
            let stored = try await store.detectionPolicies()
            #expect(stored.count == 2)
            #expect(stored[.exposedGarbage] == garbage)
        }
    }

    @Test("a detection opens a candidate, another joins it at its version; stale versions and second openings are refused", arguments: StoreKind.allCases)
    func grouping(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.saveCameras([Self.camera])
            let (c, first) = Self.opened("c-1", at: 0)
            #expect(try await store.writeDetection(DetectionWrite(detection: first, candidate: c, expectedVersion: nil, previousLatest: nil)) == 1)
            #expect(try await store.latestCandidate(key: Self.key()) == StoredCandidate(candidate: c, version: 1))
            #expect(try await store.latestCandidate(key: Self.key(zone: "road")) == nil)
            #expect(try await store.cameraContacts()["cam-1"] == Self.t0)

            // Another node opening a candidate for the same scene, having read none, is refused and changes nothing.
            let (rival, rivalDetection) = Self.opened("c-rival", at: 5)
            await #expect(throws: DomainError.candidateChanged) {
                try await store.writeDetection(DetectionWrite(detection: rivalDetection, candidate: rival, expectedVersion: nil, previousLatest: nil))
            }
            #expect(try await store.candidate(id: "c-rival") == nil)
            #expect(try await store.detection(id: rivalDetection.id) == nil)

            var joined = c
            let second = Self.detection(60)
            joined.absorb(second, snapshot: "snap-2")
            let d2 = StoredDetection(id: "d-2", input: second, snapshot: "snap-2", receivedAt: second.time, outcome: .joined, candidateID: c.id)
            #expect(try await store.writeDetection(DetectionWrite(detection: d2, candidate: joined, expectedVersion: 1, previousLatest: nil)) == 2)
            // The same detection again, or a write at the version read before, is refused.
            await #expect(throws: DomainError.candidateChanged) {
                try await store.writeDetection(DetectionWrite(detection: d2, candidate: joined, expectedVersion: 2, previousLatest: nil))
            }
            let third = StoredDetection(id: "d-3", input: Self.detection(90), snapshot: nil, receivedAt: Self.t0, outcome: .joined, candidateID: c.id)
            await #expect(throws: DomainError.candidateChanged) {
                try await store.writeDetection(DetectionWrite(detection: third, candidate: joined, expectedVersion: 1, previousLatest: nil))
            }
            #expect(try await store.detection(id: "d-3") == nil)
            #expect(try await store.candidate(id: c.id)?.candidate.count == 2)
            #expect(try await store.detections(candidateID: c.id, limit: 10).map(\.id) == ["d-2", "d-c-1"])
            #expect(try await store.detections(candidateID: c.id, limit: 1).map(\.id) == ["d-2"])
            // Newest by the frame's time, whatever the order they arrived in: a late frame lists after the newer.
            var late = joined
            let lateInput = Self.detection(30)
            late.absorb(lateInput, snapshot: nil)
            let d3 = StoredDetection(id: "d-0-late", input: lateInput, snapshot: nil, receivedAt: lateInput.time, outcome: .joined, candidateID: c.id)
            try await store.writeDetection(DetectionWrite(detection: d3, candidate: late, expectedVersion: 2, previousLatest: nil))
            #expect(try await store.detections(candidateID: c.id, limit: 10).map(\.id) == ["d-2", "d-0-late", "d-c-1"])

            // A new candidate of the scene replaces the latest only from the one read.
            let (next, nextDetection) = Self.opened("c-2", at: 4000)
            await #expect(throws: DomainError.candidateChanged) {
                try await store.writeDetection(DetectionWrite(detection: nextDetection, candidate: next, expectedVersion: nil, previousLatest: "c-other"))
            }
            try await store.writeDetection(DetectionWrite(detection: nextDetection, candidate: next, expectedVersion: nil, previousLatest: c.id))
            #expect(try await store.latestCandidate(key: Self.key())?.candidate.id == "c-2")

            // A detection without a candidate (below the score, outside the zones) is kept for the record.
            let dropped = StoredDetection(id: "d-low", input: Self.detection(10), snapshot: nil, receivedAt: Self.t0, outcome: .belowScore, candidateID: nil)
            #expect(try await store.writeDetection(DetectionWrite(detection: dropped, candidate: nil, expectedVersion: nil, previousLatest: nil)) == nil)
            #expect(try await store.detection(id: "d-low") == dropped)
        }
    }

    @Test("the queue pages by last seen and ID: candidates seen at the same moment are neither skipped nor repeated", arguments: StoreKind.allCases)
    func queuePagingTies(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.saveCameras([Self.camera])
            for (i, at) in [0.0, 500, 500, 500].enumerated() {
                let key = CandidateKey(cameraID: "cam-1", type: .exposedGarbage, zoneID: "z\(i)", sampled: false)
                let (c, d) = Self.opened("t-\(i)", at: at, key: key)
                try await store.writeDetection(DetectionWrite(detection: d, candidate: c, expectedVersion: nil, previousLatest: nil))
            }
            var seen: [CandidateID] = []
            var query = CandidateQuery(limit: 2)
            while true {
                let page = try await store.candidates(query)
                seen += page.map(\.candidate.id)
                guard page.count == query.limit, let last = page.last else { break }
                query.before = last.candidate.lastSeen
                query.beforeID = last.candidate.id
            }
            #expect(seen == ["t-3", "t-2", "t-1", "t-0"])
            // Without the ID a page after a tie skips the rest of it.
            #expect(try await store.candidates(CandidateQuery(before: Self.t0.addingTimeInterval(500), limit: 9)).map(\.candidate.id) == ["t-0"])
        }
    }

    @Test("reviews write at the version read; the queue lists by state, camera, type and sampling, newest seen first; reviews give precision facts",
          arguments: StoreKind.allCases)
    func reviewQueue(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.saveCameras([Self.camera])
            var written: [DetectionCandidate] = []
            for (i, (type, sampled)) in [(DetectionType.exposedGarbage, false), (.illegalParking, false), (.exposedGarbage, true)].enumerated() {
                let key = CandidateKey(cameraID: "cam-1", type: type, zoneID: nil, sampled: sampled)
                let (c, d) = Self.opened("c-\(i)", at: Double(i) * 100, key: key)
                try await store.writeDetection(DetectionWrite(detection: d, candidate: c, expectedVersion: nil, previousLatest: nil))
                written.append(c)
            }
            #expect(try await store.candidates(CandidateQuery()).map(\.candidate.id) == ["c-2", "c-1", "c-0"])
            #expect(try await store.candidates(CandidateQuery(type: .exposedGarbage)).map(\.candidate.id) == ["c-2", "c-0"])
            #expect(try await store.candidates(CandidateQuery(sampled: false)).map(\.candidate.id) == ["c-1", "c-0"])
            #expect(try await store.candidates(CandidateQuery(cameraID: "cam-9")).isEmpty)
            #expect(try await store.candidates(CandidateQuery(before: Self.t0.addingTimeInterval(150), limit: 1)).map(\.candidate.id) == ["c-1"])

            var rejected = written[0]
            try rejected.review(.reject(.falsePositive, note: "塑料袋 (a plastic bag)"), by: "op-1", at: Self.t0)
            #expect(try await store.updateCandidate(rejected, expectedVersion: 1) == 2)
            await #expect(throws: DomainError.candidateChanged) { try await store.updateCandidate(rejected, expectedVersion: 1) }
            var accepted = written[1]
            try accepted.review(.accept(caseID: "case-1"), by: "op-1", at: Self.t0)
            try await store.updateCandidate(accepted, expectedVersion: 1)
            #expect(try await store.candidate(id: "c-1") == StoredCandidate(candidate: accepted, version: 2))
            #expect(try await store.candidates(CandidateQuery(state: "pending")).map(\.candidate.id) == ["c-2"])
            #expect(try await store.candidates(CandidateQuery(state: "accepted")).map(\.candidate.id) == ["c-1"])
            let facts = try await store.reviewFacts().sorted { $0.type.rawValue < $1.type.rawValue }
            #expect(facts.map(\.outcome) == [.falsePositive, .truePositive])
            #expect(facts.map(\.type) == [.exposedGarbage, .illegalParking])
        }
    }

    @Test("re-checks are saved, replaced and listed while waiting", arguments: StoreKind.allCases)
    func rechecks(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var first = StoredRecheck(recheck: try CameraRecheck(caseID: "case-1", scene: Self.key(), requestedAt: Self.t0), candidateID: "c-1")
            let second = StoredRecheck(recheck: try CameraRecheck(caseID: "case-2", scene: Self.key(.illegalParking), requestedAt: Self.t0.addingTimeInterval(5)), candidateID: "c-2")
            try await store.saveRecheck(second)
            try await store.saveRecheck(first)
            #expect(try await store.waitingRechecks(cameraID: nil).map(\.recheck.caseID) == ["case-1", "case-2"])
            #expect(try await store.waitingRechecks(cameraID: "cam-9").isEmpty)
            first.recheck.expire(now: Self.t0.addingTimeInterval(4000), lastContact: Self.t0.addingTimeInterval(1700), camera: Self.camera)
            #expect(try await store.settleRecheck(first))
            #expect(try await store.recheck(caseID: "case-1") == first)
            // Settled once: a second verdict (another node's) is not saved.
            var other = first
            other.recheck.state = .inconclusive
            #expect(try await !store.settleRecheck(other))
            #expect(try await store.recheck(caseID: "case-1") == first)
            #expect(try await !store.settleRecheck(StoredRecheck(recheck: try CameraRecheck(caseID: "case-9", scene: Self.key(), requestedAt: Self.t0), candidateID: "c-9")))
            #expect(try await store.waitingRechecks(cameraID: "cam-1").map(\.recheck.caseID) == ["case-2"])
        }
    }
}
