import Foundation

/// A candidate event (候选事件): the detections of one scene — one camera, type and zone, close enough in time — that
/// wait for a reviewer (复核) to file, merge or reject them, or that were filed automatically. One candidate, not one
/// alert per frame: a stall seen every minute for an afternoon is one candidate seen 240 times.
public struct DetectionCandidate: Hashable, Codable, Sendable {
    /// Where the candidate stands.
    public enum State: Hashable, Codable, Sendable {
        /// Waiting for review (待复核).
        case pending
        /// Accepted by a reviewer and filed as this case (确认立案).
        case accepted(CaseID)
        /// Rejected by a reviewer (驳回).
        case rejected(RejectReason)
        /// Merged by a reviewer into this existing case (合并).
        case merged(CaseID)
        /// Filed without review because the model is precise enough for the type (自动立案).
        case autoFiled(CaseID)

        /// The stable name, e.g. `auto_filed`.
        public var name: String {
            switch self {
            case .pending: "pending"
            case .accepted: "accepted"
            case .rejected: "rejected"
            case .merged: "merged"
            case .autoFiled: "auto_filed"
            }
        }

        /// The case it was filed as or merged into.
        public var caseID: CaseID? {
            switch self {
            case .accepted(let id), .merged(let id), .autoFiled(let id): id
            case .pending, .rejected: nil
            }
        }

        private enum CodingKeys: String, CodingKey { case status, caseID, reason }

        /// Reads `{"status": "accepted", "caseID": "…"}`, `{"status": "rejected", "reason": "falsePositive"}`.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let status = try c.decode(String.self, forKey: .status)
            switch status {
            case "pending": self = .pending
            case "accepted": self = .accepted(try c.decode(CaseID.self, forKey: .caseID))
            case "merged": self = .merged(try c.decode(CaseID.self, forKey: .caseID))
            case "auto_filed": self = .autoFiled(try c.decode(CaseID.self, forKey: .caseID))
            case "rejected": self = .rejected(try c.decode(RejectReason.self, forKey: .reason))
            default:
                throw DomainError.invalid(
                    "state.status", "unknown candidate status '\(status.prefix(32))'", code: "candidate.state")
            }
        }

        /// Writes the state as its status with the case ID or reason.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .status)
            try c.encodeIfPresent(caseID, forKey: .caseID)
            if case .rejected(let r) = self { try c.encode(r, forKey: .reason) }
        }
    }

    /// The candidate's ID.
    public var id: CandidateID
    /// The camera, type, zone and stream it groups.
    public var key: CandidateKey
    /// The matter class a case of it is filed under.
    public var matterCode: String
    /// The earliest detection's time.
    public var firstSeen: Date
    /// The latest detection's time.
    public var lastSeen: Date
    /// How many detections it holds.
    public var count: Int
    /// The highest score among them.
    public var bestScore: Double
    /// The snapshots kept as evidence, in time order (see `CandidateSnapshot.keeping`).
    public var snapshots: [CandidateSnapshot]
    /// The models that reported it, as `name@version`.
    public var models: Set<String>
    /// The tracker IDs seen, in order of arrival, at most `maxTrackIDs`.
    public var trackIDs: [String]
    /// The latest time of the previous candidate of the same key when this one opened: a late detection within the
    /// window of it joins neither, so two candidates of a key never come within the window of each other.
    public var openedAfter: Date?
    /// Where it stands.
    public var state: State
    /// The reviewer, once reviewed (not set by auto-filing).
    public var reviewedBy: UserID?
    /// When it was reviewed.
    public var reviewedAt: Date?
    /// Why it was rejected.
    public var rejectReason: RejectReason?
    /// The reviewer's note, at most 500 characters.
    public var note: String?

    /// The most tracker IDs a candidate keeps.
    public static let maxTrackIDs = 20

    /// Opens a candidate with its first detection (ID given by the service), after `openedAfter`, the latest time of
    /// the previous candidate of the key (from `GroupingDecision.open`).
    public init(
        id: CandidateID, key: CandidateKey, matterCode: String, first detection: DetectionInput, snapshot: String?,
        openedAfter: Date? = nil
    ) {
        self.id = id
        self.key = key
        self.matterCode = matterCode
        firstSeen = detection.time
        lastSeen = detection.time
        count = 1
        bestScore = detection.score
        snapshots = snapshot.map { [CandidateSnapshot(mediaID: $0, time: detection.time, score: detection.score)] } ?? []
        models = [detection.modelKey]
        trackIDs = detection.trackID.map { [$0] } ?? []
        self.openedAfter = openedAfter
        state = .pending
    }

    /// Whether this is a sampled below-threshold candidate (抽样): shown to reviewers, counted apart in precision.
    public var sampled: Bool { key.sampled }
    /// The camera.
    public var cameraID: CameraID { key.cameraID }
    /// The detection type.
    public var type: DetectionType { key.type }
    /// The zone, nil when the camera has no zones.
    public var zoneID: String? { key.zoneID }
    /// The case it was filed as or merged into.
    public var caseID: CaseID? { state.caseID }
    /// The snapshots' media IDs, in time order.
    public var snapshotIDs: [String] { snapshots.map(\.mediaID) }
}
