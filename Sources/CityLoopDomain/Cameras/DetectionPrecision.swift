import Foundation

/// The reviewed precision of camera detections (识别准确率): per camera, type and model, rolled up per type, per
/// camera, per model and per type and model. A pure reduction of review facts.
///
/// Accepted and merged candidates are true positives; rejections as false positive, unclear image or other reason
/// are false positives; duplicate and out-of-scope rejections are left out (the model saw what was there). Pending
/// and auto-filed candidates are not reviews. A candidate reported by several models (during a rollout) credits
/// each of them; the per-type and per-camera figures count it once.
public struct DetectionPrecision: Hashable, Sendable {
    /// The finest slice: one model of one type on one camera.
    public struct Key: Hashable, Codable, Sendable {
        /// The camera.
        public var cameraID: CameraID
        /// The detection type.
        public var type: DetectionType
        /// The model as `name@version`.
        public var model: String

        /// Creates a key.
        public init(cameraID: CameraID, type: DetectionType, model: String) {
            self.cameraID = cameraID
            self.type = type
            self.model = model
        }
    }

    /// A model's slice of one type, across cameras: what auto-filing is decided on.
    public struct TypeModel: Hashable, Codable, Sendable {
        /// The detection type.
        public var type: DetectionType
        /// The model as `name@version`.
        public var model: String

        /// Creates a key.
        public init(type: DetectionType, model: String) {
            self.type = type
            self.model = model
        }
    }

    /// Figures per camera, type and model.
    public var byKey: [Key: PrecisionFigures] = [:]
    /// Figures per type.
    public var byType: [DetectionType: PrecisionFigures] = [:]
    /// Figures per camera.
    public var byCamera: [CameraID: PrecisionFigures] = [:]
    /// Figures per model (`name@version`).
    public var byModel: [String: PrecisionFigures] = [:]
    /// Figures per type and model.
    public var byTypeAndModel: [TypeModel: PrecisionFigures] = [:]

    /// Reduces review facts to figures.
    public init(facts: some Sequence<CandidateReviewFact>) {
        for f in facts {
            byType[f.type, default: .init()].add(f.outcome, sampled: f.sampled)
            byCamera[f.cameraID, default: .init()].add(f.outcome, sampled: f.sampled)
            for m in f.models {
                byKey[Key(cameraID: f.cameraID, type: f.type, model: m), default: .init()].add(f.outcome, sampled: f.sampled)
                byModel[m, default: .init()].add(f.outcome, sampled: f.sampled)
                byTypeAndModel[TypeModel(type: f.type, model: m), default: .init()].add(f.outcome, sampled: f.sampled)
            }
        }
    }

    /// The figures of a model for a type across cameras (all zero when it was never reviewed).
    public func figures(type: DetectionType, model: String) -> PrecisionFigures {
        byTypeAndModel[TypeModel(type: type, model: model)] ?? PrecisionFigures()
    }

    /// Whether a new candidate of `type` first reported by `model` (`name@version`) is filed without review: the
    /// policy sets `autoFilePrecision`, at least `autoFileMinReviewed` of the model's candidates of the type passed
    /// review (sampled ones not counted), and their precision reaches the threshold. A new model version starts
    /// unmeasured, so it is reviewed until it has proved itself.
    public static func autoFile(type: DetectionType, model: String, precision: DetectionPrecision, policy: DetectionPolicy) -> Bool {
        guard let threshold = policy.autoFilePrecision else { return false }
        let f = precision.figures(type: type, model: model)
        guard f.reviewed >= policy.autoFileMinReviewed, let p = f.precision else { return false }
        return p >= threshold
    }
}
