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
    /// The candidate version the reviewer saw. Detections joining move the version on and change nothing a reviewer
    /// decides on, so only a decision made meanwhile is refused (409), whatever the version.
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
    /// The roles that read the review queue (复核队列) and what it shows: the candidates with their snapshots, the
    /// cameras, the precision and the policies; and that receive the queue's `candidate` events on the live feed.
    public static let readers: [Role] = [.operator, .shiftLead, .dispatcher, .leader, .admin, .inspector]

    /// Creates the service of `platform`.
    public init(platform: Platform) { self.platform = platform }

    /// Records a decision on a pending candidate; returns the candidate as it stands after it.
    public func review(_ id: CandidateID, _ input: ReviewInput, actor: Actor) async throws -> StoredCandidate {
        guard Self.reviewers.contains(actor.role) || actor.role == .admin else {
            throw DomainError.forbidden("only an operator, a shift lead or an inspector reviews detections")
        }
        let store = platform.store
        guard let stored = try await store.candidate(id: id) else { throw DomainError.notFound("candidate", id.rawValue) }
        // An inspector reviews the scenes of their own grids (a decision may file or merge a case there).
        if actor.role == .inspector, let grid = try await gridCode(of: stored.candidate), !actor.covers(gridCode: grid) {
            throw DomainError(.forbidden, code: "candidate.outside_grids", "the camera looks at grid \(grid), outside your grids")
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
            if actor.role == .inspector, !actor.covers(gridCode: target.placement.gridCode) {
                throw DomainError(.forbidden, code: "case.outside_grids", "case \(target.number) lies outside your grids")
            }
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
        do {
            return try await DetectionCases(platform: platform).settle(id) { try $0.review(decision, by: actor.userID, at: now) }
        } catch let e as DomainError where e.code == "candidate.reviewed" {
            // Another reviewer decided first: the case filed for this accept goes (作废), so no case stands for a
            // candidate decided otherwise.
            if case .accept(let caseID) = decision, try await store.candidate(id: id)?.candidate.caseID != caseID {
                _ = try? await CaseService(platform: platform).act(
                    .void, caseID: caseID, input: ActionInput(comment: "视频识别候选已由他人复核 (the candidate was decided by another reviewer)"), actor: .system)
            }
            throw e
        }
    }

    /// The cameras whose candidates `actor` sees: nil for every camera; an inspector's, the cameras looking into their
    /// grids (the review queue, a candidate, its snapshots and its live events are theirs to see, as its review is).
    public func visibleCameras(to actor: Actor) async throws -> Set<CameraID>? {
        guard actor.role == .inspector else { return nil }
        return Set(try await platform.store.cameras().filter { camera in
            platform.context.map.place(camera.viewPoint).map { actor.covers(gridCode: $0.gridCode) } ?? false
        }.map(\.id))
    }

    /// Throws 403 when `actor` may not see `candidate` (an inspector's outside their grids).
    public func requireVisible(_ candidate: DetectionCandidate, to actor: Actor) async throws {
        guard actor.role == .inspector else { return }
        guard let grid = try await gridCode(of: candidate), actor.covers(gridCode: grid) else {
            throw DomainError(.forbidden, code: "candidate.outside_grids", "candidate \(candidate.id) is from a camera outside your grids")
        }
    }

    /// The grid a candidate's camera looks at.
    func gridCode(of c: DetectionCandidate) async throws -> String? {
        guard let camera = try await platform.store.camera(id: c.cameraID) else { return nil }
        return platform.context.map.place(camera.viewPoint)?.gridCode
    }

    private func caseOf(_ c: DetectionCandidate, verifyFirst: Bool) async throws -> CaseRecord {
        guard let camera = try await platform.store.camera(id: c.cameraID) else { throw DomainError.notFound("camera", c.cameraID.rawValue) }
        let policy = DetectionPolicy.policy(for: c.type, in: DetectionPolicy.defaults.merging(try await platform.store.detectionPolicies()) { $1 })
        return try await DetectionCases(platform: platform).report(c, camera: camera, urgency: policy.urgency, verifyFirst: verifyFirst)
    }

    /// The precision the review decisions measure (准确率).
    public func precision() async throws -> DetectionPrecision { DetectionPrecision(facts: try await platform.store.reviewFacts()) }
}
