import CityLoopDomain
import Crypto
import Foundation

/// What became of a posted detection: the answer to the camera.
public struct DetectionReceipt: Codable, Sendable, Equatable {
    /// The detection's ID.
    public var detection: DetectionID
    /// What became of it.
    public var outcome: DetectionOutcome
    /// The candidate it opened or joined.
    public var candidate: CandidateID?
    /// The candidate's state after it (`pending`, `auto_filed`, …).
    public var candidateState: String?
    /// The case the candidate was filed as or merged into, when it was.
    public var caseID: CaseID?
    /// The snapshot's media ID.
    public var snapshot: String?
    /// True when the same detection had been received before (a camera retrying): nothing was stored again.
    public var repeated: Bool
}

/// Detections into candidates (AI 识别接入): every channel (the HTTP endpoint, MQTT) hands a camera's detection here.
/// It is checked (fields, a known camera, a real image of at most `maxSnapshotBytes`), its snapshot stored, screened
/// against the camera's schedules, types and zones and the type's score threshold, and grouped with the candidate of
/// its scene (camera + type + zone within the type's window) so that a stationary object is one candidate, not an
/// alert a minute. A candidate of a type whose measured precision passed the administrator's threshold is filed at
/// once. The answer is given after the detection and its candidate are committed; a candidate opened or grown goes out
/// on the live feed then (`candidate` events, which the review queue refreshes on).
///
/// Per node: cameras, policies and the precision table are read at most every `referenceSeconds`; detections of one
/// scene are grouped one at a time on this node, and across nodes by the candidates' versions (a conflicting write is
/// read again and retried).
public actor DetectionIntake {
    private let store: any CityStore
    private let media: any MediaStore
    private let clock: any CityClock
    private let ids: any IDGenerator
    /// Where a candidate written goes out to the open review queues; nil: nowhere.
    private let live: LiveFeed?
    /// Files a trusted candidate (`DetectionCases.autoFile`), set by the platform.
    private var fileTrusted: (@Sendable (StoredCandidate, Camera, DetectionPolicy) async throws -> Void)?
    /// Hands a grouped detection to the camera re-checks (`CameraRechecks.observe`), set by the platform.
    private var grouped: (@Sendable (DetectionInput, CandidateKey, String?) async throws -> Void)?
    /// The largest snapshot accepted, in bytes.
    public let maxSnapshotBytes: Int
    private var cameraCache: (cameras: [CameraID: Camera], readAt: Date)?
    private var policyCache: (policies: [DetectionType: DetectionPolicy], readAt: Date)?
    private var precisionCache: (precision: DetectionPrecision, readAt: Date)?
    private var busyScenes: [CandidateKey: [CheckedContinuation<Void, Never>]] = [:]
    /// How long cameras and policies read are used before they are read again.
    static let referenceSeconds: TimeInterval = 5
    /// How long the precision table is used before it is computed again.
    static let precisionSeconds: TimeInterval = 30
    /// The default largest snapshot: 4 MiB (a 4K JPEG frame is about 1 MiB).
    public static let defaultMaxSnapshotBytes = 4 * 1024 * 1024

    /// Creates an intake over a store and the media store the snapshots go to; the candidates it writes are published
    /// on `live`.
    public init(
        store: any CityStore, media: any MediaStore, clock: any CityClock, ids: any IDGenerator, live: LiveFeed? = nil,
        maxSnapshotBytes: Int = defaultMaxSnapshotBytes
    ) {
        self.store = store
        self.media = media
        self.clock = clock
        self.ids = ids
        self.live = live
        self.maxSnapshotBytes = maxSnapshotBytes
    }

    /// Sets what files a candidate whose model is trusted for its type, and what takes in grouped detections for the
    /// re-checks.
    public func on(
        trusted: @escaping @Sendable (StoredCandidate, Camera, DetectionPolicy) async throws -> Void,
        grouped: @escaping @Sendable (DetectionInput, CandidateKey, String?) async throws -> Void
    ) {
        fileTrusted = trusted
        self.grouped = grouped
    }

    /// Forgets the cameras, policies and precision read, so the next detection reads them again (after a change here).
    public func referenceChanged() {
        cameraCache = nil
        policyCache = nil
        precisionCache = nil
    }

    /// Takes in one detection with its snapshot. `eventID` is the camera's own ID of the event, when it sends one
    /// (1–64 letters, digits or `_ . : -`); without it the ID is derived from the detection's content, so a repost of
    /// the same detection is recognised either way and answered as before.
    public func receive(_ input: DetectionInput, eventID: String?, snapshot: Data?) async throws -> DetectionReceipt {
        let now = clock.now()
        try input.validate(now: now)
        guard let camera = try await camera(input.cameraID, now: now) else {
            throw DomainError(.invalidInput, code: "detection.unknown_camera", "camera '\(input.cameraID)' is not registered", field: "camera")
        }
        let id = try Self.detectionID(input, eventID: eventID)
        if let stored = try await store.detection(id: id) { return try await receipt(stored, repeated: true) }
        if let snapshot { try Self.checkSnapshot(snapshot, maxBytes: maxSnapshotBytes) }
        let policy = DetectionPolicy.policy(for: input.type, in: try await policies(now: now))
        let screening = DetectionScreening.screen(input, id: id, camera: camera, policy: policy)
        guard let key = screening.key(for: input) else {
            // Screened out: kept for the record without its snapshot (nobody reviews it).
            let stored = StoredDetection(id: id, input: input, snapshot: nil, receivedAt: now, outcome: Self.outcome(of: screening), candidateID: nil)
            do {
                try await write(DetectionWrite(detection: stored, candidate: nil, expectedVersion: nil, previousLatest: nil))
            } catch let e as DomainError where e == .candidateChanged {
                // The same detection posted twice at once: answered from what the other stored.
                guard let other = try await store.detection(id: id) else { throw e }
                return try await receipt(other, repeated: true)
            }
            return try await receipt(stored, repeated: false)
        }
        var mediaID: String?
        if let snapshot { mediaID = try await media.put(snapshot, contentType: MediaRules.sniff(snapshot) ?? "image/jpeg").id }
        await lock(key)
        defer { unlock(key) }
        var result: (StoredDetection, StoredCandidate?)?
        for attempt in 1...5 {
            do {
                result = try await group(input, id: id, key: key, policy: policy, snapshot: mediaID, now: now)
                break
            } catch let e as DomainError where e == .candidateChanged && attempt < 5 {
                // Another node wrote the scene's candidate first: read it again. A repost racing this one is answered
                // from what the other stored.
                if let stored = try await store.detection(id: id) { return try await receipt(stored, repeated: true) }
            }
        }
        guard let (stored, candidate) = result else { throw DomainError.candidateChanged }
        // The detection is committed: what follows never turns the camera's answer into an error. A candidate that
        // cannot be filed now stays pending for a reviewer; a re-check that cannot record its verdict keeps waiting.
        if let candidate { live?.publish(LiveItem(event: LiveEvent(candidate: candidate.candidate, at: now), record: nil)) }
        if let candidate, stored.outcome == .opened, !candidate.candidate.sampled {
            try? await autoFileIfTrusted(candidate, camera: camera, policy: policy, now: now)
        }
        if stored.outcome.grouped, let grouped { try? await grouped(input, key, mediaID) }
        return try await receipt(stored, repeated: false)
    }

    /// Records that a camera is alive (a heartbeat): re-checks read it as the camera having watched.
    public func heartbeat(_ cameraID: CameraID) async throws {
        let now = clock.now()
        guard try await camera(cameraID, now: now) != nil else { throw DomainError.notFound("camera", cameraID.rawValue) }
        try await store.noteCameraContact(cameraID, at: now)
    }

    private func group(
        _ input: DetectionInput, id: DetectionID, key: CandidateKey, policy: DetectionPolicy, snapshot: String?, now: Date
    ) async throws -> (StoredDetection, StoredCandidate?) {
        let latest = try await store.latestCandidate(key: key)
        switch DetectionCandidate.group(input, key: key, into: latest?.candidate, policy: policy) {
        case .join:
            var c = latest!.candidate
            c.absorb(input, snapshot: snapshot)
            let stored = StoredDetection(id: id, input: input, snapshot: snapshot, receivedAt: now, outcome: .joined, candidateID: c.id)
            let version = try await write(DetectionWrite(detection: stored, candidate: c, expectedVersion: latest!.version, previousLatest: nil))
            return (stored, StoredCandidate(candidate: c, version: version ?? latest!.version + 1))
        case .open(let after):
            let c = DetectionCandidate(
                id: CandidateID(ids.next()), key: key, matterCode: policy.matterCode, first: input, snapshot: snapshot, openedAfter: after)
            let stored = StoredDetection(id: id, input: input, snapshot: snapshot, receivedAt: now, outcome: .opened, candidateID: c.id)
            try await write(DetectionWrite(detection: stored, candidate: c, expectedVersion: nil, previousLatest: latest?.candidate.id))
            return (stored, StoredCandidate(candidate: c, version: 1))
        case .late:
            // An out-of-order detection within the window of an earlier candidate: kept, counted nowhere.
            let stored = StoredDetection(id: id, input: input, snapshot: snapshot, receivedAt: now, outcome: .late, candidateID: nil)
            try await write(DetectionWrite(detection: stored, candidate: nil, expectedVersion: nil, previousLatest: nil))
            return (stored, nil)
        }
    }

    @discardableResult
    private func write(_ w: DetectionWrite) async throws -> Int? { try await store.writeDetection(w) }

    private func autoFileIfTrusted(_ stored: StoredCandidate, camera: Camera, policy: DetectionPolicy, now: Date) async throws {
        let c = stored.candidate
        guard policy.autoFilePrecision != nil else { return }
        let precision = try await precision(now: now)
        guard c.models.contains(where: { DetectionPrecision.autoFile(type: c.type, model: $0, precision: precision, policy: policy) }) else { return }
        // The candidate is stored: a failure to file it leaves it pending for a reviewer, never loses it.
        try? await fileTrusted?(stored, camera, policy)
    }

    private func receipt(_ d: StoredDetection, repeated: Bool) async throws -> DetectionReceipt {
        var out = DetectionReceipt(
            detection: d.id, outcome: d.outcome, candidate: d.candidateID, candidateState: nil, caseID: nil, snapshot: d.snapshot, repeated: repeated)
        if let id = d.candidateID, let c = try await store.candidate(id: id)?.candidate {
            out.candidateState = c.state.name
            out.caseID = c.caseID
        }
        return out
    }

    static func outcome(of screening: DetectionScreening) -> DetectionOutcome {
        switch screening {
        case .cameraInactive: .cameraInactive
        case .outOfSchedule: .outOfSchedule
        case .typeNotAllowed: .typeNotAllowed
        case .outsideZones: .outsideZones
        case .belowScore: .belowScore
        case .accepted: .opened
        }
    }

    /// The detection's ID: the camera's event ID, or a hash of what makes it this detection (camera, time, type,
    /// model and boxes), so the same detection posted twice has one ID.
    static func detectionID(_ input: DetectionInput, eventID: String?) throws -> DetectionID {
        if let eventID {
            let ok = (1...64).contains(eventID.utf8.count)
                && eventID.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || "_.:-".utf8.contains($0) }
            guard ok else { throw DomainError.invalid("id", "id must be 1–64 letters, digits or _ . : -", code: "detection.id") }
            return DetectionID("\(input.cameraID.rawValue):\(eventID)")
        }
        let ms = Int64((input.time.timeIntervalSince1970 * 1000).rounded())
        var text = "\(input.cameraID.rawValue)|\(ms)|\(input.type.rawValue)|\(input.modelKey)|\(input.trackID ?? "")"
        for b in input.boxes { text += "|\(b.x),\(b.y),\(b.width),\(b.height)" }
        let digest = SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
        return DetectionID("\(input.cameraID.rawValue):\(digest.prefix(32))")
    }

    /// Checks a snapshot: not empty, at most `maxBytes`, a JPEG, PNG or WebP image whose pixel size can be read.
    public static func checkSnapshot(_ data: Data, maxBytes: Int) throws {
        guard !data.isEmpty else { throw DomainError.invalid("snapshot", "the snapshot is empty", code: "detection.snapshot_empty") }
        guard data.count <= maxBytes else {
            throw DomainError(.tooLarge, code: "detection.snapshot_too_large", "the snapshot has \(data.count) bytes; the limit is \(maxBytes)", field: "snapshot")
        }
        let type = MediaRules.sniff(data)
        let facts = ImageFacts.read(data)
        guard ["image/jpeg", "image/png", "image/webp"].contains(type), facts.width != nil, facts.height != nil else {
            throw DomainError(
                .unsupportedMedia, code: "detection.snapshot_not_image", "the snapshot is not a readable JPEG, PNG or WebP image", field: "snapshot")
        }
    }

    // MARK: Per-node reference

    private func camera(_ id: CameraID, now: Date) async throws -> Camera? {
        // An unknown camera is unknown until the registry is read again: posts naming made-up cameras read nothing.
        if let c = cameraCache, now.timeIntervalSince(c.readAt) < Self.referenceSeconds { return c.cameras[id] }
        let all = try await store.cameras()
        cameraCache = (Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) }), now)
        return cameraCache?.cameras[id]
    }

    /// The policies in force: the administrator's over the defaults.
    func policies(now: Date) async throws -> [DetectionType: DetectionPolicy] {
        if let p = policyCache, now.timeIntervalSince(p.readAt) < Self.referenceSeconds { return p.policies }
        let merged = DetectionPolicy.defaults.merging(try await store.detectionPolicies()) { $1 }
        policyCache = (merged, now)
        return merged
    }

    private func precision(now: Date) async throws -> DetectionPrecision {
        if let p = precisionCache, now.timeIntervalSince(p.readAt) < Self.precisionSeconds { return p.precision }
        let p = DetectionPrecision(facts: try await store.reviewFacts())
        precisionCache = (p, now)
        return p
    }

    // MARK: One scene at a time

    private func lock(_ key: CandidateKey) async {
        if busyScenes[key] == nil {
            busyScenes[key] = []
            return
        }
        await withCheckedContinuation { busyScenes[key]!.append($0) }
    }

    private func unlock(_ key: CandidateKey) {
        guard var waiting = busyScenes[key], !waiting.isEmpty else {
            busyScenes[key] = nil
            return
        }
        let next = waiting.removeFirst()
        busyScenes[key] = waiting
        next.resume()
    }
}
