import CityLoopDomain
import Foundation

/// The in-memory store's cameras, detections, candidates, policies and re-checks.
struct InMemoryCameras {
    var cameras: [CameraID: Camera] = [:]
    var contacts: [CameraID: Date] = [:]
    var policies: [DetectionType: DetectionPolicy] = [:]
    var detections: [DetectionID: StoredDetection] = [:]
    var candidates: [CandidateID: StoredCandidate] = [:]
    var latest: [CandidateKey: CandidateID] = [:]
    var rechecks: [CaseID: StoredRecheck] = [:]
}

extension InMemoryStore {
    /// Registers or replaces cameras.
    public func saveCameras(_ cameras: [Camera]) async throws { for c in cameras { cameraData.cameras[c.id] = c } }

    /// The camera with this ID.
    public func camera(id: CameraID) async throws -> Camera? { cameraData.cameras[id] }

    /// Every camera in ID order.
    public func cameras() async throws -> [Camera] { cameraData.cameras.values.sorted { $0.id < $1.id } }

    /// Records contact with a camera.
    public func noteCameraContact(_ id: CameraID, at time: Date) async throws {
        guard cameraData.cameras[id] != nil else { return }
        if let seen = cameraData.contacts[id], seen >= time { return }
        cameraData.contacts[id] = time
    }

    /// When each camera was last heard from.
    public func cameraContacts() async throws -> [CameraID: Date] { cameraData.contacts }

    /// The administrator's policies.
    public func detectionPolicies() async throws -> [DetectionType: DetectionPolicy] { cameraData.policies }

    /// Sets policies.
    public func saveDetectionPolicies(_ policies: [DetectionType: DetectionPolicy]) async throws {
        cameraData.policies.merge(policies) { $1 }
    }

    /// A stored detection.
    public func detection(id: DetectionID) async throws -> StoredDetection? { cameraData.detections[id] }

    /// A candidate's detections, newest first.
    public func detections(candidateID: CandidateID, limit: Int) async throws -> [StoredDetection] {
        Array(
            cameraData.detections.values.filter { $0.candidateID == candidateID }
                .sorted { ($0.input.time, $0.id) > ($1.input.time, $1.id) }.prefix(max(0, limit)))
    }

    /// The latest candidate of a scene.
    public func latestCandidate(key: CandidateKey) async throws -> StoredCandidate? {
        cameraData.latest[key].flatMap { cameraData.candidates[$0] }
    }

    /// Writes a detection with its candidate.
    public func writeDetection(_ write: DetectionWrite) async throws -> Int? {
        guard cameraData.detections[write.detection.id] == nil else { throw DomainError.candidateChanged }
        var version: Int?
        if let c = write.candidate {
            if let expected = write.expectedVersion {
                guard cameraData.candidates[c.id]?.version == expected else { throw DomainError.candidateChanged }
                version = expected + 1
            } else {
                guard cameraData.candidates[c.id] == nil, cameraData.latest[c.key] == write.previousLatest else { throw DomainError.candidateChanged }
                cameraData.latest[c.key] = c.id
                version = 1
            }
            cameraData.candidates[c.id] = StoredCandidate(candidate: c, version: version!)
        }
        cameraData.detections[write.detection.id] = write.detection
        try await noteCameraContact(write.detection.input.cameraID, at: write.detection.receivedAt)
        return version
    }

    /// A candidate.
    public func candidate(id: CandidateID) async throws -> StoredCandidate? { cameraData.candidates[id] }

    /// Candidates matching the query, last seen newest first.
    public func candidates(_ q: CandidateQuery) async throws -> [StoredCandidate] {
        Array(
            cameraData.candidates.values.filter {
                let c = $0.candidate
                return (q.state == nil || c.state.name == q.state) && (q.cameraID == nil || c.cameraID == q.cameraID)
                    && (q.cameraIDs.map { $0.contains(c.cameraID) } ?? true)
                    && (q.type == nil || c.type == q.type) && (q.sampled == nil || c.sampled == q.sampled) 
                    && (q.before.map { b in c.lastSeen < b || (c.lastSeen == b && q.beforeID.map { c.id.rawValue < $0.rawValue } ?? false) } ?? true)
            }
            .sorted { ($0.candidate.lastSeen, $0.candidate.id) > ($1.candidate.lastSeen, $1.candidate.id) }
            .prefix(max(0, q.limit)))
    }

    /// Replaces a candidate at its expected version.
    public func updateCandidate(_ candidate: DetectionCandidate, expectedVersion: Int) async throws -> Int {
        guard cameraData.candidates[candidate.id]?.version == expectedVersion else { throw DomainError.candidateChanged }
        cameraData.candidates[candidate.id] = StoredCandidate(candidate: candidate, version: expectedVersion + 1)
        return expectedVersion + 1
    }

    /// The facts of every reviewed candidate.
    public func reviewFacts() async throws -> [CandidateReviewFact] { cameraData.candidates.values.compactMap(\.candidate.reviewFact) }

    /// Saves a re-check.
    public func saveRecheck(_ recheck: StoredRecheck) async throws { cameraData.rechecks[recheck.recheck.caseID] = recheck }

    /// Saves a verdict while the re-check waits.
    public func settleRecheck(_ recheck: StoredRecheck) async throws -> Bool {
        guard let stored = cameraData.rechecks[recheck.recheck.caseID], !stored.recheck.state.isFinal else { return false }
        cameraData.rechecks[recheck.recheck.caseID] = recheck
        return true
    }

    /// The re-check of a case.
    public func recheck(caseID: CaseID) async throws -> StoredRecheck? { cameraData.rechecks[caseID] }

    /// Re-checks still waiting.
    public func waitingRechecks(cameraID: CameraID?) async throws -> [StoredRecheck] {
        cameraData.rechecks.values.filter { !$0.recheck.state.isFinal && (cameraID == nil || $0.recheck.scene.cameraID == cameraID) }
            .sorted { $0.recheck.requestedAt < $1.recheck.requestedAt }
    }
}
