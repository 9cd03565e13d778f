import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import Testing

/// AI cameras over HTTP: a camera registered, detections posted as multipart with their snapshots and grouped into
/// one candidate per scene, the review queue (accept → a case with the snapshots, reject, merge), precision from the
/// decisions, auto-filing once a model is trusted, a check by camera on the case's timeline, and bad input refused
/// with the reason.
@Suite struct CameraAPITests {
    static func detection(_ api: API, _ meta: [String: Any], snapshot: Data? = tinyPNG(), as user: String = "partner") async throws -> Reply {
        let boundary = "----cityloop-\(UUID().uuidString)"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n".utf8)
        body += try JSONSerialization.data(withJSONObject: meta)
        if let snapshot {
            body += Data("\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"snapshot\"; filename=\"frame.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
            body += snapshot
        }
        body += Data("\r\n--\(boundary)--\r\n".utf8)
        var h = HTTPFields()
        h[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return try await api.send(.post, "/api/v1/detections", as: user, raw: body, headers: h)
    }

    static func meta(_ api: API, after seconds: Double = 0, type: String = "exposedGarbage", score: Double = 0.9, camera: String = "cam-1") -> [String: Any] {
        [
            "camera": camera, "time": ISO8601DateFormatter().string(from: api.city.clock.now().addingTimeInterval(seconds)), "type": type, "score": score,
            "boxes": [["x": 0.4, "y": 0.5, "width": 0.2, "height": 0.2]], "model": "yolo", "modelVersion": "8.1", "trackID": "t-\(type)",
        ]
    }

    static func put(_ api: API, _ uri: String, _ body: Any, as user: String = "admin") async throws -> Reply {
        var h = HTTPFields()
        h[.contentType] = "application/json"
        return try await api.send(.put, uri, as: user, raw: try JSONSerialization.data(withJSONObject: body), headers: h)
    }

    static func registerCamera(_ api: API) async throws {
        // 25 m west of the city's point, looking east 50 m: it looks at the point.
        let at = api.city.point.offset(eastMetres: -25, northMetres: 0)
        let camera: [String: Any] = ["id": "cam-1", "name": "人民路口", "location": ["lat": at.lat, "lon": at.lon], "heading": 90, "range": 50]
        #expect(try await put(api, "/api/v1/cameras", [camera]).status == .ok)
        // Deterministic: nothing below the threshold is sampled in these tests.
        let policies: [String: Any] = [
            "exposedGarbage": ["matterCode": "06010", "sampleEvery": 0], "illegalParking": ["matterCode": "09009", "sampleEvery": 0],
            "occupiedRoad": ["matterCode": "09006", "sampleEvery": 0],
        ]
        #expect(try await put(api, "/api/v1/detection-policies", policies).status == .ok)
    }

    @Test func registryAndBadInputAreRefusedWithTheReason() async throws {
        try await TestCity.serve { api in
            try await Self.registerCamera(api)
            let cameras = try await api.get("/api/v1/cameras", as: "operator").objects("")
            let mine = cameras.first { ($0["camera"] as? [String: Any])?["id"] as? String == "cam-1" }
            #expect(mine?["gridCode"] as? String == api.city.grid.code, "\(cameras)")
            let far: [String: Any] = ["id": "cam-far", "name": "远方", "location": ["lat": 39.9, "lon": 116.4], "heading": 0]
            let r1 = try await Self.put(api, "/api/v1/cameras", [far])
            #expect(r1.status == .unprocessableContent && r1.errorField == "[0].location", "\(r1)")
            let badName = try await Self.put(api, "/api/v1/cameras", [far.merging(["name": "a\u{7}"]) { $1 }])
            #expect(badName.status == .unprocessableContent, "\(badName)")
            // A bad schedule is named where it stands, with its own code.
            let badHours = try await Self.put(api, "/api/v1/cameras", [far.merging(["schedules": ["07:00-22:00", "06:00-06:00"]]) { $1 }])
            #expect(badHours.status == .unprocessableContent && badHours.errorField == "body[0].schedules[1]", "\(badHours)")
            #expect(badHours.string("error.code") == "hours.invalid" || badHours.string("code") == "hours.invalid", "\(badHours)")
            #expect(try await Self.put(api, "/api/v1/cameras", [far], as: "operator").status == .forbidden)
            let badPolicy = try await Self.put(api, "/api/v1/detection-policies", ["exposedGarbage": ["matterCode": "99999"]])
            #expect(badPolicy.status == .unprocessableContent, "\(badPolicy)")
            let unknownType = try await Self.put(api, "/api/v1/detection-policies", ["flyingSaucer": ["matterCode": "06010"]])
            #expect(unknownType.status == .unprocessableContent && unknownType.errorField == "flyingSaucer", "\(unknownType)")

            let notImage = try await Self.detection(api, Self.meta(api), snapshot: Data("GIF89a but not really an image at all".utf8))
            #expect(notImage.status == .unsupportedMediaType && notImage.errorField == "snapshot", "\(notImage)")
            let text = try await Self.detection(api, Self.meta(api), snapshot: Data("just text".utf8))
            #expect(text.status == .unsupportedMediaType && text.errorField == "snapshot", "\(text)")
            let huge = try await Self.detection(api, Self.meta(api), snapshot: tinyPNG() + Data(count: 5 * 1024 * 1024))
            #expect(huge.status == .contentTooLarge, "\(huge)")
            let unknown = try await Self.detection(api, Self.meta(api, camera: "cam-404"))
            #expect(unknown.status == .unprocessableContent && unknown.errorField == "camera", "\(unknown)")
            for (field, value) in [("score", 2.0 as Any), ("type", "flyingSaucer"), ("boxes", [Any]()), ("time", "yesterday")] {
                let r = try await Self.detection(api, Self.meta(api).merging([field: value]) { $1 })
                #expect(r.status == .unprocessableContent && r.errorField == field, "\(field): \(r)")
            }
            let box = try await Self.detection(api, Self.meta(api).merging(["boxes": [["x": 0.9, "y": 0.5, "width": 0.2, "height": 0.2]]]) { $1 })
            #expect(box.status == .unprocessableContent && box.errorField?.hasPrefix("boxes[0]") == true, "\(box)")
            let stale = try await Self.detection(api, Self.meta(api, after: -8 * 86_400))
            #expect(stale.status == .unprocessableContent && stale.errorField == "time", "\(stale)")
            var h = HTTPFields()
            h[.contentType] = "application/json"
            let json = try await api.send(.post, "/api/v1/detections", as: "partner", raw: try JSONSerialization.data(withJSONObject: Self.meta(api)), headers: h)
            #expect(json.status == .unsupportedMediaType, "\(json)")
            #expect(try await Self.detection(api, Self.meta(api), as: "citizen").status == .forbidden)
            // Nothing of the refused posts was kept.
            #expect(try await api.get("/api/v1/detection-candidates?camera=cam-1", as: "operator").objects("").isEmpty)
        }
    }

    @Test func aSceneIsOneCandidateThatAReviewerFilesRejectsOrMerges() async throws {
        try await TestCity.serve { api in
            try await Self.registerCamera(api)
            let first = try await Self.detection(api, Self.meta(api))
            #expect(first.status == .created && first.string("outcome") == "opened", "\(first)")
            let candidate = try #require(first.string("candidate"))
            // The camera retrying the same post gets the same answer; nothing is stored twice.
            let again = try await Self.detection(api, Self.meta(api))
            #expect(again.status == .ok && again.string("candidate") == candidate && again["repeated"] as? Bool == true, "\(again)")
            // A stationary object seen every minute stays one candidate.
            for minute in 1...5 {
                let r = try await Self.detection(api, Self.meta(api, after: Double(minute) * 60))
                #expect(r.string("outcome") == "joined" && r.string("candidate") == candidate, "\(r)")
            }
            let low = try await Self.detection(api, Self.meta(api, after: 30, score: 0.2))
            #expect(low.string("outcome") == "belowScore" && low.string("candidate") == nil, "\(low)")
            let queue = try await api.get("/api/v1/detection-candidates?state=pending&camera=cam-1", as: "operator").objects("")
            #expect(queue.count == 1, "\(queue)")
            let shown = try await api.get("/api/v1/detection-candidates/\(candidate)", as: "inspector")
            #expect(shown.int("candidate.count") == 6 && shown.objects("detections").count == 6, "\(shown)")
            let version = try #require(shown.int("version"))

            #expect(try await api.send(.post, "/api/v1/detection-candidates/\(candidate)/review", as: "dispatcher", json: ["decision": "accept"]).status == .forbidden)
            let badReason = try await api.send(.post, "/api/v1/detection-candidates/\(candidate)/review", as: "operator", json: ["decision": "reject"])
            #expect(badReason.status == .unprocessableContent && badReason.errorField == "reason", "\(badReason)")
            // A detection joining after the reviewer read the candidate changes nothing they decide on.
            #expect(try await Self.detection(api, Self.meta(api, after: 290)).string("candidate") == candidate)
            let accepted = try await api.send(.post, "/api/v1/detection-candidates/\(candidate)/review", as: "operator", json: ["decision": "accept", "version": version])
            #expect(accepted.status == .ok && accepted.string("candidate.state.status") == "accepted", "\(accepted)")
            let caseID = try #require(accepted.string("candidate.state.caseID"))
            let filed = try await api.get("/api/v1/cases/\(caseID)", as: "operator")
            #expect(filed.string("case.source") == "video" && filed.string("case.matterCode") == "06010", "\(filed)")
            #expect(!["pendingVerification", "pendingFiling"].contains(filed.string("case.state") ?? ""), "\(filed)")
            #expect(!(filed["case.evidence"] as? [Any] ?? []).isEmpty, "\(filed)")
            #expect(filed.string("case.placement.gridCode") == api.city.grid.code, "\(filed)")
            let twice = try await api.send(.post, "/api/v1/detection-candidates/\(candidate)/review", as: "shiftlead", json: ["decision": "accept"])
            #expect(twice.status == .conflict, "\(twice)")
            // Still there after it was accepted: it joins the accepted candidate, no new alert.
            api.city.clock.advance(by: 400)
            let still = try await Self.detection(api, Self.meta(api))
            #expect(still.string("candidate") == candidate && still.string("candidateState") == "accepted", "\(still)")

            // An inspector reviews the scenes of their own grids only.
            let elsewhere = try #require(api.city.platform.context.map.grids.first { !$0.code.hasPrefix("410102") }).boundary.interiorPoint
            let far: [String: Any] = ["id": "cam-2", "name": "北门", "location": ["lat": elsewhere.lat, "lon": elsewhere.lon], "heading": 0, "range": 2]
            #expect(try await Self.put(api, "/api/v1/cameras", [far]).status == .ok)
            let farCandidate = try #require(try await Self.detection(api, Self.meta(api, camera: "cam-2")).string("candidate"))
            let outside = try await api.send(
                .post, "/api/v1/detection-candidates/\(farCandidate)/review", as: "inspector", json: ["decision": "reject", "reason": "falsePositive"])
            #expect(outside.status == .forbidden, "\(outside)")
            // … and sees only those: the far camera's candidate is not in their queue, nor shown to them.
            let inspectorQueue = try await api.get("/api/v1/detection-candidates", as: "inspector").objects("").compactMap { $0["candidate"] as? [String: Any] }
            #expect(inspectorQueue.contains { $0["id"] as? String == candidate } && !inspectorQueue.contains { $0["id"] as? String == farCandidate }, "\(inspectorQueue)")
            #expect(try await api.send(.get, "/api/v1/detection-candidates/\(farCandidate)", as: "inspector").status == .forbidden)
            let operatorQueue = try await api.get("/api/v1/detection-candidates", as: "operator").objects("").compactMap { $0["candidate"] as? [String: Any] }
            #expect(operatorQueue.contains { $0["id"] as? String == farCandidate }, "\(operatorQueue)")

            // Another type on the same camera: a false positive.
            let parking = try #require(try await Self.detection(api, Self.meta(api, type: "illegalParking")).string("candidate"))
            let rejected = try await api.send(
                .post, "/api/v1/detection-candidates/\(parking)/review", as: "inspector", json: ["decision": "reject", "reason": "falsePositive", "note": "阴影"])
            #expect(rejected.string("candidate.state.status") == "rejected", "\(rejected)")
            // A third, merged into the accepted case by its number.
            let number = try #require(filed.string("case.number"))
            let stall = try #require(try await Self.detection(api, Self.meta(api, type: "occupiedRoad")).string("candidate"))
            let merged = try await api.send(.post, "/api/v1/detection-candidates/\(stall)/review", as: "shiftlead", json: ["decision": "merge", "caseID": number])
            #expect(merged.string("candidate.state.status") == "merged" && merged.string("candidate.state.caseID") == caseID, "\(merged)")
            let timeline = try await api.get("/api/v1/cases/\(caseID)", as: "operator").objects("timeline").compactMap { $0["action"] as? String }
            #expect(timeline.contains("link_report"), "\(timeline)")

            // Paged one at a time by the last one's ID: the same candidates as in one page, none twice.
            func ids(_ path: String) async throws -> [String] {
                try await api.get(path, as: "operator").objects("").compactMap { ($0["candidate"] as? [String: Any])?["id"] as? String }
            }
            var paged: [String] = []
            var next = "/api/v1/detection-candidates?limit=1"
            while let last = try await ids(next).last, paged.count < 50 {
                paged.append(last)
                next = "/api/v1/detection-candidates?limit=1&beforeID=\(last)"
            }
            #expect(paged == (try await ids("/api/v1/detection-candidates?limit=100")) && paged.count >= 4, "\(paged)")
            let unknownPage = try await api.send(.get, "/api/v1/detection-candidates?beforeID=nope", as: "operator")
            #expect(unknownPage.status == .unprocessableContent && unknownPage.errorField == "beforeID", "\(unknownPage)")

            let precision = try await api.get("/api/v1/detection-precision", as: "leader")
            let byType = Dictionary(uniqueKeysWithValues: precision.objects("byType").map { ($0["type"] as? String ?? "", $0) })
            #expect((byType["exposedGarbage"]?["figures"] as? [String: Any])?["truePositives"] as? Int == 1, "\(precision)")
            #expect((byType["illegalParking"]?["figures"] as? [String: Any])?["falsePositives"] as? Int == 1, "\(precision)")
            let camera = precision.objects("byCamera").first { $0["camera"] as? String == "cam-1" }
            #expect((camera?["figures"] as? [String: Any])?["reviewed"] as? Int == 3, "\(precision)")
        }
    }

    @Test func aTrustedModelFilesByItselfAndTheCameraChecksTheCase() async throws {
        try await TestCity.serve { api in
            try await Self.registerCamera(api)
            let first = try #require(try await Self.detection(api, Self.meta(api)).string("candidate"))
            let accepted = try await api.send(.post, "/api/v1/detection-candidates/\(first)/review", as: "operator", json: ["decision": "accept"])
            let caseID = try #require(accepted.string("candidate.state.caseID"))
            // The administrator trusts the model for the type once one review says it was right.
            let trust: [String: Any] = ["exposedGarbage": ["matterCode": "06010", "sampleEvery": 0, "autoFilePrecision": 0.9, "autoFileMinReviewed": 1, "verifyFirst": false]]
            #expect(try await Self.put(api, "/api/v1/detection-policies", trust).status == .ok)
            api.city.clock.advance(by: 3600)
            let auto = try await Self.detection(api, Self.meta(api))
            #expect(auto.string("outcome") == "opened" && auto.string("candidateState") == "auto_filed" && auto.string("caseID") != nil, "\(auto)")
            #expect(auto.string("caseID") != caseID)
            // Another model version has no record yet: it waits for review.
            api.city.clock.advance(by: 3600)
            let other = try await Self.detection(api, Self.meta(api).merging(["modelVersion": "9.0"]) { $1 })
            #expect(other.string("candidateState") == "pending", "\(other)")

            // The first case is checked by the camera: a detection of the scene within the window says it is still there.
            let asked = try await api.send(.post, "/api/v1/cases/\(caseID)/camera-recheck", as: "dispatcher", json: ["window": 600])
            #expect(asked.status == .created && asked["recheck.state.waiting"] != nil, "\(asked)")
            #expect(try await api.send(.post, "/api/v1/cases/\(caseID)/camera-recheck", as: "citizen", json: [:]).status == .forbidden)
            api.city.clock.advance(by: 60)
            _ = try await Self.detection(api, Self.meta(api).merging(["modelVersion": "9.0"]) { $1 })
            let verdict = try await api.get("/api/v1/cases/\(caseID)/camera-recheck", as: "operator")
            #expect(verdict["recheck.state.stillPresent"] != nil, "\(verdict)")
            let timeline = try await api.get("/api/v1/cases/\(caseID)", as: "operator").objects("timeline").compactMap { $0["action"] as? String }
            #expect(timeline.contains("camera_recheck"), "\(timeline)")

            // The auto-filed case: checked with no detection, the camera heard from late in the window → absent.
            let autoCase = try #require(auto.string("caseID"))
            _ = try await api.send(.post, "/api/v1/cases/\(autoCase)/camera-recheck", as: "dispatcher", json: ["window": 600])
            api.city.clock.advance(by: 500)
            #expect(try await api.send(.post, "/api/v1/cameras/cam-1/heartbeat", as: "partner").status == .ok)
            api.city.clock.advance(by: 200)
            #expect(try await CameraRechecks(platform: api.city.platform).sweep() == 1)
            let absent = try await api.get("/api/v1/cases/\(autoCase)/camera-recheck", as: "operator")
            #expect(absent["recheck.state.absent"] != nil, "\(absent)")
            // A case that did not come from a camera cannot be checked by one.
            let plain = try await api.newCase(as: "inspector", garbageReport(at: api.city.point))
            #expect(try await api.send(.post, "/api/v1/cases/\(plain)/camera-recheck", as: "dispatcher", json: [:]).status == .conflict)
        }
    }
}
