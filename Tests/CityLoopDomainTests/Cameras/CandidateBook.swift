import CityLoopDomain
import Foundation

/// An in-memory stand-in for the candidate store: finds the newest candidate of a key, applies the grouping decision.
struct CandidateBook {
    var candidates: [DetectionCandidate] = []
    var late: [DetectionInput] = []
    var opened = 0

    /// The candidates of a key in time order.
    func of(_ key: CandidateKey) -> [DetectionCandidate] { candidates.filter { $0.key == key }.sorted { $0.firstSeen < $1.firstSeen } }

    @discardableResult
    mutating func add(_ d: DetectionInput, key: CandidateKey, policy: DetectionPolicy, snapshot: String? = nil) -> GroupingDecision {
        let newest = candidates.filter { $0.key == key }.max { $0.lastSeen < $1.lastSeen }
        let decision = DetectionCandidate.group(d, key: key, into: newest, policy: policy)
        switch decision {
        case .join(let id):
            let i = candidates.firstIndex { $0.id == id }!
            candidates[i].absorb(d, snapshot: snapshot)
        case .open(let after):
            opened += 1
            candidates.append(
                DetectionCandidate(
                    id: CandidateID("c\(opened)"), key: key, matterCode: policy.matterCode, first: d, snapshot: snapshot, openedAfter: after))
        case .late:
            late.append(d)
        }
        return decision
    }
}
