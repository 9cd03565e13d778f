import CityLoopDomain
import Foundation

/// Checks by camera (视频核查): once a case that came from a camera is reported handled, the camera watches its scene
/// for a window. A detection of the scene says the problem is still there; a camera heard from late in the window with
/// none says it is gone. The verdict goes on the case's timeline (`camera_recheck`) as evidence for the on-site check
/// (核查), with the snapshot when there is one.
public struct CameraRechecks: Sendable {
    let platform: Platform

    /// The roles that ask for a check by camera.
    public static let requesters: Set<Role> = [.operator, .shiftLead, .inspector, .dispatcher]

    /// Creates the service of `platform`.
    public init(platform: Platform) { self.platform = platform }

    /// Starts a check of a case by the camera whose candidate it came from, watching for `window` seconds.
    public func request(caseRef: String, window: TimeInterval?, actor: Actor) async throws -> StoredRecheck {
        guard Self.requesters.contains(actor.role) || actor.role == .system || actor.role == .admin else {
            throw DomainError.forbidden("only an operator, shift lead, dispatcher or inspector asks for a check by camera")
        }
        let store = platform.store
        var found = try await store.caseRecord(id: CaseID(caseRef))
        if found == nil { found = try await store.caseRecord(number: caseRef) }
        guard let c = found else { throw DomainError.notFound("case", caseRef) }
        guard c.source == .video, let candidateID = Self.candidateID(of: c), let candidate = try await store.candidate(id: candidateID)?.candidate,
            candidate.caseID == c.id
        else {
            throw DomainError(.invalidTransition, code: "recheck.not_from_camera", "case \(c.number) did not come from a camera's detection: no camera watches it")
        }
        guard c.state != .voided, c.state != .rejected, c.state != .merged else {
            throw DomainError(.invalidTransition, code: "recheck.case_state", "case \(c.number) is \(c.state.rawValue): nothing to check")
        }
        if let existing = try await store.recheck(caseID: c.id), !existing.recheck.state.isFinal { return existing }
        let recheck = try CameraRecheck(
            caseID: c.id, scene: candidate.key, requestedAt: platform.clock.now(), window: window ?? CameraRecheck.defaultWindow)
        let stored = StoredRecheck(recheck: recheck, candidateID: candidateID)
        try await store.saveRecheck(stored)
        return stored
    }

    /// The candidate a case came from: its request ID (`candidate-{id}`).
    static func candidateID(of c: CaseRecord) -> CandidateID? {
        guard let key = c.clientRequestID, key.hasPrefix("candidate-") else { return nil }
        return CandidateID(String(key.dropFirst("candidate-".count)))
    }

    /// Takes in an accepted detection: a waiting check of its scene is settled as still present.
    func observe(_ detection: DetectionInput, key: CandidateKey, snapshot: String?) async throws {
        for var stored in try await platform.store.waitingRechecks(cameraID: detection.cameraID) {
            guard stored.recheck.observe(detection, key: key, snapshot: snapshot) else { continue }
            try await settle(stored)
        }
    }

    /// Settles the checks whose window has passed (the leader's periodic pass); returns how many.
    @discardableResult
    public func sweep() async throws -> Int {
        let now = platform.clock.now()
        let contacts = try await platform.store.cameraContacts()
        let cameras = Dictionary(try await platform.store.cameras().map { ($0.id, $0) }) { a, _ in a }
        var settled = 0
        for var stored in try await platform.store.waitingRechecks(cameraID: nil) {
            let id = stored.recheck.scene.cameraID
            guard stored.recheck.expire(now: now, lastContact: contacts[id], camera: cameras[id]) else { continue }
            try await settle(stored)
            settled += 1
        }
        return settled
    }

    private func settle(_ stored: StoredRecheck) async throws {
        // Claimed first: of two nodes settling one check, one puts the verdict on the case.
        guard try await platform.store.settleRecheck(stored) else { return }
        let r = stored.recheck
        guard let c = try await platform.store.caseRecord(id: r.caseID), CaseWorkflow.rules[.cameraRecheck]?.from.contains(c.state) == true else { return }
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        var input = ActionInput()
        switch r.state {
        case .stillPresent(let at, let snapshot):
            input.comment = "视频核查：问题仍在，\(f.string(from: at)) 再次识别 (check by camera: still there)"
            if let snapshot { input.evidence = [snapshot] }
        case .absent(let contact):
            input.comment = "视频核查：窗口内未再识别，摄像头最后在线 \(f.string(from: contact)) (check by camera: not seen again)"
        case .inconclusive:
            input.comment = "视频核查：摄像头窗口内离线，无法判断 (check by camera: the camera was silent, no verdict)"
        case .waiting:
            return
        }
        _ = try await CaseService(platform: platform).act(.cameraRecheck, caseID: c.id, input: input, actor: .system)
    }
}
