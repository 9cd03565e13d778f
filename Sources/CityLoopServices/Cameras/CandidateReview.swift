import CityLoopDomain
import Foundation

/// A reviewer's decision as posted: `accept`, `reject` with a reason (and a note), or `merge` into a case.
public struct ReviewInput: Codable, Sendable {
    /// `accept`, `reject` or `merge`.
    public var decision: String
    /// For `reject`: why (`falsePositive`, `duplicate`, `notInScope`, `lowQuality`, `other`).
    public var reason: RejectReason?
    /// For `reject`: the reviewer's note (required for `other`).
    public var note: String?
    /// For `merge`: the case (ID or number) the candidate is the same problem as.
    public var caseID: String?
    /// The candidate version the reviewer saw; when given, a candidate changed since is refused (409).
    public var version: Int?

    /// Creates an input.
    public init(decision: String, reason: RejectReason? = nil, note: String? = nil, caseID: String? = nil, version: Int? = nil) {
        self.decision = decision
        self.reason = reason
        self.note = note
        self.caseID = caseID
        self.version = version
    }
}

/// The review queue (复核): operators, shift leads and inspectors accept a candidate (→ a case filed with its snapshots
/// as evidence), reject it as a false positive or for another reason, or merge it into an existing case; and the
/// precision the decisions measure, per camera, type and model version.
public struct CandidateReview: Sendable {
    let platform: Platform

    /// The roles that review candidates.
    public static let reviewers: Set<Role> = [.operator, .shiftLead, .inspector]

    /// Creates the service of `platform`.
    public init(platform: Platform) { self.platform = platform }

    /// Records a decision on a pending candidate; returns the candidate as it stands after it.
    public func review(_ id: CandidateID, _ input: ReviewInput, actor: Actor) async throws -> StoredCandidate {
        guard Self.reviewers.contains(actor.role) || actor.role == .admin else {
            throw DomainError.forbidden("only an operator, a shift lead or an inspector reviews detections")
        }
        let store = platform.store
        guard let stored = try await store.candidate(id: id) else { throw DomainError.notFound("candidate", id.rawValue) }
        if let v = input.version, v != stored.version {
            throw DomainError(.conflict, code: "candidate.changed", "the candidate is at version \(stored.version), not \(v): read it again", field: "version")
        }
        guard stored.candidate.state == .pending else {
            throw DomainError(.invalidTransition, code: "candidate.reviewed", "candidate \(id) is already \(stored.candidate.state.name)")
        }
        let now = platform.clock.now()
        let decision: ReviewDecision
        switch input.decision {
        case "accept":
            let record = try await caseOf(stored.candidate, verifyFirst: false)
            try await DetectionCases(platform: platform).file(record, by: actor, note: "视频复核确认 (confirmed on the camera's snapshots by \(actor.name))")
            decision = .accept(caseID: record.id)
        case "reject":
            guard let reason = input.reason else {
                throw DomainError.invalid("reason", "a rejection needs a reason: \(RejectReason.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            decision = .reject(reason, note: input.note)
        case "merge":
            guard let ref = input.caseID, !ref.isEmpty else { throw DomainError.invalid("caseID", "a merge names the case (ID or number) to merge into") }
            var target = try await store.caseRecord(id: CaseID(ref))
            if target == nil { target = try await store.caseRecord(number: ref) }
            guard let target else { throw DomainError.invalid("caseID", "case '\(ref.prefix(64))' does not exist", code: "case.not_found") }
            guard target.state.isOpen, target.state != .merged else {
                throw DomainError(.invalidTransition, code: "merge.target_closed", "case \(target.number) is \(target.state.rawValue); merge into an open case", field: "caseID")
            }
            // The candidate becomes a report merged into the case (关联上报), so the case's timeline shows it.
            let record = try await caseOf(stored.candidate, verifyFirst: true)
            if record.state != .merged {
                let merger = CaseWorkflow.rules[.merge]?.roles.contains(actor.role) == true ? actor : .system
                var action = ActionInput(comment: "视频识别候选并入 (detection candidate merged by \(actor.name))")
                action.targetCaseID = target.id
                _ = try await CaseService(platform: platform).act(.merge, caseID: record.id, input: action, actor: merger)
            }
            decision = .merge(into: target.id)
        default:
            throw DomainError.invalid("decision", "decision must be accept, reject or merge, not '\(input.decision.prefix(32))'")
        }
        return try await DetectionCases(platform: platform).settle(id) { try $0.review(decision, by: actor.userID, at: now) }
    }

    private func caseOf(_ c: DetectionCandidate, verifyFirst: Bool) async throws -> CaseRecord {
        guard let camera = try await platform.store.camera(id: c.cameraID) else { throw DomainError.notFound("camera", c.cameraID.rawValue) }
        let policy = DetectionPolicy.policy(for: c.type, in: DetectionPolicy.defaults.merging(try await platform.store.detectionPolicies()) { $1 })
        return try await DetectionCases(platform: platform).report(c, camera: camera, urgency: policy.urgency, verifyFirst: verifyFirst)
    }

    /// The precision the review decisions measure (准确率).
    public func precision() async throws -> DetectionPrecision { DetectionPrecision(facts: try await platform.store.reviewFacts()) }
}
