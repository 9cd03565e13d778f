import Foundation

/// Review counts and precision (准确率) of one slice of candidates. `reviewed` counts the reviews that say something
/// about the model (true plus false positives); duplicate and out-of-scope rejections are counted in `excluded`
/// only. Sampled below-threshold candidates are counted apart, so the sample does not drag the main figure down.
public struct PrecisionFigures: Hashable, Codable, Sendable {
    /// True plus false positives among the candidates that passed the threshold.
    public var reviewed: Int { truePositives + falsePositives }
    /// Accepted or merged.
    public var truePositives: Int
    /// Rejected as false positive, unclear image or other reason.
    public var falsePositives: Int
    /// Rejected as duplicate or out of scope.
    public var excluded: Int
    /// Accepted or merged among the sampled candidates.
    public var sampledTruePositives: Int
    /// Rejected against the model among the sampled candidates.
    public var sampledFalsePositives: Int
    /// True plus false positives among the sampled candidates.
    public var sampledReviewed: Int { sampledTruePositives + sampledFalsePositives }

    /// Creates figures from counts.
    public init(truePositives: Int = 0, falsePositives: Int = 0, excluded: Int = 0, sampledTruePositives: Int = 0, sampledFalsePositives: Int = 0) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.excluded = excluded
        self.sampledTruePositives = sampledTruePositives
        self.sampledFalsePositives = sampledFalsePositives
    }

    /// True positives over reviewed; nil when none was reviewed.
    public var precision: Double? { reviewed > 0 ? Double(truePositives) / Double(reviewed) : nil }
    /// The lower bound of the 95 % Wilson score interval of the precision; nil when none was reviewed.
    public var lowerBound: Double? { Self.wilsonLowerBound(successes: truePositives, trials: reviewed) }
    /// The precision of the sampled candidates: what the model gets right below the threshold.
    public var sampledPrecision: Double? {
        sampledReviewed > 0 ? Double(sampledTruePositives) / Double(sampledReviewed) : nil
    }
    /// The 95 % Wilson lower bound of the sampled precision.
    public var sampledLowerBound: Double? { Self.wilsonLowerBound(successes: sampledTruePositives, trials: sampledReviewed) }

    /// Adds one fact's outcome.
    public mutating func add(_ outcome: CandidateReviewFact.Outcome, sampled: Bool) {
        switch (outcome, sampled) {
        case (.truePositive, false): truePositives += 1
        case (.falsePositive, false): falsePositives += 1
        case (.truePositive, true): sampledTruePositives += 1
        case (.falsePositive, true): sampledFalsePositives += 1
        case (.excluded, _): excluded += 1
        }
    }

    /// z for a two-sided 95 % interval.
    public static let z95 = 1.959_963_984_540_054

    /// The lower bound of the Wilson score interval for `successes` of `trials`: unlike the bare ratio it is low for
    /// few trials (3 of 3 gives 0.44), so a small lucky sample does not look precise. Nil for no trials.
    public static func wilsonLowerBound(successes: Int, trials: Int, z: Double = z95) -> Double? {
        guard trials > 0 else { return nil }
        let n = Double(trials), p = Double(successes) / n, z2 = z * z
        let centre = p + z2 / (2 * n)
        let spread = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        return max(0, (centre - spread) / (1 + z2 / n))
    }

    private enum CodingKeys: String, CodingKey {
        case reviewed, truePositives, falsePositives, excluded, precision, lowerBound
        case sampledReviewed, sampledTruePositives, sampledFalsePositives, sampledPrecision, sampledLowerBound
    }

    /// Reads the counts (the derived figures are recomputed).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            truePositives: try c.decode(Int.self, forKey: .truePositives), falsePositives: try c.decode(Int.self, forKey: .falsePositives),
            excluded: try c.decodeIfPresent(Int.self, forKey: .excluded) ?? 0,
            sampledTruePositives: try c.decodeIfPresent(Int.self, forKey: .sampledTruePositives) ?? 0,
            sampledFalsePositives: try c.decodeIfPresent(Int.self, forKey: .sampledFalsePositives) ?? 0)
    }

    /// Writes the counts with the derived figures, for dashboards.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(reviewed, forKey: .reviewed)
        try c.encode(truePositives, forKey: .truePositives)
        try c.encode(falsePositives, forKey: .falsePositives)
        try c.encode(excluded, forKey: .excluded)
        try c.encodeIfPresent(precision, forKey: .precision)
        try c.encodeIfPresent(lowerBound, forKey: .lowerBound)
        try c.encode(sampledReviewed, forKey: .sampledReviewed)
        try c.encode(sampledTruePositives, forKey: .sampledTruePositives)
        try c.encode(sampledFalsePositives, forKey: .sampledFalsePositives)
        try c.encodeIfPresent(sampledPrecision, forKey: .sampledPrecision)
        try c.encodeIfPresent(sampledLowerBound, forKey: .sampledLowerBound)
    }
}
