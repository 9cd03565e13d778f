import Foundation

/// The verdict on one detection before grouping (识别结果筛选), from the camera's configuration and the type's policy.
///
/// The checks run in this order, and the first that fails decides:
/// 1. the camera is inactive → `cameraInactive`;
/// 2. the time is outside the camera's schedules → `outOfSchedule`;
/// 3. the camera may not report the type → `typeNotAllowed`;
/// 4. the camera has zones and no box stands in one that allows the type → `outsideZones`;
/// 5. the score is below the policy's `minScore` → `belowScore` (sampled or not);
/// 6. otherwise → `accepted`.
/// Configuration comes before the score so that the sample of dropped detections holds only detections that would
/// have counted but for their score: its precision then says what lowering the threshold would bring.
public enum DetectionScreening: Hashable, Sendable {
    /// The camera is set inactive.
    case cameraInactive
    /// The frame was taken outside the camera's schedules.
    case outOfSchedule
    /// The camera may not report this type.
    case typeNotAllowed
    /// No box stands in a zone that allows the type.
    case outsideZones
    /// The score is below the threshold; `sampled` keeps it for review in the zone found (nil without zones).
    case belowScore(sampled: Bool, zoneID: String?)
    /// The detection counts, in the zone found (nil when the camera has no zones).
    case accepted(zoneID: String?)

    /// Screens `detection` (stored by the service under `id`) from `camera` under `policy`. The zone is found from
    /// the boxes in `DetectionInput.boxOrder` (highest score first, else as posted): the first box whose bottom
    /// centre lies in a zone allowing the type decides, and the zone is the first such zone in the camera's order.
    public static func screen(
        _ detection: DetectionInput, id: DetectionID, camera: Camera, policy: DetectionPolicy, utcOffsetSeconds: Int = 8 * 3600
    ) -> DetectionScreening {
        guard camera.active else { return .cameraInactive }
        guard camera.isScheduled(at: detection.time, utcOffsetSeconds: utcOffsetSeconds) else { return .outOfSchedule }
        guard camera.reports(detection.type) else { return .typeNotAllowed }
        var zoneID: String?
        if !camera.zones.isEmpty {
            zoneID = zone(of: detection, in: camera.zones)
            guard zoneID != nil else { return .outsideZones }
        }
        guard detection.score >= policy.minScore else { return .belowScore(sampled: policy.isSampled(id), zoneID: zoneID) }
        return .accepted(zoneID: zoneID)
    }

    /// The zone a detection counts in, or nil when none of its boxes stands in a zone allowing its type.
    public static func zone(of detection: DetectionInput, in zones: [CameraZone]) -> String? {
        for i in detection.boxOrder {
            let foot = detection.boxes[i].bottomCenter
            if let z = zones.first(where: { $0.allows(detection.type) && $0.contains(foot) }) { return z.id }
        }
        return nil
    }

    /// The candidate key the detection groups under: an accepted one with the main candidates, a sampled one with the
    /// sampled candidates, anything else nil (it opens and joins nothing).
    public func key(for detection: DetectionInput) -> CandidateKey? {
        switch self {
        case .accepted(let zone):
            CandidateKey(cameraID: detection.cameraID, type: detection.type, zoneID: zone, sampled: false)
        case .belowScore(true, let zone):
            CandidateKey(cameraID: detection.cameraID, type: detection.type, zoneID: zone, sampled: true)
        default: nil
        }
    }
}
