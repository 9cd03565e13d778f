import CityLoopDomain
import Foundation
import Testing

@Suite("Camera recheck")
struct CameraRecheckTests {
    typealias F = CameraFixtures
    static let scene = CandidateKey(cameraID: "cam-01", type: .exposedGarbage, zoneID: "pavement")
    static let t = F.local(14)
    static func check() throws -> CameraRecheck { try CameraRecheck(caseID: "case-1", scene: scene, requestedAt: t) }
    static func garbage(_ seconds: Double) -> DetectionInput { F.detection(at: t.addingTimeInterval(seconds), type: .exposedGarbage) }
    static func at(_ seconds: Double) -> Date { t.addingTimeInterval(seconds) }

    /// Feeds a detection `seconds` after the request under `key`; returns whether the state changed.
    static func observe(_ c: inout CameraRecheck, _ seconds: Double, key: CandidateKey = scene, snapshot: String = "m") -> Bool {
        c.observe(garbage(seconds), key: key, snapshot: snapshot)
    }

    @Test("waits for 30 minutes by default")
    func waiting() throws {
        let c = try Self.check()
        #expect(c.state == .waiting(until: Self.at(1800)))
        #expect(!c.state.isFinal)
        #expect(F.field { _ = try CameraRecheck(caseID: "case-1", scene: Self.scene, requestedAt: Self.t, window: 10) } == "window")
    }

    @Test("a detection of the same scene after the request and within the window: still present")
    func stillPresent() throws {
        var c = try Self.check()
        var otherZone = Self.scene
        otherZone.zoneID = "roadway"
        var otherType = Self.scene
        otherType.type = .piledMaterials
        var sampledKey = Self.scene
        sampledKey.sampled = true
        let ignored = [
            Self.observe(&c, -10), Self.observe(&c, 0), Self.observe(&c, 60, key: otherZone), Self.observe(&c, 60, key: otherType),
            Self.observe(&c, 60, key: sampledKey), Self.observe(&c, 1801),
        ]
        #expect(ignored == [false, false, false, false, false, false])
        #expect(c.state == .waiting(until: c.until))
        let seen = Self.observe(&c, 120, snapshot: "m2")
        #expect(seen)
        #expect(c.state == .stillPresent(detectionTime: Self.at(120), snapshot: "m2"))
        let again = Self.observe(&c, 300, snapshot: "m3")
        let expired = c.expire(now: Self.at(4000), lastContact: Self.at(3000), camera: F.zoned)
        #expect(!again && !expired)
        #expect(c.state == .stillPresent(detectionTime: Self.at(120), snapshot: "m2"))
        #expect(c.state.isFinal)
    }

    @Test("the window passes with the camera heard from in its second half: absent")
    func absent() throws {
        var c = try Self.check()
        let early = c.expire(now: Self.at(1799), lastContact: Self.at(1700), camera: F.zoned)
        #expect(!early)
        #expect(!c.state.isFinal)
        let done = c.expire(now: Self.at(1800), lastContact: Self.at(900), camera: F.zoned)
        #expect(done)
        #expect(c.state == .absent(lastContact: Self.at(900)))
    }

    @Test("the window passes with the camera silent in its second half: inconclusive")
    func inconclusive() throws {
        var c = try Self.check()
        c.expire(now: Self.at(2000), lastContact: Self.at(899), camera: F.zoned)
        #expect(c.state == .inconclusive)
        var silent = try Self.check()
        silent.expire(now: Self.at(2000), lastContact: nil, camera: F.zoned)
        #expect(silent.state == .inconclusive)
        let late = Self.observe(&silent, 60)
        #expect(!late)
        #expect(silent.state == .inconclusive)
    }

    @Test("a camera that could not have seen the scene in the window's second half proves nothing: inconclusive")
    func notWatching() throws {
        func verdict(_ camera: Camera?) throws -> CameraRecheck.State {
            var c = try Self.check()
            c.expire(now: Self.at(1800), lastContact: Self.at(1700), camera: camera)
            return c.state
        }
        var inactive = F.zoned
        inactive.active = false
        var otherTypes = F.zoned
        otherTypes.types = [.illegalParking]
        var zoneGone = F.zoned
        zoneGone.zones = [F.roadway]
        // 14:00 + 15…30 min lies outside 08:00–14:10.
        var morning = F.zoned
        morning.schedules = [try DailyWindow("08:00-14:10")]
        var afternoon = F.zoned
        afternoon.schedules = [try DailyWindow("14:20-18:00")]
        for camera in [nil, inactive, otherTypes, zoneGone, morning] { #expect(try verdict(camera) == .inconclusive) }
        #expect(try verdict(afternoon) == .absent(lastContact: Self.at(1700)))
        #expect(try verdict(F.zoned) == .absent(lastContact: Self.at(1700)))
    }
}
