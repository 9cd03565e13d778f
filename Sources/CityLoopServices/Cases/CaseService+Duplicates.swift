import CityLoopDomain
import Foundation

extension CaseService {
    /// The duplicate candidates `actor` may see: staff and partner systems every one; a citizen only the cases
    /// they reported themselves — other reporters' case numbers and states are not a citizen's to read.
    func visibleDuplicates(_ list: [DuplicateCandidate], to actor: Actor?) async throws -> [DuplicateCandidate] {
        guard let actor, actor.role == .citizen else { return list }
        var mine: [DuplicateCandidate] = []
        for d in list {
            if let r = try await platform.store.caseRecord(id: d.caseID), r.reporters.contains(where: { $0.userID == actor.userID }) { mine.append(d) }
        }
        return mine
    }
}
