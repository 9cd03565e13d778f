import CityLoopDomain
import Foundation
import Testing

@Suite("Detection policies")
struct DetectionPolicyTests {
    @Test("every type's default matter class is a national catalog matter")
    func catalogCodes() throws {
        for t in DetectionType.allCases {
            let p = DetectionPolicy.policy(for: t)
            let entry = try #require(Catalog.national.matter(p.matterCode), "\(t) → \(p.matterCode)")
            #expect(!entry.isLocal)
            #expect(p.autoFilePrecision == nil)
            #expect(p.groupWindow == 600)
            try p.validate(isMatter: { Catalog.national.matter($0) != nil })
        }
        #expect(Catalog.national.matter("06010")?.name == "暴露垃圾")
        #expect(Catalog.national.matter(DetectionType.missingManholeCover.matterCode)?.name == "不明井盖异常")
        #expect(Catalog.national.component(DetectionType.missingManholeCover.matterCode)?.name == "不明井盖")
        #expect(Catalog.national.matter(DetectionType.occupiedRoad.matterCode)?.name == "占道经营")
        #expect(Catalog.national.matter(DetectionType.illegalParking.matterCode)?.name == "机动车乱停放")
        #expect(DetectionPolicy.policy(for: .missingManholeCover).urgency == .urgent)
    }

    @Test("a configured policy replaces the default of its type only")
    func lookup() {
        let custom = DetectionPolicy(matterCode: "06011", minScore: 0.3)
        let policies: [DetectionType: DetectionPolicy] = [.exposedGarbage: custom]
        #expect(DetectionPolicy.policy(for: .exposedGarbage, in: policies) == custom)
        #expect(DetectionPolicy.policy(for: .streetVending, in: policies) == DetectionPolicy.defaults[.streetVending])
    }

    @Test("sampling keeps about 1 in N, the same IDs every time, none at 0")
    func sampling() {
        var p = DetectionPolicy(matterCode: "06010", sampleEvery: 10)
        let ids = (0..<20_000).map { DetectionID("det-\($0)") }
        let kept = ids.filter(p.isSampled)
        #expect((1_800...2_200).contains(kept.count))
        #expect(kept == ids.filter(p.isSampled))
        p.sampleEvery = 1
        #expect(ids.allSatisfy(p.isSampled))
        p.sampleEvery = 0
        #expect(!ids.contains(where: p.isSampled))
    }

    @Test("validation names the field, prefixed by the type in a configuration")
    func validation() {
        func field(_ change: (inout DetectionPolicy) -> Void) -> String? {
            var p = DetectionPolicy(matterCode: "06010")
            change(&p)
            return CameraFixtures.field { try DetectionPolicy.validate([.exposedGarbage: p], isMatter: { Catalog.national.matter($0) != nil }) }
        }
        #expect(field { _ in } == nil)
        #expect(field { $0.matterCode = "99999" } == "exposedGarbage.matterCode")
        #expect(field { $0.matterCode = "6010" } == "exposedGarbage.matterCode")
        #expect(field { $0.minScore = 1.5 } == "exposedGarbage.minScore")
        #expect(field { $0.sampleEvery = -1 } == "exposedGarbage.sampleEvery")
        #expect(field { $0.groupWindow = 30 } == "exposedGarbage.groupWindow")
        #expect(field { $0.autoFilePrecision = 0 } == "exposedGarbage.autoFilePrecision")
        #expect(field { $0.autoFilePrecision = 1.01 } == "exposedGarbage.autoFilePrecision")
        #expect(field { $0.autoFileMinReviewed = 0 } == "exposedGarbage.autoFileMinReviewed")
    }

    @Test("a policy in JSON needs only its matter class; a configuration is keyed by type")
    func json() throws {
        let p = try JSONDecoder().decode(DetectionPolicy.self, from: Data(#"{"matterCode":"06010","autoFilePrecision":0.9}"#.utf8))
        #expect(p == DetectionPolicy(matterCode: "06010", autoFilePrecision: 0.9))
        let text = String(decoding: try JSONEncoder().encode([DetectionType.exposedGarbage: p]), as: UTF8.self)
        #expect(text.hasPrefix(#"{"exposedGarbage":{"#))
        let back = try JSONDecoder().decode([DetectionType: DetectionPolicy].self, from: Data(text.utf8))
        #expect(back == [.exposedGarbage: p])
    }
}
