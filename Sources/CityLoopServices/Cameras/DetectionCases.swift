import CityLoopDomain
import Foundation

/// Candidates into the case workflow (识别转案件): a candidate accepted by a reviewer, filed automatically, or merged
/// into an existing case becomes a report from video (视频识别) at the point the camera looks at, with its snapshots as
/// evidence. The report's request ID is the candidate's, so doing it again (a retry, another node) finds the same case.
public struct DetectionCases: Sendable {
    let platform: Platform

    /// Creates the service of `platform`.
    public init(platform: Platform) { self.platform = platform }

    /// Files a candidate whose model is trusted for its type (自动立案): to the grid's inspector to verify first when
    /// the policy says so, else filed at once.
    func autoFile(_ stored: StoredCandidate, camera: Camera, policy: DetectionPolicy) async throws -> CaseID {
        let record = try await report(stored.candidate, camera: camera, urgency: policy.urgency, verifyFirst: policy.verifyFirst)
        if !policy.verifyFirst { try await file(record, by: .system, note: "AI 识别自动立案 (filed automatically: the model is trusted for the type)") }
        _ = try await settle(stored.candidate.id) { try $0.autoFile(caseID: record.id) }
        return record.id
    }

    /// Applies a decision to a candidate and writes it at the version read; a detection joining meanwhile (on any node)
    /// moves the version on, so the candidate is read again and the decision applied again (its case is made once:
    /// the report's request ID is the candidate's). Once written, the candidate goes out on the live feed.
    func settle(_ id: CandidateID, _ apply: (inout DetectionCandidate) throws -> Void) async throws -> StoredCandidate {
        for attempt in 1...5 {
            guard var stored = try await platform.store.candidate(id: id) else { throw DomainError.notFound("candidate", id.rawValue) }
            try apply(&stored.candidate)
            do {
                stored.version = try await platform.store.updateCandidate(stored.candidate, expectedVersion: stored.version)
                // Committed: the review queues open anywhere show the decision.
                platform.live.publish(LiveItem(event: LiveEvent(candidate: stored.candidate, at: platform.clock.now()), record: nil))
                return stored
            } catch let e as DomainError where e == .candidateChanged && attempt < 5 {
                continue
            }
        }
        throw DomainError.candidateChanged
    }

    /// The report of a candidate (found again by its request ID when it exists).
    func report(_ c: DetectionCandidate, camera: Camera, urgency: Urgency, verifyFirst: Bool) async throws -> CaseRecord {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        let point = camera.viewPoint
        // Only what never changes goes in the text: a retry (the scene seen more times meanwhile) must read the same,
        // or the report's request ID would refuse it as a different report.
        var input = ReportInput(
            matterCode: c.matterCode,
            description: "AI 识别：\(c.type.label)，摄像头 \(camera.id)，\(f.string(from: c.firstSeen)) 起 (AI detection: \(c.type.labelEnglish), camera \(camera.id))",
            lat: point.lat, lon: point.lon, urgency: urgency, source: .video)
        input.evidence = c.snapshotIDs.isEmpty ? nil : c.snapshotIDs
        input.clientRequestID = "candidate-\(c.id.rawValue)"
        return try await CaseService(platform: platform).report(input, actor: .system, verifyFirst: verifyFirst).case
    }

    /// Takes a case waiting for verification or filing on to dispatch: the camera's snapshot was the verification.
    func file(_ record: CaseRecord, by actor: Actor, note: String) async throws {
        let cases = CaseService(platform: platform)
        var state = record.state
        if state == .pendingVerification {
            state = try await cases.act(.verify, caseID: record.id, input: ActionInput(comment: note), actor: .system).state
        }
        if state == .pendingFiling {
            // The reviewer files it when their role may; an inspector's acceptance is filed by the platform in their name.
            let filer = CaseWorkflow.rules[.file]?.roles.contains(actor.role) == true ? actor : .system
            _ = try await cases.act(.file, caseID: record.id, input: ActionInput(comment: note), actor: filer)
        }
    }
}
