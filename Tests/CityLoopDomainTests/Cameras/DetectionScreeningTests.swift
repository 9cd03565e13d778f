import CityLoopDomain
import Foundation
import Testing

@Suite("Detection screening")
struct DetectionScreeningTests {
    typealias F = CameraFixtures
    static let policy = DetectionPolicy(matterCode: "09006", minScore: 0.6, sampleEvery: 1)

    static func screen(_ d: DetectionInput, _ c: Camera, policy: DetectionPolicy = policy, id: DetectionID = "d1") -> DetectionScreening {
        DetectionScreening.screen(d, id: id, camera: c, policy: policy)
    }

    @Test("the checks run in order: active, schedule, type, zones, score")
    func order() throws {
        var cam = F.zoned
        cam.active = false
        cam.schedules = [try DailyWindow("08:00-20:00")]
        cam.types = [.exposedGarbage]
        // Night, wrong type, standing in no zone (the roadway is for parking only), low score: everything is wrong.
        var d = F.detection(at: F.local(3), type: .occupiedRoad, score: 0.2, boxes: [F.box(footX: 0.75, footY: 0.3)])
        #expect(Self.screen(d, cam) == .cameraInactive)
        cam.active = true
        #expect(Self.screen(d, cam) == .outOfSchedule)
        d.time = F.local(10)
        #expect(Self.screen(d, cam) == .typeNotAllowed)
        cam.types.insert(.occupiedRoad)
        #expect(Self.screen(d, cam) == .outsideZones)
        d.boxes = [F.box(footX: 0.3, footY: 0.8)]
        #expect(Self.screen(d, cam) == .belowScore(sampled: true, zoneID: "pavement"))
        d.score = 0.6
        #expect(Self.screen(d, cam) == .accepted(zoneID: "pavement"))
    }

    @Test("without zones the whole picture counts and the zone is nil")
    func noZones() {
        let d = F.detection(at: F.local(10), boxes: [F.box(footX: 0.75, footY: 0.1)])
        #expect(Self.screen(d, F.camera) == .accepted(zoneID: nil))
        #expect(DetectionScreening.accepted(zoneID: nil).key(for: d) == CandidateKey(cameraID: "cam-01", type: .occupiedRoad, zoneID: nil))
    }

    @Test("a zone restricted to parking takes parking only")
    func zoneTypes() {
        let parked = F.detection(at: F.local(10), type: .illegalParking, boxes: [F.box(footX: 0.75, footY: 0.3)])
        #expect(Self.screen(parked, F.zoned) == .accepted(zoneID: "roadway"))
        var stall = parked
        stall.type = .streetVending
        #expect(Self.screen(stall, F.zoned) == .outsideZones)
    }

    @Test("the zone is that of the best box standing in an allowed zone; the first zone wins on overlap")
    func zoneChoice() {
        // Box 0 (no own score, 0.8) stands on the pavement, box 1 (0.95) on the roadway.
        let d = F.detection(
            at: F.local(10), type: .illegalParking, boxes: [F.box(footX: 0.3, footY: 0.9), F.box(footX: 0.7, footY: 0.4, score: 0.95)])
        #expect(Self.screen(d, F.zoned) == .accepted(zoneID: "roadway"))
        var cam = F.zoned
        cam.zones.reverse()
        // A foot on the shared edge y = 0.5 is in both zones: the camera's first zone takes it.
        let edge = F.detection(at: F.local(10), type: .illegalParking, boxes: [F.box(footX: 0.7, footY: 0.5)])
        #expect(Self.screen(edge, cam) == .accepted(zoneID: "roadway"))
        #expect(Self.screen(edge, F.zoned) == .accepted(zoneID: "pavement"))
        // A vending stall: box 1 stands on the roadway, which does not allow it, so box 0 decides.
        var stall = d
        stall.type = .streetVending
        #expect(Self.screen(stall, F.zoned) == .accepted(zoneID: "pavement"))
    }

    @Test("below the score, a detection is sampled by its ID's hash, or dropped")
    func sampling() throws {
        var policy = Self.policy
        policy.sampleEvery = 0
        let d = F.detection(at: F.local(10), score: 0.3)
        #expect(Self.screen(d, F.camera, policy: policy) == .belowScore(sampled: false, zoneID: nil))
        #expect(DetectionScreening.belowScore(sampled: false, zoneID: nil).key(for: d) == nil)
        policy.sampleEvery = 4
        let verdicts = (0..<400).map { Self.screen(d, F.camera, policy: policy, id: DetectionID("d\($0)")) }
        let sampled = verdicts.filter { $0 == .belowScore(sampled: true, zoneID: nil) }.count
        #expect(sampled > 60 && sampled < 140)
        let key = try #require(DetectionScreening.belowScore(sampled: true, zoneID: nil).key(for: d))
        #expect(key.sampled)
    }
}
