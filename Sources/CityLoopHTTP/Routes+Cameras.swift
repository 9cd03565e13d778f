import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird

/// A camera with where it looks, its grid and when it was last heard from.
struct CameraReply: Encodable {
    var camera: Camera
    var viewPoint: GeoPoint
    var gridCode: String?
    var lastContact: Date?
}

/// A candidate with its version (to send back with a review), its detections and its camera.
struct CandidateReply: Encodable {
    var candidate: DetectionCandidate
    var version: Int
    var detections: [StoredDetection]?
}

/// One row of the precision table.
struct PrecisionRow: Encodable {
    var camera: String?
    var type: String?
    var model: String?
    var figures: PrecisionFigures
}

/// The precision of the detections by what the reviewers decided (准确率).
struct PrecisionReply: Encodable {
    var byType: [PrecisionRow]
    var byCamera: [PrecisionRow]
    var byModel: [PrecisionRow]
    var byTypeAndModel: [PrecisionRow]
    var byCameraTypeModel: [PrecisionRow]
}

extension APIRoutes {
    func addCameraRoutes(_ api: APIBuilder) {
        let store = platform.store
        let intake = platform.detectionIntake
        let staff = CandidateReview.readers

        api.add(.get, "/api/v1/cameras", "The camera registry (摄像头) with where each looks and when it was last heard from", tag: "cameras") { _, ctx in
            _ = try ctx.requireRole(staff)
            let contacts = try await store.cameraContacts()
            let map = platform.context.map
            return try APIJSON.response(
                try await store.cameras().map { CameraReply(camera: $0, viewPoint: $0.viewPoint, gridCode: map.place($0.viewPoint)?.gridCode, lastContact: contacts[$0.id]) })
        }
        api.add(.put, "/api/v1/cameras", "Register or replace cameras: location, view direction, zones on the image, schedules, types",
                tag: "cameras", access: "admin", body: "Cameras") { req, ctx in
            _ = try ctx.requireRole(.admin)
            let cameras = try await APIJSON.decode([Camera].self, from: req, context: ctx, limit: 8 * 1024 * 1024)
            let map = platform.context.map
            for (i, c) in cameras.enumerated() {
                do { try c.validate() } catch let e as DomainError { throw DomainError.invalid("[\(i)].\(e.field ?? "camera")", e.message, code: e.code) }
                // A case needs a grid: a camera looking outside the city's grids could file nothing.
                guard map.place(c.viewPoint) != nil else {
                    throw DomainError.invalid("[\(i)].location", "camera '\(c.id)' looks at a point outside the city's grids", code: "location.outside_city")
                }
            }
            guard Set(cameras.map(\.id)).count == cameras.count else { throw DomainError.invalid("id", "a camera is listed twice") }
            try await store.saveCameras(cameras)
            await intake.referenceChanged()
            return try APIJSON.response(["saved": cameras.count])
        }
        api.add(.get, "/api/v1/cameras/:id", "A camera with its precision by type and model", tag: "cameras") { _, ctx in
            _ = try ctx.requireRole(staff)
            let id = CameraID(try ctx.param("id"))
            guard let camera = try await store.camera(id: id) else { throw DomainError.notFound("camera", id.rawValue) }
            let precision = try await CandidateReview(platform: platform).precision()
            struct Reply: Encodable {
                var camera: CameraReply
                var precision: [PrecisionRow]
            }
            let rows = precision.byKey.filter { $0.key.cameraID == id }.sorted { ($0.key.type.rawValue, $0.key.model) < ($1.key.type.rawValue, $1.key.model) }
                .map { PrecisionRow(camera: id.rawValue, type: $0.key.type.rawValue, model: $0.key.model, figures: $0.value) }
            let reply = CameraReply(
                camera: camera, viewPoint: camera.viewPoint, gridCode: platform.context.map.place(camera.viewPoint)?.gridCode,
                lastContact: try await store.cameraContacts()[id])
            return try APIJSON.response(Reply(camera: reply, precision: rows))
        }
        api.add(.post, "/api/v1/cameras/:id/heartbeat", "A camera is alive (re-checks count it as watching)", tag: "cameras", access: "partner, admin") { _, ctx in
            _ = try ctx.requireRole(.partner, .admin, .system)
            let id = CameraID(try ctx.param("id"))
            try await intake.heartbeat(id)
            return try APIJSON.response(["camera": id.rawValue])
        }
        api.add(.post, "/api/v1/detections",
                "A camera's detection: multipart with `metadata` (JSON: camera, time, type, score, boxes, model, modelVersion, trackID, id) and `snapshot` (JPEG/PNG/WebP)",
                tag: "cameras", access: "partner, admin", body: "Multipart detection") { req, ctx in
            _ = try ctx.requireRole(.partner, .admin, .system)
            let type = req.headers[.contentType] ?? ""
            guard MultipartForm.isMultipart(type) else {
                throw DomainError(
                    .unsupportedMedia, code: "detection.content_type", "send the detection as multipart/form-data with a metadata and a snapshot part",
                    field: "Content-Type")
            }
            let form = try MultipartForm(
                try await APIJSON.collect(req, limit: intake.maxSnapshotBytes + 256 * 1024), contentType: type)
            guard let metadata = form.part("metadata") else { throw DomainError.invalid("metadata", "the metadata part (JSON) is missing") }
            let meta = try APIJSON.decode(DetectionMessage.self, buffer: metadata.body)
            let snapshot = form.part("snapshot").map { Data(buffer: $0.body) } ?? meta.snapshot
            let receipt = try await intake.receive(meta.detection, eventID: meta.id, snapshot: snapshot)
            return try APIJSON.response(receipt, status: receipt.repeated ? .ok : .created)
        }
        api.add(.get, "/api/v1/detection-candidates", "The review queue (复核队列): candidates newest seen first", tag: "cameras",
                query: ["state", "camera", "type", "sampled", "before", "beforeID", "limit"]) { req, ctx in
            let actor = try ctx.requireRole(staff)
            let states = ["pending", "accepted", "rejected", "merged", "auto_filed"]
            if let s = req.query("state"), !states.contains(s) { throw DomainError.invalid("state", "state must be one of \(states.joined(separator: ", "))") }
            var type: DetectionType?
            if let t = req.query("type") {
                guard let known = DetectionType(rawValue: t) else { throw DomainError.invalid("type", "unknown detection type '\(t.prefix(40))'") }
                type = known
            }
            var sampled: Bool?
            if let s = req.query("sampled") {
                guard s == "true" || s == "false" else { throw DomainError.invalid("sampled", "sampled must be true or false") }
                sampled = s == "true"
            }
            var before = try req.queryDate("before")
            let beforeID = try Self.candidatePageID(req)
            if let beforeID {
                // The page after that candidate: its last sighting as stored (to the millisecond; answers give seconds).
                guard let last = try await store.candidate(id: beforeID) else {
                    throw DomainError.invalid("beforeID", "candidate '\(beforeID.rawValue.prefix(64))' does not exist", code: "candidate.not_found")
                }
                before = last.candidate.lastSeen
            }
            var query = CandidateQuery(
                state: req.query("state"), cameraID: req.query("camera").map { CameraID($0) }, type: type, sampled: sampled,
                before: before, beforeID: beforeID, limit: try Self.limit(req, default: 100, max: 1000))
            query.cameraIDs = try await CandidateReview(platform: platform).visibleCameras(to: actor)
            return try APIJSON.response(try await store.candidates(query).map { CandidateReply(candidate: $0.candidate, version: $0.version) })
        }
        api.add(.get, "/api/v1/detection-candidates/:id", "A candidate with its latest detections", tag: "cameras") { _, ctx in
            let actor = try ctx.requireRole(staff)
            let id = CandidateID(try ctx.param("id"))
            guard let c = try await store.candidate(id: id) else { throw DomainError.notFound("candidate", id.rawValue) }
            try await CandidateReview(platform: platform).requireVisible(c.candidate, to: actor)
            return try APIJSON.response(
                CandidateReply(candidate: c.candidate, version: c.version, detections: try await store.detections(candidateID: id, limit: 50)))
        }
        api.add(.get, "/api/v1/detection-candidates/:id/snapshots/:media",
                "A snapshot of a candidate (the reviewers, inspectors included, see it here); ?thumbnail=true for a small JPEG preview",
                tag: "cameras", query: ["thumbnail"]) { req, ctx in
            let actor = try ctx.requireRole(staff)
            let thumb = req.query("thumbnail")
            guard thumb == nil || thumb == "true" || thumb == "false" else { throw DomainError.invalid("thumbnail", "thumbnail must be true or false") }
            let id = CandidateID(try ctx.param("id")), media = try ctx.param("media")
            guard let c = try await store.candidate(id: id) else { throw DomainError.notFound("candidate", id.rawValue) }
            try await CandidateReview(platform: platform).requireVisible(c.candidate, to: actor)
            // Its kept snapshots, or one of its latest detections' (the boxes of which the console draws).
            var known = Set(c.candidate.snapshotIDs)
            if !known.contains(media) { known.formUnion(try await store.detections(candidateID: id, limit: 200).compactMap(\.snapshot)) }
            guard known.contains(media) else {
                throw DomainError(.notFound, code: "media.not_attached", "'\(media.prefix(80))' is not a snapshot of candidate \(id)", field: "media")
            }
            if thumb == "true", let small = try await platform.media.thumbnail(media) { return Self.file(small, type: "image/jpeg") }
            guard let (data, info) = try await platform.media.get(media) else { throw DomainError.notFound("media", media) }
            return Self.file(data, type: info.contentType)
        }
        api.add(.post, "/api/v1/detection-candidates/:id/review",
                "Review a candidate: accept (→ a case with the snapshots), reject with a reason, or merge into a case",
                tag: "cameras", access: "operator, shift lead, inspector, admin", body: "Review") { req, ctx in
            let actor = try ctx.requireRole(.operator, .shiftLead, .inspector, .admin)
            let input = try await APIJSON.decode(ReviewInput.self, from: req, context: ctx)
            let c = try await CandidateReview(platform: platform).review(CandidateID(try ctx.param("id")), input, actor: actor)
            return try APIJSON.response(CandidateReply(candidate: c.candidate, version: c.version))
        }
        api.add(.get, "/api/v1/detection-precision", "Precision by camera, type and model version from the review decisions", tag: "cameras") { _, ctx in
            _ = try ctx.requireRole(staff)
            let p = try await CandidateReview(platform: platform).precision()
            return try APIJSON.response(
                PrecisionReply(
                    byType: p.byType.sorted { $0.key.rawValue < $1.key.rawValue }.map { PrecisionRow(type: $0.key.rawValue, figures: $0.value) },
                    byCamera: p.byCamera.sorted { $0.key < $1.key }.map { PrecisionRow(camera: $0.key.rawValue, figures: $0.value) },
                    byModel: p.byModel.sorted { $0.key < $1.key }.map { PrecisionRow(model: $0.key, figures: $0.value) },
                    byTypeAndModel: p.byTypeAndModel.sorted { ($0.key.type.rawValue, $0.key.model) < ($1.key.type.rawValue, $1.key.model) }
                        .map { PrecisionRow(type: $0.key.type.rawValue, model: $0.key.model, figures: $0.value) },
                    byCameraTypeModel: p.byKey.sorted { ($0.key.cameraID, $0.key.type.rawValue, $0.key.model) < ($1.key.cameraID, $1.key.type.rawValue, $1.key.model) }
                        .map { PrecisionRow(camera: $0.key.cameraID.rawValue, type: $0.key.type.rawValue, model: $0.key.model, figures: $0.value) }))
        }
        api.add(.get, "/api/v1/detection-policies", "The detection policies in force by type: matter, score threshold, sampling, window, auto-filing",
                tag: "cameras") { _, ctx in
            _ = try ctx.requireRole(staff)
            let merged = DetectionPolicy.defaults.merging(try await store.detectionPolicies()) { $1 }
            return try APIJSON.response(Dictionary(uniqueKeysWithValues: merged.map { ($0.key.rawValue, $0.value) }))
        }
        api.add(.put, "/api/v1/detection-policies", "Set the policies of some types (the others keep theirs)", tag: "cameras", access: "admin",
                body: "Detection policies") { req, ctx in
            _ = try ctx.requireRole(.admin)
            let raw = try await APIJSON.decode([String: DetectionPolicy].self, from: req, context: ctx)
            var policies: [DetectionType: DetectionPolicy] = [:]
            let catalog = platform.context.catalog
            for (name, policy) in raw {
                guard let type = DetectionType(rawValue: name) else {
                    throw DomainError.invalid(name, "unknown detection type '\(name.prefix(40))'; known: \(DetectionType.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                try policy.validate(at: name, isMatter: { catalog.matter($0) != nil })
                policies[type] = policy
            }
            try await store.saveDetectionPolicies(policies)
            await intake.referenceChanged()
            return try APIJSON.response(["saved": policies.count])
        }
        api.add(.post, "/api/v1/cases/:id/camera-recheck", "Ask the camera a case came from to check its scene (视频核查) for a window",
                tag: "cameras", access: "operator, shift lead, dispatcher, inspector", body: "Recheck") { req, ctx in
            let actor = try ctx.requireRole(.operator, .shiftLead, .dispatcher, .inspector, .admin)
            struct Input: Decodable { var window: Double? }
            var window: Double?
            if req.headers[.contentLength].map({ $0 != "0" }) ?? false { window = try await APIJSON.decode(Input.self, from: req, context: ctx).window }
            let r = try await CameraRechecks(platform: platform).request(caseRef: try ctx.param("id"), window: window, actor: actor)
            return try APIJSON.response(r, status: .created)
        }
        api.add(.get, "/api/v1/cases/:id/camera-recheck", "The check by camera of a case and its verdict", tag: "cameras") { _, ctx in
            _ = try ctx.requireRole(staff)
            let ref = try ctx.param("id")
            var found = try await store.caseRecord(id: CaseID(ref))
            if found == nil { found = try await store.caseRecord(number: ref) }
            guard let c = found, let r = try await store.recheck(caseID: c.id) else { throw DomainError.notFound("camera recheck", ref) }
            return try APIJSON.response(r)
        }
    }

    /// `beforeID`, the last candidate of the previous page: 1–128 characters without control characters.
    static func candidatePageID(_ req: Request) throws -> CandidateID? {
        guard let id = req.query("beforeID") else { return nil }
        guard (1...128).contains(id.count), !id.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw DomainError.invalid("beforeID", "beforeID must be a candidate ID of 1 to 128 characters")
        }
        return CandidateID(id)
    }
}
