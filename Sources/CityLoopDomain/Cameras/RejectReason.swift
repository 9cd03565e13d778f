import Foundation

/// Why a reviewer rejected a candidate (驳回原因). Only some reasons say the model was wrong: see `countsAgainstModel`.
public enum RejectReason: String, Hashable, Codable, Sendable, CaseIterable {
    /// Nothing of the kind is there (误报): the model was wrong.
    case falsePositive
    /// Real, but already a case or another candidate (重复): says nothing about the model.
    case duplicate
    /// Real, but not the city management's business here, e.g. private ground (非管辖): says nothing about the model.
    case notInScope
    /// The snapshot is too unclear to tell (图像不清): the model raised an alert that could not be confirmed.
    case lowQuality
    /// Another reason, given in the note (其他).
    case other

    /// Whether the rejection counts as a false positive in the model's precision. Duplicates and out-of-scope
    /// rejections do not: the model saw what was there.
    public var countsAgainstModel: Bool {
        switch self {
        case .falsePositive, .lowQuality, .other: true
        case .duplicate, .notInScope: false
        }
    }

    /// The Chinese label.
    public var label: String {
        switch self {
        case .falsePositive: "误报"
        case .duplicate: "重复"
        case .notInScope: "非管辖"
        case .lowQuality: "图像不清"
        case .other: "其他"
        }
    }
}
