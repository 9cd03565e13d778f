import CityLoopDomain
import CityLoopServices
import Foundation

/// The demo city's AI cameras (视频识别): cameras `CAM-001`… looking at a grid each, and a morning of detections from
/// the first of them already grouped into candidates, so the review queue has work in it.
public enum DemoCameras {
    /// `count` cameras over `grids`, each 25 m from the point it looks at.
    public static func make(seed: UInt64, count: Int, grids: [UnitGrid]) -> [Camera] {
        guard count > 0, !grids.isEmpty else { return [] }
        var rng = DemoRandom(seed: seed, stream: 23)
        return (0..<count).map { i in
            let target = grids[Int(rng.next() % UInt64(grids.count))].boundary.interiorPoint
            let heading = Double(rng.next() % 360)
            // Standing 25 m behind the target along the heading, looking 50 m: it looks at the target.
            let radians = heading * .pi / 180
            let at = target.offset(eastMetres: -25 * sin(radians), northMetres: -25 * cos(radians))
            return Camera(id: CameraID("CAM-\(String(zeroPadded: i + 1, width: 3))"), name: "路口摄像头 \(i + 1)", location: at, heading: heading, range: 50)
        }
    }

    /// Posts three detections a scene from the first cameras (at most `cameras`), ten minutes apart in the last hour,
    /// through the platform's intake, with a one-colour snapshot each; returns how many were taken in.
    @discardableResult
    public static func detect(into platform: Platform, cameras: [Camera], now: Date) async throws -> Int {
        let types: [DetectionType] = [.exposedGarbage, .illegalParking, .occupiedRoad, .streetVending, .overflowingBin, .piledMaterials]
        var taken = 0
        for (i, camera) in cameras.prefix(12).enumerated() {
            let type = types[i % types.count]
            for k in 0..<3 {
                let input = DetectionInput(
                    cameraID: camera.id, time: now.addingTimeInterval(Double(k * 10 - 50) * 60), type: type, score: 0.7 + Double((i + k) % 3) / 10,
                    boxes: [DetectionBox(x: 0.35, y: 0.45, width: 0.25, height: 0.3)], model: "cityloop-demo", modelVersion: "1.0", trackID: "demo-\(i)")
                let shade = UInt8(60 + (i * 37 + k * 11) % 160)
                let snapshot = DemoImages.png(width: 160, height: 90, red: shade, green: 120, blue: 255 - shade)
                _ = try await platform.detectionIntake.receive(input, eventID: "demo-\(i)-\(k)", snapshot: snapshot)
                taken += 1
            }
        }
        return taken
    }
}
