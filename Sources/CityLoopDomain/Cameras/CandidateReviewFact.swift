import Foundation

/// One reviewed candidate as the precision reducer reads it, so a store can hand in rows rather than candidates.
public struct CandidateReviewFact: Hashable, Codable, Sendable {
    /// What the review says about the model.
    public enum Outcome: String, Hashable, Codable, Sendable {
        /// Accepted or merged: the problem was there.
        case truePositive
        /// Rejected as a false positive, unclear image or other reason.
        case falsePositive
        /// Rejected as a duplicate or out of scope: says nothing about the model, left out of precision.
        case excluded
    }

    /// The camera.
    public var cameraID: CameraID
    /// The detection type.
    public var type: DetectionType
    /// The models that reported the candidate (`name@version`); each is credited with the outcome.
    public var models: Set<String>
    /// Whether it was a sampled below-threshold candidate.
    public var sampled: Bool
    /// What the review says.
    public var outcome: Outcome

    /// Creates a fact.
    public init(cameraID: CameraID, type: DetectionType, models: Set<String>, sampled: Bool, outcome: Outcome) {
        self.cameraID = cameraID
        self.type = type
        self.models = models
        self.sampled = sampled
        self.outcome = outcome
    }
}
