import Foundation

/// What became of one detection a camera posted.
public enum DetectionOutcome: String, Hashable, Codable, Sendable, CaseIterable {
    /// It opened a new candidate (候选事件).
    case opened
    /// It joined the candidate of its scene (same camera, type and zone within the window).
    case joined
    /// Arrived out of order, too late for the newest candidate of its scene and within the window of an earlier one:
    /// kept for the record, grouped nowhere.
    case late
    /// Below its type's score threshold and not sampled: kept for the record, no candidate.
    case belowScore
    /// The camera has zones and the detection's ground point lies in none that takes its type.
    case outsideZones
    /// Outside the camera's schedules (时段).
    case outOfSchedule
    /// A type the camera is not set to report.
    case typeNotAllowed
    /// The camera is switched off in the registry.
    case cameraInactive

    /// Whether the detection joined or opened a candidate.
    public var grouped: Bool { self == .opened || self == .joined }
}

/// A detection as stored: what the camera said, its snapshot, and what became of it.
public struct StoredDetection: Hashable, Codable, Sendable {
    /// The detection's ID: the camera's own event ID, or one derived from its content (a repost is the same detection).
    public var id: DetectionID
    /// What the camera posted.
    public var input: DetectionInput
    /// The snapshot's media ID (content hash), when one was sent.
    public var snapshot: String?
    /// When CityLoop received it.
    public var receivedAt: Date
    /// What became of it.
    public var outcome: DetectionOutcome
    /// The candidate it opened or joined.
    public var candidateID: CandidateID?

    /// Creates a stored detection.
    public init(id: DetectionID, input: DetectionInput, snapshot: String?, receivedAt: Date, outcome: DetectionOutcome, candidateID: CandidateID?) {
        self.id = id
        self.input = input
        self.snapshot = snapshot
        self.receivedAt = receivedAt
        self.outcome = outcome
        self.candidateID = candidateID
    }
}

/// A candidate with its version: every write of a candidate names the version it read, so two nodes (or a reviewer
/// and a detection) never overwrite each other.
public struct StoredCandidate: Hashable, Codable, Sendable {
    /// The candidate.
    public var candidate: DetectionCandidate
    /// Its version, 1 when opened, one more with every write.
    public var version: Int

    /// Creates a stored candidate.
    public init(candidate: DetectionCandidate, version: Int) {
        self.candidate = candidate
        self.version = version
    }
}

/// One detection written with the candidate it opened or joined, in one transaction.
public struct DetectionWrite: Hashable, Sendable {
    /// The detection.
    public var detection: StoredDetection
    /// The candidate as it is after the detection: opened (version nil) or joined (the version read).
    public var candidate: DetectionCandidate?
    /// The version of `candidate` that was read, nil when the detection opened it.
    public var expectedVersion: Int?
    /// For an opened candidate: the candidate that was the latest of its key when read (nil: none). The write fails
    /// with a conflict when another candidate has become the latest meanwhile (another node opened one first).
    public var previousLatest: CandidateID?

    /// Creates a write.
    public init(detection: StoredDetection, candidate: DetectionCandidate?, expectedVersion: Int?, previousLatest: CandidateID?) {
        self.detection = detection
        self.candidate = candidate
        self.expectedVersion = expectedVersion
        self.previousLatest = previousLatest
    }
}

/// Which candidates to list (the review queue 复核队列): newest seen first.
public struct CandidateQuery: Hashable, Sendable {
    /// Only candidates in this state (by `DetectionCandidate.State.name`: `pending`, `accepted`, …).
    public var state: String?
    /// Only this camera's.
    public var cameraID: CameraID?
    /// Only these cameras' (an inspector's, looking into their grids); nil: every camera.
    public var cameraIDs: Set<CameraID>?
    /// Only this type's.
    public var type: DetectionType?
    /// Only sampled (true) or only counted (false) candidates.
    public var sampled: Bool?
    /// Only candidates last seen before this time (the next page).
    public var before: Date?
    /// With `before`: also the candidates last seen exactly at `before` whose ID sorts before this one (the last of
    /// the previous page), so candidates seen at the same moment are neither skipped nor listed twice across pages.
    public var beforeID: CandidateID?
    /// At most this many.
    public var limit: Int

    /// Creates a query.
    public init(
        state: String? = nil, cameraID: CameraID? = nil, type: DetectionType? = nil, sampled: Bool? = nil, before: Date? = nil,
        beforeID: CandidateID? = nil, limit: Int = 100
    ) {
        self.state = state
        self.cameraID = cameraID
        self.type = type
        self.sampled = sampled
        self.before = before
        self.beforeID = beforeID
        self.limit = limit
    }
}

/// A camera re-check (摄像头复核) of a case, as stored.
public struct StoredRecheck: Hashable, Codable, Sendable {
    /// The re-check.
    public var recheck: CameraRecheck
    /// The candidate the case came from.
    public var candidateID: CandidateID

    /// Creates a stored re-check.
    public init(recheck: CameraRecheck, candidateID: CandidateID) {
        self.recheck = recheck
        self.candidateID = candidateID
    }
}

/// The camera registry, detections, candidates, the detection policies and camera re-checks (AI 视频识别). One
/// conformance suite runs on every store.
public protocol CameraStore: Sendable {
    /// Registers cameras, or replaces those with the same ID.
    func saveCameras(_ cameras: [Camera]) async throws
    /// The camera with this ID.
    func camera(id: CameraID) async throws -> Camera?
    /// Every camera, in ID order.
    func cameras() async throws -> [Camera]
    /// Records that a camera was heard from at `time` (a detection or a heartbeat); an earlier time changes nothing.
    func noteCameraContact(_ id: CameraID, at time: Date) async throws
    /// When each camera was last heard from.
    func cameraContacts() async throws -> [CameraID: Date]
    /// The policies the administrator set, by type (types without one use the defaults).
    func detectionPolicies() async throws -> [DetectionType: DetectionPolicy]
    /// Sets the policies of the given types, replacing theirs.
    func saveDetectionPolicies(_ policies: [DetectionType: DetectionPolicy]) async throws
    /// The stored detection with this ID.
    func detection(id: DetectionID) async throws -> StoredDetection?
    /// A candidate's detections, newest first, at most `limit`.
    func detections(candidateID: CandidateID, limit: Int) async throws -> [StoredDetection]
    /// The latest candidate (by when it opened) of a scene key.
    func latestCandidate(key: CandidateKey) async throws -> StoredCandidate?
    /// Writes a detection with its candidate in one transaction; returns the candidate's new version (nil without
    /// one). Throws `conflict` when the candidate changed since it was read, another became the latest of its key,
    /// or the detection's ID is stored already.
    @discardableResult
    func writeDetection(_ write: DetectionWrite) async throws -> Int?
    /// The candidate with this ID.
    func candidate(id: CandidateID) async throws -> StoredCandidate?
    /// Candidates matching the query, last seen newest first.
    func candidates(_ query: CandidateQuery) async throws -> [StoredCandidate]
    /// Replaces a candidate (a review, auto-filing) if it is still at `expectedVersion`; returns the new version, or
    /// throws `conflict`.
    @discardableResult
    func updateCandidate(_ candidate: DetectionCandidate, expectedVersion: Int) async throws -> Int
    /// What every reviewed candidate says about its models (the precision reducer's input).
    func reviewFacts() async throws -> [CandidateReviewFact]
    /// Saves a re-check, replacing the one of the same case.
    func saveRecheck(_ recheck: StoredRecheck) async throws
    /// Saves a re-check's verdict only while the stored one is still waiting; whether it did (another node may have
    /// settled it first).
    func settleRecheck(_ recheck: StoredRecheck) async throws -> Bool
    /// The re-check of a case.
    func recheck(caseID: CaseID) async throws -> StoredRecheck?
    /// Re-checks still waiting (of one camera when given).
    func waitingRechecks(cameraID: CameraID?) async throws -> [StoredRecheck]
}

extension DomainError {
    /// A candidate or detection written by someone else first (409): read it again and retry.
    public static let candidateChanged = DomainError(
        .conflict, code: "candidate.changed", "the candidate was changed by someone else meanwhile: read it again")
}

extension CandidateKey {
    /// The key as one text, for stores' unique columns: camera, type, zone and the sampled flag, separated by a unit
    /// separator (which no camera ID or zone ID contains).
    public var sceneText: String { "\(cameraID.rawValue)\u{1F}\(type.rawValue)\u{1F}\(zoneID ?? "")\u{1F}\(sampled ? 1 : 0)" }
}
