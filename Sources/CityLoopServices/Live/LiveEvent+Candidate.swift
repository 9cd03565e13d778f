import CityLoopDomain
import Foundation

extension LiveEvent {
    /// The event of a detection candidate written (`type` "candidate"): opened by a detection, grown by more of the
    /// scene's detections, reviewed or filed automatically. The review queue refreshes on it; only the roles that read
    /// the queue receive it (`CandidateReview.readers`).
    public init(candidate c: DetectionCandidate, at: Date) {
        type = "candidate"
        id = c.id.rawValue
        status = c.state.name
        detectionType = c.type
        camera = c.cameraID.rawValue
        zone = c.zoneID
        sampled = c.sampled
        count = c.count
        score = c.bestScore
        lastSeen = c.lastSeen
        caseID = c.caseID?.rawValue
        matterCode = c.matterCode
        self.at = at
    }
}
