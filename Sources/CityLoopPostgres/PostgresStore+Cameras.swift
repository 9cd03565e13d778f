import CityLoopDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Registers or replaces cameras.
    public func saveCameras(_ cameras: [Camera]) async throws {
        guard !cameras.isEmpty else { return }
        let texts = try cameras.map { try json($0) }
        _ = try await rows(
            """
            INSERT INTO cameras (id, data) SELECT * FROM unnest(\(cameras.map(\.id.rawValue))::text[], \(texts)::text[])
            ON CONFLICT (id) DO UPDATE SET data = excluded.data
            """)
    }

    /// The camera with this ID.
    public func camera(id: CameraID) async throws -> Camera? {
        try await rows("SELECT data FROM cameras WHERE id = \(id.rawValue)").first.map { try decode(Camera.self, try $0.decode(String.self)) }
    }

    /// Every camera in ID order.
    public func cameras() async throws -> [Camera] { try decodeAll(Camera.self, try await rows("SELECT data FROM cameras ORDER BY id")) }

    /// Records contact with a camera (a later time only).
    public func noteCameraContact(_ id: CameraID, at time: Date) async throws {
        _ = try await rows(Self.contactUpdate(id, time))
    }

    private static func contactUpdate(_ id: CameraID, _ time: Date) -> PostgresQuery {
        "UPDATE cameras SET last_contact = \(ms(time)) WHERE id = \(id.rawValue) AND (last_contact IS NULL OR last_contact < \(ms(time)))"
    }

    /// When each camera was last heard from.
    public func cameraContacts() async throws -> [CameraID: Date] {
        var out: [CameraID: Date] = [:]
        for row in try await rows("SELECT id, last_contact FROM cameras WHERE last_contact IS NOT NULL") {
            let (id, at) = try row.decode((String, Int64).self)
            out[CameraID(id)] = Date(timeIntervalSince1970: Double(at) / 1000)
        }
        return out
    }

    /// The administrator's policies.
    public func detectionPolicies() async throws -> [DetectionType: DetectionPolicy] {
        var out: [DetectionType: DetectionPolicy] = [:]
        for row in try await rows("SELECT type, data FROM detection_policies") {
            let (type, text) = try row.decode((String, String).self)
            if let t = DetectionType(rawValue: type) { out[t] = try decode(DetectionPolicy.self, text) }
        }
        return out
    }

    /// Sets policies.
    public func saveDetectionPolicies(_ policies: [DetectionType: DetectionPolicy]) async throws {
        guard !policies.isEmpty else { return }
        let entries = try policies.map { ($0.key.rawValue, try json($0.value)) }
        _ = try await rows(
            """
            INSERT INTO detection_policies (type, data) SELECT * FROM unnest(\(entries.map(\.0))::text[], \(entries.map(\.1))::text[])
            ON CONFLICT (type) DO UPDATE SET data = excluded.data
            """)
    }

    /// A stored detection.
    public func detection(id: DetectionID) async throws -> StoredDetection? {
        try await rows("SELECT data FROM detections WHERE id = \(id.rawValue)").first.map { try decode(StoredDetection.self, try $0.decode(String.self)) }
    }

    /// A candidate's detections, newest first.
    public func detections(candidateID: CandidateID, limit: Int) async throws -> [StoredDetection] {
        try decodeAll(
            StoredDetection.self,
            try await rows("SELECT data FROM detections WHERE candidate_id = \(candidateID.rawValue) ORDER BY at DESC, id DESC LIMIT \(Int64(max(0, limit)))"))
    }

    /// The latest candidate of a scene.
    public func latestCandidate(key: CandidateKey) async throws -> StoredCandidate? {
        try await rows(
            "SELECT c.data, c.version FROM detection_scenes s JOIN detection_candidates c ON c.id = s.candidate_id WHERE s.scene = \(key.sceneText)"
        ).first.map(storedCandidate)
    }

    /// Writes a detection with its candidate in one transaction.
    public func writeDetection(_ write: DetectionWrite) async throws -> Int? {
        let detectionText = try json(write.detection)
        let candidateRow = try write.candidate.map { (try json($0), try $0.reviewFact.map(json)) }
        let d = write.detection
        return try await transaction { c in
            var version: Int?
            if let candidate = write.candidate, let (text, fact) = candidateRow {
                if let expected = write.expectedVersion {
                    try await self.updateCandidate(candidate, text: text, fact: fact, expected: expected, on: c)
                    version = expected + 1
                } else {
                    let scene = candidate.key.sceneText
                    let moved: [PostgresRow]
                    if let previous = write.previousLatest {
                        moved = try await self.rows(
                            "UPDATE detection_scenes SET candidate_id = \(candidate.id.rawValue) WHERE scene = \(scene) AND candidate_id = \(previous.rawValue) RETURNING 1",
                            on: c)
                    } else {
                        moved = try await self.rows(
                            "INSERT INTO detection_scenes (scene, candidate_id) VALUES (\(scene), \(candidate.id.rawValue)) ON CONFLICT DO NOTHING RETURNING 1", on: c)
                    }
                    guard moved.count == 1 else { throw DomainError.candidateChanged }
                    let inserted = try await self.rows(
                        """
                        INSERT INTO detection_candidates (id, camera_id, type, state, sampled, last_seen, version, fact, data)
                        VALUES (\(candidate.id.rawValue), \(candidate.cameraID.rawValue), \(candidate.type.rawValue), \(candidate.state.name), \(candidate.sampled),
                            \(Self.ms(candidate.lastSeen)), 1, \(fact), \(text))
                        ON CONFLICT DO NOTHING RETURNING 1
                        """, on: c)
                    guard inserted.count == 1 else { throw DomainError.candidateChanged }
                    version = 1
                }
            }
            let inserted = try await self.rows(
                """
                INSERT INTO detections (id, camera_id, at, outcome, candidate_id, data)
                VALUES (\(d.id.rawValue), \(d.input.cameraID.rawValue), \(Self.ms(d.input.time)), \(d.outcome.rawValue), \(d.candidateID?.rawValue), \(detectionText))
                ON CONFLICT DO NOTHING RETURNING 1
                """, on: c)
            guard inserted.count == 1 else { throw DomainError.candidateChanged }
            try await self.run(Self.contactUpdate(d.input.cameraID, d.receivedAt), on: c)
            return version
        }
    }

    private func updateCandidate(_ candidate: DetectionCandidate, text: String, fact: String?, expected: Int, on c: PostgresConnection) async throws {
        let updated = try await rows(
            """
            UPDATE detection_candidates SET state = \(candidate.state.name), last_seen = \(Self.ms(candidate.lastSeen)), version = version + 1,
                fact = \(fact), data = \(text)
            WHERE id = \(candidate.id.rawValue) AND version = \(Int64(expected)) RETURNING 1
            """, on: c)
        guard updated.count == 1 else { throw DomainError.candidateChanged }
    }

    /// A candidate.
    public func candidate(id: CandidateID) async throws -> StoredCandidate? {
        try await rows("SELECT data, version FROM detection_candidates WHERE id = \(id.rawValue)").first.map(storedCandidate)
    }

    private func storedCandidate(_ row: PostgresRow) throws -> StoredCandidate {
        let (text, version) = try row.decode((String, Int64).self)
        return StoredCandidate(candidate: try decode(DetectionCandidate.self, text), version: Int(version))
    }

    /// Candidates matching the query, last seen newest first.
    public func candidates(_ q: CandidateQuery) async throws -> [StoredCandidate] {
        var sql = SQLBuilder()
        let before = sql.bind(q.before.map(Self.ms) ?? Int64.max)
        var text = "SELECT data, version FROM detection_candidates WHERE last_seen < \(before)"
        if let id = q.beforeID, q.before != nil {
            text = "SELECT data, version FROM detection_candidates WHERE (last_seen < \(before) OR (last_seen = \(before) AND id < \(sql.bind(id.rawValue))))"
        }
        if let s = q.state { text += " AND state = \(sql.bind(s))" }
        if let c = q.cameraID { text += " AND camera_id = \(sql.bind(c.rawValue))" }
        if let cs = q.cameraIDs { text += " AND camera_id = ANY(\(sql.bind(cs.map(\.rawValue)))::text[])" }
        if let t = q.type { text += " AND type = \(sql.bind(t.rawValue))" }
        if let s = q.sampled { text += " AND sampled = \(sql.bind(s))" }
        text += " ORDER BY last_seen DESC, id DESC LIMIT \(sql.bind(Int64(max(0, q.limit))))"
        return try await rows(sql.query(text)).map(storedCandidate)
    }

    /// Replaces a candidate at its expected version.
    public func updateCandidate(_ candidate: DetectionCandidate, expectedVersion: Int) async throws -> Int {
        let text = try json(candidate), fact = try candidate.reviewFact.map(json)
        try await transaction { c in try await self.updateCandidate(candidate, text: text, fact: fact, expected: expectedVersion, on: c) }
        return expectedVersion + 1
    }

    /// The facts of every reviewed candidate.
    public func reviewFacts() async throws -> [CandidateReviewFact] {
        try decodeAll(CandidateReviewFact.self, try await rows("SELECT fact FROM detection_candidates WHERE fact IS NOT NULL"))
    }

    /// Saves a re-check.
    public func saveRecheck(_ recheck: StoredRecheck) async throws {
        let r = recheck.recheck
        _ = try await rows(
            """
            INSERT INTO camera_rechecks (case_id, camera_id, final, data) VALUES (\(r.caseID.rawValue), \(r.scene.cameraID.rawValue), \(r.state.isFinal), \(try json(recheck)))
            ON CONFLICT (case_id) DO UPDATE SET camera_id = excluded.camera_id, final = excluded.final, data = excluded.data
            """)
    }

    /// Saves a verdict while the re-check waits.
    public func settleRecheck(_ recheck: StoredRecheck) async throws -> Bool {
        let r = recheck.recheck
        return !(try await rows(
            "UPDATE camera_rechecks SET final = \(r.state.isFinal), data = \(try json(recheck)) WHERE case_id = \(r.caseID.rawValue) AND NOT final RETURNING 1"
        )).isEmpty
    }

    /// The re-check of a case.
    public func recheck(caseID: CaseID) async throws -> StoredRecheck? {
        try await rows("SELECT data FROM camera_rechecks WHERE case_id = \(caseID.rawValue)").first.map { try decode(StoredRecheck.self, try $0.decode(String.self)) }
    }

    /// Re-checks still waiting.
    public func waitingRechecks(cameraID: CameraID?) async throws -> [StoredRecheck] {
        let found: [PostgresRow]
        if let cameraID {
            found = try await rows("SELECT data FROM camera_rechecks WHERE NOT final AND camera_id = \(cameraID.rawValue)")
        } else {
            found = try await rows("SELECT data FROM camera_rechecks WHERE NOT final")
        }
        return try decodeAll(StoredRecheck.self, found).sorted { $0.recheck.requestedAt < $1.recheck.requestedAt }
    }
}
