import Foundation

/// What a camera (or the video platform on its behalf) posts for one detection (识别结果): the JSON metadata beside
/// the snapshot, which is uploaded and stored as media separately.
///
/// JSON keys: `camera`, `time`, `type`, `score`, `boxes`, `model`, `modelVersion`, `trackID`.
public struct DetectionInput: Hashable, Codable, Sendable {
    /// The camera that saw it (`camera`).
    public var cameraID: CameraID
    /// When the frame was taken.
    public var time: Date
    /// What the model recognised.
    public var type: DetectionType
    /// The model's confidence, 0...1.
    public var score: Double
    /// The objects' boxes, 1...50, in the picture.
    public var boxes: [DetectionBox]
    /// The model's name: 1–64 letters, digits or `_ . + -`.
    public var model: String
    /// The model's version: 1–32 letters, digits or `_ . + -`.
    public var modelVersion: String
    /// The tracker's ID for the object across frames, when the camera tracks: at most 64 characters.
    public var trackID: String?

    /// How far ahead of the server's clock a detection may be stamped (camera clocks drift), in seconds.
    public static let defaultMaxFutureSeconds: TimeInterval = 300
    /// How old a detection may be when it arrives (a camera uploading its backlog after an outage), in seconds.
    public static let defaultMaxAgeSeconds: TimeInterval = 7 * 86_400
    /// The most boxes one detection may hold.
    public static let maxBoxes = 50

    /// Creates a detection.
    public init(
        cameraID: CameraID, time: Date, type: DetectionType, score: Double, boxes: [DetectionBox], model: String,
        modelVersion: String, trackID: String? = nil
    ) {
        self.cameraID = cameraID
        self.time = time
        self.type = type
        self.score = score
        self.boxes = boxes
        self.model = model
        self.modelVersion = modelVersion
        self.trackID = trackID
    }

    private enum CodingKeys: String, CodingKey {
        case cameraID = "camera", time, type, score, boxes, model, modelVersion, trackID
    }

    /// The model and its version as `name@version`, the key precision is measured by.
    public var modelKey: String { "\(model)@\(modelVersion)" }

    /// The boxes' indices from the highest score to the lowest, boxes without a score counting as the detection's own
    /// score; ties keep the posted order, so with no per-box scores it is the posted order.
    public var boxOrder: [Int] {
        boxes.indices.sorted { a, b in
            let sa = boxes[a].score ?? score, sb = boxes[b].score ?? score
            return sa != sb ? sa > sb : a < b
        }
    }

    /// Throws an invalid-input error naming the JSON field at fault (`boxes[1].width`): a camera ID of 1–64 letters,
    /// digits or `_ . -`; a time at most `maxFutureSeconds` after `now` and at most `maxAgeSeconds` before it; a score
    /// in 0...1; 1...50 valid boxes; model and version of the allowed characters; a track ID of at most 64 characters
    /// without control characters.
    public func validate(
        now: Date, maxFutureSeconds: TimeInterval = defaultMaxFutureSeconds, maxAgeSeconds: TimeInterval = defaultMaxAgeSeconds
    ) throws {
        guard CameraText.isToken(cameraID.rawValue, extra: "_.-", length: 1...64) else {
            throw DomainError.invalid("camera", "camera must be a camera ID of 1–64 letters, digits or _ . -", code: "detection.camera")
        }
        let ahead = time.timeIntervalSince(now)
        guard ahead.isFinite, ahead <= maxFutureSeconds else {
            throw DomainError.invalid(
                "time", "time is \(Int(ahead)) s ahead of the server's clock; at most \(Int(maxFutureSeconds)) s is allowed",
                code: "detection.time_future")
        }
        guard -ahead <= maxAgeSeconds else {
            throw DomainError.invalid(
                "time", "time is \(Int(-ahead)) s old; detections older than \(Int(maxAgeSeconds)) s are not accepted",
                code: "detection.time_stale")
        }
        guard score.isFinite, (0...1).contains(score) else {
            throw DomainError.invalid("score", "score must be a number in 0...1", code: "detection.score")
        }
        guard (1...Self.maxBoxes).contains(boxes.count) else {
            throw DomainError.invalid("boxes", "boxes must hold 1–\(Self.maxBoxes) boxes, not \(boxes.count)", code: "detection.boxes")
        }
        for (i, b) in boxes.enumerated() { try b.validate(at: "boxes[\(i)]") }
        guard CameraText.isToken(model, extra: "_.+-", length: 1...64) else {
            throw DomainError.invalid("model", "model must be 1–64 letters, digits or _ . + -", code: "detection.model")
        }
        guard CameraText.isToken(modelVersion, extra: "_.+-", length: 1...32) else {
            throw DomainError.invalid(
                "modelVersion", "modelVersion must be 1–32 letters, digits or _ . + -", code: "detection.model_version")
        }
        if let trackID {
            guard !CameraText.hasControl(trackID), (1...64).contains(trackID.count) else {
                throw DomainError.invalid(
                    "trackID", "trackID must be 1–64 characters without control characters", code: "detection.track")
            }
        }
    }
}
