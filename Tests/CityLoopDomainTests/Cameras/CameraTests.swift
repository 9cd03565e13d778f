import CityLoopDomain
import Foundation
import Testing

@Suite("Cameras")
struct CameraTests {
    typealias F = CameraFixtures

    /// Haversine distance and initial bearing from `a` to `b`, computed independently of `viewPoint`.
    static func bearing(_ a: GeoPoint, _ b: GeoPoint) -> Double {
        let p1 = a.lat * .pi / 180, p2 = b.lat * .pi / 180, dl = (b.lon - a.lon) * .pi / 180
        let y = sin(dl) * cos(p2), x = cos(p1) * sin(p2) - sin(p1) * cos(p2) * cos(dl)
        return (atan2(y, x) * 180 / .pi + 360).truncatingRemainder(dividingBy: 360)
    }

    @Test("the view point lies range/2 metres along the heading: north for 0°, east for 90°", arguments: [0.0, 90, 180, 270, 45])
    func viewPoint(heading: Double) {
        var c = F.camera
        c.heading = heading
        c.range = 120
        let v = c.viewPoint
        #expect(abs(F.corner.distance(to: v) - 60) < 0.01)
        let b = Self.bearing(F.corner, v)
        #expect(min(abs(b - heading), 360 - abs(b - heading)) < 0.01)
        if heading == 0 {
            #expect(v.lat > F.corner.lat)
            #expect(abs(v.lon - F.corner.lon) < 1e-9)
        }
        if heading == 90 {
            #expect(v.lon > F.corner.lon)
            #expect(abs(v.lat - F.corner.lat) < 1e-6)
        }
    }

    @Test("the default range is 50 m, so the view point is 25 m away")
    func defaultRange() throws {
        let json = #"{"id":"cam-02","name":"东门","location":{"lat":34.7,"lon":113.6},"heading":180}"#
        let c = try JSONDecoder().decode(Camera.self, from: Data(json.utf8))
        #expect(c.range == 50)
        #expect(c.active)
        #expect(c.zones.isEmpty && c.schedules.isEmpty && c.types.isEmpty)
        #expect(abs(c.location.distance(to: c.viewPoint) - 25) < 0.01)
        #expect(c.viewPoint.lat < c.location.lat)
    }

    @Test("schedules are local China time; none means always on")
    func schedules() throws {
        var c = F.camera
        #expect(c.isScheduled(at: F.local(3)))
        c.schedules = [try DailyWindow("07:00-20:00")]
        #expect(c.isScheduled(at: F.local(7)))
        #expect(c.isScheduled(at: F.local(19.99)))
        #expect(!c.isScheduled(at: F.local(20)))
        #expect(!c.isScheduled(at: F.local(6.5)))
        c.schedules.append(try DailyWindow("22:00-02:00"))
        #expect(c.isScheduled(at: F.local(23)))
        #expect(c.isScheduled(at: F.local(25)))
    }

    @Test("a camera reports the types it lists, or every type when it lists none")
    func reports() {
        var c = F.camera
        #expect(DetectionType.allCases.allSatisfy(c.reports))
        c.types = [.exposedGarbage]
        #expect(c.reports(.exposedGarbage))
        #expect(!c.reports(.illegalParking))
    }

    @Test("validation names the field at fault")
    func validation() {
        #expect(F.field { try F.zoned.validate() } == nil)
        func fieldAfter(_ change: (inout Camera) -> Void) -> String? {
            var c = F.zoned
            change(&c)
            return F.field { try c.validate() }
        }
        #expect(fieldAfter { $0.id = "cam 01" } == "id")
        #expect(fieldAfter { $0.id = "" } == "id")
        #expect(fieldAfter { $0.id = CameraID(String(repeating: "a", count: 65)) } == "id")
        #expect(fieldAfter { $0.id = "cam-01\n" } == "id")
        #expect(fieldAfter { $0.name = "" } == "name")
        #expect(fieldAfter { $0.name = "东门\t1" } == "name")
        #expect(fieldAfter { $0.name = String(repeating: "门", count: 101) } == "name")
        #expect(fieldAfter { $0.location.lat = 91 } == "location.lat")
        #expect(fieldAfter { $0.location.lon = .nan } == "location.lon")
        #expect(fieldAfter { $0.heading = 360 } == "heading")
        #expect(fieldAfter { $0.heading = -1 } == "heading")
        #expect(fieldAfter { $0.range = 0.5 } == "range")
        #expect(fieldAfter { $0.range = 501 } == "range")
        #expect(fieldAfter { $0.zones = Array(repeating: F.pavement, count: 33) } == "zones")
        #expect(fieldAfter { $0.zones[1].id = "pavement" } == "zones[1].id")
        #expect(fieldAfter { $0.zones[1].id = "车道" } == "zones[1].id")
        #expect(fieldAfter { $0.zones[0].name = "" } == "zones[0].name")
        #expect(fieldAfter { $0.zones[1].points.removeLast(2) } == "zones[1].points")
        #expect(fieldAfter { $0.zones[1].points = Array(repeating: .init(x: 0.1, y: 0.1), count: 65) } == "zones[1].points")
        #expect(fieldAfter { $0.zones[1].points[2].x = 1.2 } == "zones[1].points[2].x")
        #expect(fieldAfter { $0.zones[0].points[3].y = -0.1 } == "zones[0].points[3].y")
        #expect(fieldAfter { $0.zones[0].points = [.init(x: 0, y: 0), .init(x: 0.5, y: 0.5), .init(x: 1, y: 1)] } == "zones[0].points")
    }

    @Test("an unknown type in a camera's zone is refused naming its path")
    func unknownZoneType() {
        let json = #"{"id":"c","name":"n","location":{"lat":34.7,"lon":113.6},"heading":0,"#
            + #""zones":[{"id":"z","name":"z","points":[{"x":0,"y":0},{"x":1,"y":0},{"x":1,"y":1}],"types":["flyingSaucer"]}]}"#
        #expect(F.field { _ = try JSONDecoder().decode(Camera.self, from: Data(json.utf8)) } == "zones[0].types[0]")
    }
}
