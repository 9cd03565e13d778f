import CityLoopDomain
import Foundation
import Testing

@Suite("Detection precision")
struct DetectionPrecisionTests {
    static let a = "cityeye@3.1"
    static let b = "cityeye@3.2"

    static func facts(
        _ n: Int, _ outcome: CandidateReviewFact.Outcome, camera: CameraID = "cam-01", type: DetectionType = .exposedGarbage,
        models: Set<String> = [a], sampled: Bool = false
    ) -> [CandidateReviewFact] {
        Array(repeating: CandidateReviewFact(cameraID: camera, type: type, models: models, sampled: sampled, outcome: outcome), count: n)
    }

    /// The Wilson lower bound in its other textbook form, (2np + z² − z√(z² + 4np(1−p))) / (2(n + z²)).
    static func wilson(_ s: Int, _ n: Int) -> Double {
        let z = 1.959963984540054, nn = Double(n), p = Double(s) / nn
        return (2 * nn * p + z * z - z * (z * z + 4 * nn * p * (1 - p)).squareRoot()) / (2 * (nn + z * z))
    }

    static let example: [CandidateReviewFact] =
        facts(8, .truePositive) + facts(2, .falsePositive) + facts(2, .excluded)
        + facts(3, .truePositive, camera: "cam-02") + facts(3, .falsePositive, camera: "cam-02")
        + facts(1, .truePositive, sampled: true) + facts(4, .falsePositive, sampled: true)
        + facts(5, .truePositive, type: .streetVending, models: [b])
        + facts(1, .truePositive, camera: "cam-02", models: [a, b])

    @Test("figures per camera, type and model on a hand-computed example")
    func perKey() throws {
        let p = DetectionPrecision(facts: Self.example)
        let k = try #require(p.byKey[.init(cameraID: "cam-01", type: .exposedGarbage, model: Self.a)])
        #expect(k.truePositives == 8 && k.falsePositives == 2 && k.reviewed == 10 && k.excluded == 2)
        #expect(k.precision == 0.8)
        #expect(abs(try #require(k.lowerBound) - Self.wilson(8, 10)) < 1e-12)
        #expect(abs(try #require(k.lowerBound) - 0.4902) < 1e-4)
        #expect(k.sampledReviewed == 5)
        #expect(k.sampledPrecision == 0.2)
        #expect(abs(try #require(k.sampledLowerBound) - Self.wilson(1, 5)) < 1e-12)
        let k2 = try #require(p.byKey[.init(cameraID: "cam-02", type: .exposedGarbage, model: Self.a)])
        #expect(k2.truePositives == 4 && k2.falsePositives == 3)
        #expect(p.byKey[.init(cameraID: "cam-02", type: .exposedGarbage, model: Self.b)]?.truePositives == 1)
    }

    @Test("roll-ups per type, camera and model count a candidate once per slice")
    func rollUps() throws {
        let p = DetectionPrecision(facts: Self.example)
        let garbage = try #require(p.byType[.exposedGarbage])
        #expect(garbage.truePositives == 12 && garbage.falsePositives == 5 && garbage.excluded == 2)
        #expect(garbage.precision == 12.0 / 17)
        #expect(abs(try #require(garbage.lowerBound) - Self.wilson(12, 17)) < 1e-12)
        #expect(garbage.sampledReviewed == 5 && garbage.sampledTruePositives == 1)
        let cam1 = try #require(p.byCamera["cam-01"])
        #expect(cam1.truePositives == 13 && cam1.falsePositives == 2)
        #expect(p.byCamera["cam-02"]?.reviewed == 7)
        #expect(p.byModel[Self.a]?.truePositives == 12)
        #expect(p.byModel[Self.a]?.falsePositives == 5)
        #expect(p.byModel[Self.b]?.truePositives == 6)
        #expect(p.figures(type: .exposedGarbage, model: Self.a).precision == 12.0 / 17)
        #expect(p.figures(type: .exposedGarbage, model: Self.b).reviewed == 1)
        #expect(p.figures(type: .streetVending, model: Self.b).precision == 1)
    }

    @Test("duplicate and out-of-scope rejections are left out; no reviews means no precision")
    func excluded() {
        let p = DetectionPrecision(facts: Self.facts(3, .truePositive) + Self.facts(10, .excluded))
        #expect(p.byType[.exposedGarbage]?.reviewed == 3)
        #expect(p.byType[.exposedGarbage]?.precision == 1)
        #expect(abs((p.byType[.exposedGarbage]?.lowerBound ?? 0) - 0.4385) < 1e-4)
        let none = DetectionPrecision(facts: Self.facts(4, .excluded))
        #expect(none.byType[.exposedGarbage]?.precision == nil)
        #expect(none.byType[.exposedGarbage]?.lowerBound == nil)
        #expect(PrecisionFigures().sampledPrecision == nil)
    }

    @Test("the sample does not bias the main figure")
    func sampledApart() {
        let p = DetectionPrecision(facts: Self.facts(9, .truePositive) + Self.facts(1, .falsePositive) + Self.facts(40, .falsePositive, sampled: true))
        let f = p.figures(type: .exposedGarbage, model: Self.a)
        #expect(f.precision == 0.9)
        #expect(f.reviewed == 10)
        #expect(f.sampledReviewed == 40 && f.sampledPrecision == 0)
    }

    @Test("auto-filing: on at the threshold with enough reviews, off below either, never for an unmeasured version")
    func autoFile() {
        var policy = DetectionPolicy(matterCode: "06010", autoFilePrecision: 0.9, autoFileMinReviewed: 50)
        func allows(_ facts: [CandidateReviewFact], model: String = Self.a) -> Bool {
            DetectionPrecision.autoFile(type: .exposedGarbage, model: model, precision: DetectionPrecision(facts: facts), policy: policy)
        }
        let exactly = Self.facts(45, .truePositive) + Self.facts(5, .falsePositive)
        #expect(allows(exactly))
        #expect(!allows(Self.facts(44, .truePositive) + Self.facts(5, .falsePositive)))
        #expect(!allows(Self.facts(44, .truePositive) + Self.facts(6, .falsePositive)))
        #expect(!allows(Self.facts(44, .truePositive) + Self.facts(5, .falsePositive) + Self.facts(10, .excluded)))
        #expect(!allows(Self.facts(40, .truePositive) + Self.facts(10, .truePositive, sampled: true)))
        #expect(allows(exactly + Self.facts(100, .falsePositive, sampled: true)))
        #expect(!allows(exactly, model: Self.b))
        #expect(!allows(exactly + Self.facts(60, .truePositive, type: .streetVending, models: [Self.b]), model: Self.b))
        policy.autoFilePrecision = nil
        #expect(!allows(Self.facts(500, .truePositive)))
    }

    @Test("figures are written with their derived values")
    func json() throws {
        let f = PrecisionFigures(truePositives: 8, falsePositives: 2)
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(f)) as? [String: Any]
        #expect(object?["precision"] as? Double == 0.8)
        #expect(object?["reviewed"] as? Int == 10)
        #expect(object?["sampledPrecision"] == nil)
        #expect(try JSONDecoder().decode(PrecisionFigures.self, from: JSONEncoder().encode(f)) == f)
    }
}
