import Foundation

/// A snapshot kept as a candidate's evidence (取证截图): the stored media's ID, and the time and score of its detection.
public struct CandidateSnapshot: Hashable, Codable, Sendable {
    /// The media ID the service stored the image under.
    public var mediaID: String
    /// When the frame was taken.
    public var time: Date
    /// The detection's score.
    public var score: Double

    /// Creates a snapshot reference.
    public init(mediaID: String, time: Date, score: Double) {
        self.mediaID = mediaID
        self.time = time
        self.score = score
    }

    /// The most snapshots a candidate keeps.
    public static let maxKept = 5

    /// `kept` with `new` added, in time order, bounded at `maxKept`: the earliest (the scene as it began) and the
    /// best-scoring (the clearest evidence; the earlier on a tie) are always kept, and the rest are the latest (the
    /// scene is still there) — when full, the oldest snapshot that is neither goes. The same image again (a camera
    /// re-sending its frame: the same media ID) is kept once, with the higher score.
    public static func keeping(_ kept: [CandidateSnapshot], adding new: CandidateSnapshot) -> [CandidateSnapshot] {
        var all = kept
        if let same = all.firstIndex(where: { $0.mediaID == new.mediaID }) {
            all[same].score = max(all[same].score, new.score)
            return all
        }
        let at = all.firstIndex { $0.time > new.time } ?? all.endIndex
        all.insert(new, at: at)
        while all.count > maxKept {
            let best = all.indices.max { a, b in all[a].score != all[b].score ? all[a].score < all[b].score : a > b }!
            // Index 0 is the earliest; drop the oldest of the others that is not the best.
            guard let drop = all.indices.dropFirst().first(where: { $0 != best }) else { break }
            all.remove(at: drop)
        }
        return all
    }
}
