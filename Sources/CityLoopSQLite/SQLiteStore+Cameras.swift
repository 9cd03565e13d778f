import CityLoopDomain
import Foundation
import GRDB

extension SQLiteStore {
    /// Registers or replaces cameras.
    public func saveCameras(_ cameras: [Camera]) async throws {
        let rows = try cameras.map { ($0.id.rawValue, try json($0)) }
        try await pool.write { db in
            let statement = try db.cachedStatement(sql: "INSERT INTO cameras (id, data) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data")
            for (id, text) in rows { try statement.execute(arguments: [id, text]) }
        }
    }

    /// The camera with this ID.
    public func camera(id: CameraID) async throws -> Camera? {
        try await pool.read { db in try String.fetchOne(db, sql: "SELECT data FROM cameras WHERE id = ?", arguments: [id.rawValue]) }
            .map { try decode(Camera.self, $0) }
    }

    /// Every camera in ID order.
    public func cameras() async throws -> [Camera] {
        try await pool.read { db in try String.fetchAll(db, sql: "SELECT data FROM cameras ORDER BY id") }.map { try decode(Camera.self, $0) }
    }

    /// Records contact with a camera (a later time only).
    public func noteCameraContact(_ id: CameraID, at time: Date) async throws {
        try await pool.write { db in try Self.noteContact(db, id, time) }
    }

    private static func noteContact(_ db: Database, _ id: CameraID, _ time: Date) throws {
        try db.cachedStatement(sql: "UPDATE cameras SET last_contact = ? WHERE id = ? AND (last_contact IS NULL OR last_contact < ?)")
            .execute(arguments: [deviceMillis(time), id.rawValue, deviceMillis(time)])
    }

    /// When each camera was last heard from.
    public func cameraContacts() async throws -> [CameraID: Date] {
        let rows = try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, last_contact FROM cameras WHERE last_contact IS NOT NULL").map { ($0[0] as String, $0[1] as Int64) }
        }
        return Dictionary(uniqueKeysWithValues: rows.map { (CameraID($0.0), Date(timeIntervalSince1970: Double($0.1) / 1000)) })
    }

    /// The administrator's policies.
    public func detectionPolicies() async throws -> [DetectionType: DetectionPolicy] {
        let rows = try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT type, data FROM detection_policies").map { ($0[0] as String, $0[1] as String) }
        }
        var out: [DetectionType: DetectionPolicy] = [:]
        for (name, text) in rows {
            guard let type = DetectionType(rawValue: name) else { continue }
            out[type] = try decode(DetectionPolicy.self, text)
        }
        return out
    }

    /// Sets policies.
    public func saveDetectionPolicies(_ policies: [DetectionType: DetectionPolicy]) async throws {
        let rows = try policies.map { ($0.key.rawValue, try json($0.value)) }
        try await pool.write { db in
            let statement = try db.cachedStatement(
                sql: "INSERT INTO detection_policies (type, data) VALUES (?, ?) ON CONFLICT(type) DO UPDATE SET data = excluded.data")
            for (type, text) in rows { try statement.execute(arguments: [type, text]) }
        }
    }

    /// A stored detection.
    public func detection(id: DetectionID) async throws -> StoredDetection? {
        try await pool.read { db in try String.fetchOne(db, sql: "SELECT data FROM detections WHERE id = ?", arguments: [id.rawValue]) }
            .map { try decode(StoredDetection.self, $0) }
    }

    /// A candidate's detections, newest first.
    public func detections(candidateID: CandidateID, limit: Int) async throws -> [StoredDetection] {
        try await pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT data FROM detections WHERE candidate_id = ? ORDER BY at DESC, id DESC LIMIT ?", arguments: [candidateID.rawValue, max(0, limit)])
        }.map { try decode(StoredDetection.self, $0) }
    }

    /// The latest candidate of a scene.
    public func latestCandidate(key: CandidateKey) async throws -> StoredCandidate? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT c.data, c.version FROM detection_scenes s JOIN detection_candidates c ON c.id = s.candidate_id WHERE s.scene = ?",
                arguments: [key.sceneText]
            ).map(Self.candidateRow)
        }.map(storedCandidate)
    }

    /// Writes a detection with its candidate in one transaction.
    public func writeDetection(_ write: DetectionWrite) async throws -> Int? {
        let detectionText = try json(write.detection)
        let candidateRow = try write.candidate.map { (try json($0), try $0.reviewFact.map(json)) }
        return try await pool.write { db in
            var version: Int?
            if let c = write.candidate, let (text, fact) = candidateRow {
                if let expected = write.expectedVersion {
                    try Self.updateCandidate(db, c, text: text, fact: fact, expected: expected)
                    version = expected + 1
                } else {
                    let scene = c.key.sceneText
                    if let previous = write.previousLatest {
                        try db.execute(
                            sql: "UPDATE detection_scenes SET candidate_id = ? WHERE scene = ? AND candidate_id = ?",
                            arguments: [c.id.rawValue, scene, previous.rawValue])
                        guard db.changesCount == 1 else { throw DomainError.candidateChanged }
                    } else {
                        try db.execute(sql: "INSERT INTO detection_scenes (scene, candidate_id) VALUES (?, ?) ON CONFLICT DO NOTHING", arguments: [scene, c.id.rawValue])
                        guard db.changesCount == 1 else { throw DomainError.candidateChanged }
                    }
                    try db.execute(
                        sql: "INSERT INTO detection_candidates (id, camera_id, type, state, sampled, last_seen, version, fact, data) "
                            + "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT DO NOTHING",
                        arguments: [c.id.rawValue, c.cameraID.rawValue, c.type.rawValue, c.state.name, c.sampled, Self.deviceMillis(c.lastSeen), fact, text])
                    guard db.changesCount == 1 else { throw DomainError.candidateChanged }
                    version = 1
                }
            }
            let d = write.detection
            try db.execute(
                sql: "INSERT INTO detections (id, camera_id, at, outcome, candidate_id, data) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                arguments: [d.id.rawValue, d.input.cameraID.rawValue, Self.deviceMillis(d.input.time), d.outcome.rawValue, d.candidateID?.rawValue, detectionText])
            guard db.changesCount == 1 else { throw DomainError.candidateChanged }
            try Self.noteContact(db, d.input.cameraID, d.receivedAt)
            return version
        }
    }

    private static func updateCandidate(_ db: Database, _ c: DetectionCandidate, text: String, fact: String?, expected: Int) throws {
        try db.cachedStatement(
            sql: "UPDATE detection_candidates SET state = ?, last_seen = ?, version = version + 1, fact = ?, data = ? WHERE id = ? AND version = ?"
        ).execute(arguments: [c.state.name, deviceMillis(c.lastSeen), fact, text, c.id.rawValue, expected])
        guard db.changesCount == 1 else { throw DomainError.candidateChanged }
    }

    /// A candidate.
    public func candidate(id: CandidateID) async throws -> StoredCandidate? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT data, version FROM detection_candidates WHERE id = ?", arguments: [id.rawValue]).map(Self.candidateRow)
        }.map(storedCandidate)
    }

    /// Candidates matching the query, last seen newest first.
    public func candidates(_ q: CandidateQuery) async throws -> [StoredCandidate] {
        let rows = try await pool.read { db in
            let before = q.before.map(Self.deviceMillis) ?? Int64.max
            var sql = "SELECT data, version FROM detection_candidates WHERE last_seen < ?"
            var args: [any DatabaseValueConvertible] = [before]
            if let id = q.beforeID, q.before != nil {
                sql = "SELECT data, version FROM detection_candidates WHERE (last_seen < ? OR (last_seen = ? AND id < ?))"
                args += [before, id.rawValue]
            }
            if let s = q.state { sql += " AND state = ?"; args.append(s) }
            if let c = q.cameraID { sql += " AND camera_id = ?"; args.append(c.rawValue) }
            if let cs = q.cameraIDs { sql += " AND camera_id IN (SELECT value FROM json_each(?))"; args.append(try Self.jsonList(cs.map(\.rawValue))) }
            if let t = q.type { sql += " AND type = ?"; args.append(t.rawValue) }
            if let s = q.sampled { sql += " AND sampled = ?"; args.append(s) }
            args.append(max(0, q.limit))
            return try Row.fetchAll(db, sql: sql + " ORDER BY last_seen DESC, id DESC LIMIT ?", arguments: StatementArguments(args)).map(Self.candidateRow)
        }
        return try rows.map(storedCandidate)
    }

    // Rows are read into plain values inside the read: with a non-Sendable result GRDB's blocking `read` would be
    // chosen, holding a concurrency thread while it waits for a connection (a deadlock on a busy 2-core machine).
    private static func candidateRow(_ row: Row) -> (String, Int) { (row[0], row[1]) }

    private func storedCandidate(_ row: (String, Int)) throws -> StoredCandidate {
        StoredCandidate(candidate: try decode(DetectionCandidate.self, row.0), version: row.1)
    }

    /// Replaces a candidate at its expected version.
    public func updateCandidate(_ candidate: DetectionCandidate, expectedVersion: Int) async throws -> Int {
        let text = try json(candidate), fact = try candidate.reviewFact.map(json)
        try await pool.write { db in try Self.updateCandidate(db, candidate, text: text, fact: fact, expected: expectedVersion) }
        return expectedVersion + 1
    }

    /// The facts of every reviewed candidate.
    public func reviewFacts() async throws -> [CandidateReviewFact] {
        try await pool.read { db in try String.fetchAll(db, sql: "SELECT fact FROM detection_candidates WHERE fact IS NOT NULL") }
            .map { try decode(CandidateReviewFact.self, $0) }
    }

    /// Saves a re-check.
    public func saveRecheck(_ recheck: StoredRecheck) async throws {
        let text = try json(recheck)
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO camera_rechecks (case_id, camera_id, final, data) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT(case_id) DO UPDATE SET camera_id = excluded.camera_id, final = excluded.final, data = excluded.data",
                arguments: [recheck.recheck.caseID.rawValue, recheck.recheck.scene.cameraID.rawValue, recheck.recheck.state.isFinal, text])
        }
    }

    /// Saves a verdict while the re-check waits.
    public func settleRecheck(_ recheck: StoredRecheck) async throws -> Bool {
        let text = try json(recheck)
        return try await pool.write { db in
            try db.execute(
                sql: "UPDATE camera_rechecks SET final = ?, data = ? WHERE case_id = ? AND final = 0",
                arguments: [recheck.recheck.state.isFinal, text, recheck.recheck.caseID.rawValue])
            return db.changesCount == 1
        }
    }

    /// The re-check of a case.
    public func recheck(caseID: CaseID) async throws -> StoredRecheck? {
        try await pool.read { db in try String.fetchOne(db, sql: "SELECT data FROM camera_rechecks WHERE case_id = ?", arguments: [caseID.rawValue]) }
            .map { try decode(StoredRecheck.self, $0) }
    }

    /// Re-checks still waiting.
    public func waitingRechecks(cameraID: CameraID?) async throws -> [StoredRecheck] {
        try await pool.read { db in
            if let cameraID {
                return try String.fetchAll(db, sql: "SELECT data FROM camera_rechecks WHERE final = 0 AND camera_id = ?", arguments: [cameraID.rawValue])
            }
            return try String.fetchAll(db, sql: "SELECT data FROM camera_rechecks WHERE final = 0")
        }.map { try decode(StoredRecheck.self, $0) }.sorted { $0.recheck.requestedAt < $1.recheck.requestedAt }
    }
}
