import Foundation

/// What to do with a screened detection (归并): join the newest candidate of its key, open a new one, or drop it as
/// late.
public enum GroupingDecision: Hashable, Sendable {
    /// Join this candidate (`DetectionCandidate.absorb`).
    case join(CandidateID)
    /// Open a new candidate; `after` is the newest candidate's `lastSeen`, to be kept as the new one's `openedAfter`.
    case open(after: Date?)
    /// Too old to join the newest candidate and within the window of an earlier one, or before it: it joins nothing
    /// and opens nothing (the service keeps it as a raw detection). Only out-of-order arrivals can be late.
    case late
}

extension DetectionCandidate {
    /// Decides where `detection`, screened under `key`, goes, given the newest candidate of that key (the last opened,
    /// which is also the one with the latest `lastSeen`, as a key's spans never overlap; nil when there is none) and
    /// the type's policy. With `w` the policy's `groupWindow` and
    /// `t` the detection's time:
    /// - `t > lastSeen + w`: the scene was gone for longer than the window → `open(after: lastSeen)`;
    /// - `firstSeen − w ≤ t ≤ lastSeen + w`, and `t > openedAfter + w` when the candidate has one → `join`, whatever
    ///   the candidate's state: a rejected one absorbs re-detections of the same false positive, a filed one absorbs
    ///   "still there" re-detections without a new alert. The window slides: every join moves `lastSeen` on, so a
    ///   stationary object seen every minute for hours stays one candidate; an out-of-order detection joins without
    ///   moving `lastSeen` back;
    /// - otherwise → `late`.
    /// So the time spans of two candidates of one key are always more than `w` apart.
    public static func group(
        _ detection: DetectionInput, key: CandidateKey, into newest: DetectionCandidate?, policy: DetectionPolicy
    ) -> GroupingDecision {
        guard let c = newest, c.key == key else { return .open(after: nil) }
        let t = detection.time, w = policy.groupWindow
        if t > c.lastSeen.addingTimeInterval(w) { return .open(after: c.lastSeen) }
        if t < c.firstSeen.addingTimeInterval(-w) { return .late }
        if let floor = c.openedAfter, t <= floor.addingTimeInterval(w) { return .late }
        return .join(c.id)
    }

    /// Adds a detection that `group` sent here: counts it, keeps the best score, the snapshot by the rule of
    /// `CandidateSnapshot.keeping`, its model and tracker ID (the first `maxTrackIDs` distinct ones), and widens the
    /// span (`lastSeen` never moves back, `firstSeen` never forward). The state is untouched.
    public mutating func absorb(_ detection: DetectionInput, snapshot: String?) {
        count += 1
        bestScore = max(bestScore, detection.score)
        firstSeen = min(firstSeen, detection.time)
        lastSeen = max(lastSeen, detection.time)
        if let snapshot {
            snapshots = CandidateSnapshot.keeping(
                snapshots, adding: CandidateSnapshot(mediaID: snapshot, time: detection.time, score: detection.score))
        }
        models.insert(detection.modelKey)
        if let track = detection.trackID, trackIDs.count < Self.maxTrackIDs, !trackIDs.contains(track) {
            trackIDs.append(track)
        }
    }
}
