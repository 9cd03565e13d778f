import Foundation

/// What makes detections one scene (同一场景): the same camera, type and zone. Sampled detections (below the score
/// threshold, kept for review) form their own candidates: the sample must stay a blind sample of what the threshold
/// drops, neither hidden in nor inflating a candidate that counted.
public struct CandidateKey: Hashable, Codable, Sendable {
    /// The camera.
    public var cameraID: CameraID
    /// The detection type.
    public var type: DetectionType
    /// The zone, nil when the camera has no zones.
    public var zoneID: String?
    /// Whether this is the stream of sampled below-threshold detections.
    public var sampled: Bool

    /// Creates a key.
    public init(cameraID: CameraID, type: DetectionType, zoneID: String?, sampled: Bool = false) {
        self.cameraID = cameraID
        self.type = type
        self.zoneID = zoneID
        self.sampled = sampled
    }

    /// Whether a detection of another stream (sampled or not) is of the same scene: camera, type and zone.
    public func isSameScene(as other: CandidateKey) -> Bool {
        cameraID == other.cameraID && type == other.type && zoneID == other.zoneID
    }
}
