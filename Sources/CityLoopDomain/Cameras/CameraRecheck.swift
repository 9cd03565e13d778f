import Foundation

/// A check by camera (视频核查) of a case that came from a candidate: once the department reports the problem handled,
/// the camera watches the scene for a window instead of (or before) sending an inspector. A detection of the same
/// camera, type and zone after the request says the problem is still there; a camera heard from late in the window
/// with no such detection says it is gone; a silent camera proves nothing.
///
/// Only detections that screening accepted count (score at or above the threshold, in schedule and zone): a sampled
/// below-threshold detection (its key marked `sampled`) is ignored, as it would be for filing.
public struct CameraRecheck: Hashable, Codable, Sendable {
    /// Where the check stands.
    public enum State: Hashable, Codable, Sendable {
        /// Watching until this instant.
        case waiting(until: Date)
        /// A matching detection at this time, with its snapshot (media ID) when it had one: not handled.
        case stillPresent(detectionTime: Date, snapshot: String?)
        /// The window passed with no matching detection while the camera was heard from at this time, late enough in
        /// the window to have seen the scene: evidence the problem is gone.
        case absent(lastContact: Date)
        /// The window passed and the camera was silent in its second half: no evidence either way.
        case inconclusive

        /// Whether the check has reached a verdict.
        public var isFinal: Bool {
            if case .waiting = self { return false }
            return true
        }
    }

    /// The case being checked.
    public var caseID: CaseID
    /// The camera, type and zone watched.
    public var scene: CandidateKey
    /// When the check was requested.
    public var requestedAt: Date
    /// How long the camera watches, in seconds.
    public var window: TimeInterval
    /// Where it stands.
    public var state: State

    /// The default window: half an hour.
    public static let defaultWindow: TimeInterval = 1800

    /// Starts a check of `scene` (a candidate's key; the sampled flag is ignored) requested at `requestedAt`.
    /// Throws when the window is not 60...86400 seconds.
    public init(caseID: CaseID, scene: CandidateKey, requestedAt: Date, window: TimeInterval = defaultWindow) throws {
        guard window.isFinite, (60...86_400).contains(window) else {
            throw DomainError.invalid("window", "window must be 60–86400 seconds", code: "recheck.window")
        }
        self.caseID = caseID
        self.scene = CandidateKey(cameraID: scene.cameraID, type: scene.type, zoneID: scene.zoneID, sampled: false)
        self.requestedAt = requestedAt
        self.window = window
        state = .waiting(until: requestedAt.addingTimeInterval(window))
    }

    /// The end of the window.
    public var until: Date { requestedAt.addingTimeInterval(window) }

    /// Takes in a detection screened under `key`: an accepted one (not sampled) of the same scene, taken after the
    /// request and within the window, settles the check as `stillPresent`. Anything else, or a check already settled,
    /// is left as it is. Returns whether the state changed.
    @discardableResult
    public mutating func observe(_ detection: DetectionInput, key: CandidateKey, snapshot: String?) -> Bool {
        guard case .waiting = state, !key.sampled, key.isSameScene(as: scene), detection.time > requestedAt, detection.time <= until
        else {
            return false
        }
        state = .stillPresent(detectionTime: detection.time, snapshot: snapshot)
        return true
    }

    /// Settles a waiting check once `now` is past the window: `absent` when the camera was last heard from (any
    /// detection or heartbeat) at or after the window's middle and could have seen the scene in the window's second
    /// half (`Camera.watches`: active, the type, the zone, its schedules — `camera` as it is now), else
    /// `inconclusive`. Before the window ends, or once settled, nothing changes. Returns whether the state changed.
    @discardableResult
    public mutating func expire(now: Date, lastContact: Date?, camera: Camera?) -> Bool {
        guard case .waiting = state, now >= until else { return false }
        let middle = requestedAt.addingTimeInterval(window / 2)
        if let contact = lastContact, contact >= middle, camera?.watches(scene, from: middle, to: until) == true {
            state = .absent(lastContact: contact)
        } else {
            state = .inconclusive
        }
        return true
    }
}
