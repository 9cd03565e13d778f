import CityLoopDomain
import Foundation
import Testing

/// Shared cameras, zones and detections of the camera tests.
enum CameraFixtures {
    /// 2026-05-01 00:00 in UTC+8.
    static let midnight = Date(timeIntervalSince1970: 1_777_564_800)
    /// `hours` after local midnight on 1 May 2026.
    static func local(_ hours: Double) -> Date { midnight.addingTimeInterval(hours * 3600) }
    /// A street corner in Zhengzhou.
    static let corner = GeoPoint(lat: 34.7466, lon: 113.6254)

    /// The lower half of the picture (the pavement), for every type.
    static let pavement = CameraZone(
        id: "pavement", name: "人行道",
        points: [.init(x: 0, y: 0.5), .init(x: 1, y: 0.5), .init(x: 1, y: 1), .init(x: 0, y: 1)])
    /// The upper right quarter (the roadway), for parking only.
    static let roadway = CameraZone(
        id: "roadway", name: "机动车道",
        points: [.init(x: 0.5, y: 0), .init(x: 1, y: 0), .init(x: 1, y: 0.5), .init(x: 0.5, y: 0.5)], types: [.illegalParking])

    /// A camera with no zones, no schedules and every type.
    static let camera = Camera(id: "cam-01", name: "金水路与经三路口", location: corner, heading: 90)
    /// The same camera with the two zones.
    static var zoned: Camera {
        var c = camera
        c.zones = [pavement, roadway]
        return c
    }

    /// A box whose bottom centre is at (`footX`, `footY`).
    static func box(footX: Double, footY: Double, score: Double? = nil) -> DetectionBox {
        DetectionBox(x: footX - 0.05, y: footY - 0.1, width: 0.1, height: 0.1, score: score)
    }

    /// A detection at `time` by camera `cam-01`, its one box standing on the pavement.
    static func detection(
        at time: Date, type: DetectionType = .occupiedRoad, score: Double = 0.8, boxes: [DetectionBox]? = nil,
        camera: CameraID = "cam-01", version: String = "3.1", trackID: String? = nil
    ) -> DetectionInput {
        DetectionInput(
            cameraID: camera, time: time, type: type, score: score, boxes: boxes ?? [box(footX: 0.5, footY: 0.8)], model: "cityeye",
            modelVersion: version, trackID: trackID)
    }

    /// The field an error names, or nil when it is not a domain error.
    static func field(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let e as DomainError {
            return e.field
        } catch {
            return "not a DomainError: \(error)"
        }
    }
}
