import Foundation

/// One quantity a device type sends (测量项), named after FIWARE Smart Data Models where they have one
/// (`fillingLevel`, `LAeq`, `pm25`, `currentLevel`, …).
public struct MeasurementSpec: Hashable, Codable, Sendable {
    /// What the values are.
    public enum Kind: Hashable, Codable, Sendable {
        /// A number in `unit`, physically possible only within `range` (a reading outside it is a fault, rejected).
        case number(unit: String, range: ClosedRange<Double>)
        /// One of a fixed set of states (e.g. `open`/`closed`).
        case state([String])
    }

    /// The field name in readings.
    public var name: String
    /// Chinese and English labels.
    public var labelZh: String
    public var labelEn: String
    public var kind: Kind

    /// Creates a measurement.
    public init(name: String, labelZh: String, labelEn: String, kind: Kind) {
        self.name = name
        self.labelZh = labelZh
        self.labelEn = labelEn
        self.kind = kind
    }

    /// A numeric measurement.
    public static func number(_ name: String, _ zh: String, _ en: String, unit: String, range: ClosedRange<Double>) -> MeasurementSpec {
        MeasurementSpec(name: name, labelZh: zh, labelEn: en, kind: .number(unit: unit, range: range))
    }

    /// A measurement of states.
    public static func state(_ name: String, _ zh: String, _ en: String, _ states: [String]) -> MeasurementSpec {
        MeasurementSpec(name: name, labelZh: zh, labelEn: en, kind: .state(states))
    }

    /// The unit of a numeric measurement; nil for states.
    public var unit: String? {
        if case .number(let unit, _) = kind { return unit }
        return nil
    }
}
