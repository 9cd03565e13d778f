import CityLoopDomain
import Foundation
import Testing

@Suite("Detection boxes")
struct DetectionBoxTests {
    @Test("the bottom centre is the middle of the bottom edge")
    func bottomCenter() {
        let b = DetectionBox(x: 0.2, y: 0.3, width: 0.4, height: 0.5)
        #expect(abs(b.bottomCenter.x - 0.4) < 1e-12)
        #expect(abs(b.bottomCenter.y - 0.8) < 1e-12)
    }

    @Test("intersection over union: same box 1, disjoint or touching 0, half overlap 1/3")
    func iou() {
        let a = DetectionBox(x: 0, y: 0, width: 0.2, height: 0.2)
        #expect(a.iou(a) == 1)
        #expect(a.iou(DetectionBox(x: 0.5, y: 0.5, width: 0.2, height: 0.2)) == 0)
        #expect(a.iou(DetectionBox(x: 0.2, y: 0, width: 0.2, height: 0.2)) == 0)
        let shifted = DetectionBox(x: 0.1, y: 0, width: 0.2, height: 0.2)
        #expect(abs(a.iou(shifted) - 1.0 / 3) < 1e-12)
        #expect(abs(shifted.iou(a) - a.iou(shifted)) < 1e-15)
        let inner = DetectionBox(x: 0.05, y: 0.05, width: 0.1, height: 0.1)
        #expect(abs(a.iou(inner) - 0.25) < 1e-12)
    }

    @Test("a box must lie in the picture; a rounding error at the edge is tolerated")
    func validation() {
        func field(_ b: DetectionBox) -> String? { CameraFixtures.field { try b.validate(at: "boxes[3]") } }
        #expect(field(DetectionBox(x: 0.7, y: 0.7, width: 0.3, height: 0.3)) == nil)
        #expect(field(DetectionBox(x: -0.1, y: 0, width: 0.1, height: 0.1)) == "boxes[3].x")
        #expect(field(DetectionBox(x: 0, y: .infinity, width: 0.1, height: 0.1)) == "boxes[3].y")
        #expect(field(DetectionBox(x: 0, y: 0, width: 0, height: 0.1)) == "boxes[3].width")
        #expect(field(DetectionBox(x: 0, y: 0, width: 0.1, height: 1.5)) == "boxes[3].height")
        #expect(field(DetectionBox(x: 0.8, y: 0, width: 0.3, height: 0.1)) == "boxes[3].width")
        #expect(field(DetectionBox(x: 0, y: 0.95, width: 0.1, height: 0.1)) == "boxes[3].height")
        #expect(field(DetectionBox(x: 0, y: 0, width: 0.1, height: 0.1, score: 1.1)) == "boxes[3].score")
        #expect(field(DetectionBox(x: 0, y: 0, width: 0.1, height: 0.1, label: "a\u{0}b")) == "boxes[3].label")
        #expect(field(DetectionBox(x: 0, y: 0, width: 0.1, height: 0.1, label: "")) == "boxes[3].label")
    }
}
