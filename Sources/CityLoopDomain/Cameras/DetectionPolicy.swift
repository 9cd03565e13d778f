import Foundation

/// How the detections of one type are handled (识别策略): the score that counts, how many of the dropped ones are
/// kept for review so the model's precision below the threshold can be measured, how long a scene stays one
/// candidate, and whether candidates are filed without review once the model has proved precise enough.
public struct DetectionPolicy: Hashable, Codable, Sendable {
    /// The matter class (管理事项) its cases are filed under.
    public var matterCode: String
    /// The urgency of its cases.
    public var urgency: Urgency
    /// Detections scoring below this, 0...1, are dropped (or sampled).
    public var minScore: Double
    /// Keep 1 in `sampleEvery` of the dropped detections for review (抽样复核), chosen by a hash of the detection's ID;
    /// 0 keeps none.
    public var sampleEvery: Int
    /// Seconds without a detection after which the same scene opens a new candidate, 60...86400.
    public var groupWindow: TimeInterval
    /// The reviewed precision, 0...1, at which a model's candidates of this type are filed without review (自动立案);
    /// nil never files them automatically. Set by an administrator.
    public var autoFilePrecision: Double?
    /// How many of a model's candidates of this type must have been reviewed before it may auto-file.
    public var autoFileMinReviewed: Int
    /// Whether an automatically filed case still goes to the grid's inspector to verify on site first (核实).
    public var verifyFirst: Bool

    /// Creates a policy.
    public init(
        matterCode: String, urgency: Urgency = .normal, minScore: Double = 0.6, sampleEvery: Int = 20,
        groupWindow: TimeInterval = 600, autoFilePrecision: Double? = nil, autoFileMinReviewed: Int = 50,
        verifyFirst: Bool = true
    ) {
        self.matterCode = matterCode
        self.urgency = urgency
        self.minScore = minScore
        self.sampleEvery = sampleEvery
        self.groupWindow = groupWindow
        self.autoFilePrecision = autoFilePrecision
        self.autoFileMinReviewed = autoFileMinReviewed
        self.verifyFirst = verifyFirst
    }

    private enum CodingKeys: String, CodingKey {
        case matterCode, urgency, minScore, sampleEvery, groupWindow, autoFilePrecision, autoFileMinReviewed, verifyFirst
    }

    /// Reads a policy; every field but `matterCode` takes its default when absent.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(matterCode: try c.decode(String.self, forKey: .matterCode))
        urgency = try c.decodeIfPresent(Urgency.self, forKey: .urgency) ?? urgency
        minScore = try c.decodeIfPresent(Double.self, forKey: .minScore) ?? minScore
        sampleEvery = try c.decodeIfPresent(Int.self, forKey: .sampleEvery) ?? sampleEvery
        groupWindow = try c.decodeIfPresent(TimeInterval.self, forKey: .groupWindow) ?? groupWindow
        autoFilePrecision = try c.decodeIfPresent(Double.self, forKey: .autoFilePrecision)
        autoFileMinReviewed = try c.decodeIfPresent(Int.self, forKey: .autoFileMinReviewed) ?? autoFileMinReviewed
        verifyFirst = try c.decodeIfPresent(Bool.self, forKey: .verifyFirst) ?? verifyFirst
    }

    /// The policies in force by default: every type at its catalog class, a score of 0.6, 1 in 20 of the dropped
    /// detections sampled, a 10-minute window and no auto-filing. A missing manhole cover is urgent and counts from
    /// 0.5: a missed hole costs more than a wasted look.
    public static let defaults: [DetectionType: DetectionPolicy] = {
        var out: [DetectionType: DetectionPolicy] = [:]
        for t in DetectionType.allCases { out[t] = DetectionPolicy(matterCode: t.matterCode) }
        out[.missingManholeCover] = DetectionPolicy(
            matterCode: DetectionType.missingManholeCover.matterCode, urgency: .urgent, minScore: 0.5, sampleEvery: 10)
        return out
    }()

    /// The policy for `type`: the configured one, else the default.
    public static func policy(for type: DetectionType, in policies: [DetectionType: DetectionPolicy] = defaults) -> DetectionPolicy {
        policies[type] ?? defaults[type] ?? DetectionPolicy(matterCode: type.matterCode)
    }

    /// Whether the dropped detection with this ID is kept for review: the 64-bit FNV-1a hash of the ID's text is a
    /// multiple of `sampleEvery`. Deterministic, so a replayed detection is sampled the same way.
    public func isSampled(_ id: DetectionID) -> Bool {
        sampleEvery > 0 && CameraText.fnv1a(id.rawValue) % UInt64(sampleEvery) == 0
    }

    /// Throws an invalid-input error naming the field under `path` (e.g. `exposedGarbage.minScore`): a matter code of
    /// 5 digits that `isMatter` knows, a score in 0...1, a sampling rate of 0...10000, a window of 60...86400 s, an
    /// auto-filing precision in 0...1 (above 0) and a minimum of 1...100000 reviewed.
    public func validate(at path: String = "", isMatter: (String) -> Bool = { _ in true }) throws {
        func field(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
        guard matterCode.count == 5, matterCode.allSatisfy({ $0.isASCII && $0.isNumber }), isMatter(matterCode) else {
            throw DomainError.invalid(
                field("matterCode"), "matter class '\(matterCode.prefix(16))' is not in the catalog", code: "detection_policy.matter")
        }
        guard minScore.isFinite, (0...1).contains(minScore) else {
            throw DomainError.invalid(field("minScore"), "minScore must be a number in 0...1", code: "detection_policy.score")
        }
        guard (0...10_000).contains(sampleEvery) else {
            throw DomainError.invalid(field("sampleEvery"), "sampleEvery must be 0 (none) to 10000", code: "detection_policy.sample")
        }
        guard groupWindow.isFinite, (60...86_400).contains(groupWindow) else {
            throw DomainError.invalid(field("groupWindow"), "groupWindow must be 60–86400 seconds", code: "detection_policy.window")
        }
        if let p = autoFilePrecision, !(p.isFinite && p > 0 && p <= 1) {
            throw DomainError.invalid(
                field("autoFilePrecision"), "autoFilePrecision must be above 0 and at most 1, or absent to never auto-file",
                code: "detection_policy.auto_file")
        }
        guard (1...100_000).contains(autoFileMinReviewed) else {
            throw DomainError.invalid(
                field("autoFileMinReviewed"), "autoFileMinReviewed must be 1–100000", code: "detection_policy.auto_file")
        }
    }

    /// Validates every policy of a configuration, naming the field by its type, e.g. `exposedGarbage.minScore`.
    public static func validate(_ policies: [DetectionType: DetectionPolicy], isMatter: (String) -> Bool = { _ in true }) throws {
        for t in DetectionType.allCases {
            try policies[t]?.validate(at: t.rawValue, isMatter: isMatter)
        }
    }
}
