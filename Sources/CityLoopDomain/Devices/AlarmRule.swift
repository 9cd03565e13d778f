import Foundation

/// How serious an alarm is (告警级别), as IoT platforms rank them.
public enum AlarmSeverity: String, Codable, Sendable, CaseIterable, Comparable {
    case critical, major, minor, warning

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    /// Critical first.
    public static func < (a: AlarmSeverity, b: AlarmSeverity) -> Bool { a.rank > b.rank }
}

/// When a device's readings raise an alarm of one type, and when they clear it (告警规则). One active alarm per
/// device and type: readings while it is active update it.
public struct AlarmRule: Hashable, Codable, Sendable {
    /// A threshold: a fixed value, or one of the device's own attributes (a water gauge's `alertLevel`). In JSON a
    /// number, or `{"attribute": "alertLevel"}`.
    public enum Level: Hashable, Codable, Sendable {
        case value(Double)
        case attribute(String)

        /// The threshold for `device`; nil when the device lacks the attribute (the rule then does not apply).
        public func resolve(_ device: Device) -> Double? {
            switch self {
            case .value(let v): v
            case .attribute(let name): device.attributes[name]
            }
        }
    }

    /// What raises and clears the alarm. In JSON an object with one member naming the kind:
    /// `{"above": {"raise": 70, "clear": 65}}`, `{"below": {"raise": 0.1, "clear": 0.2}}`,
    /// `{"sustained": {"above": {"attribute": "alertLevel"}, "seconds": 300}}`,
    /// `{"repeated": {"above": 150, "times": 5, "seconds": 900}}`, `{"rate": {"perMinute": 0.05}}`, `{"state": ["open"]}`.
    public enum Condition: Hashable, Codable, Sendable {
        /// Raised at a value ≥ `raise`, cleared at a value ≤ `clear` (below `raise`: a value wavering at the
        /// threshold does not raise and clear it again and again).
        case above(raise: Level, clear: Level)
        /// Raised at a value ≤ `raise`, cleared at a value ≥ `clear`.
        case below(raise: Level, clear: Level)
        /// Every reading ≥ `level` for at least `seconds`; cleared by the first reading below.
        case sustained(above: Level, seconds: Double)
        /// `times` readings ≥ `level` within `seconds`; cleared once `seconds` pass with none.
        case repeated(above: Level, times: Int, seconds: Double)
        /// A change between two readings faster than `perMinute`: a rise when it is positive, a fall when it is
        /// negative; cleared by a change within it.
        case rate(perMinute: Double)
        /// A state among `states` (a cover `open`); cleared by any other.
        case state([String])
    }

    /// The alarm type (`coverOpen`, `waterAboveAlert`, …): one active alarm per device and type.
    public var type: String
    public var labelZh: String
    public var labelEn: String
    /// The measurement the rule watches.
    public var measurement: String
    public var severity: AlarmSeverity
    public var condition: Condition

    /// Creates a rule.
    public init(type: String, labelZh: String, labelEn: String, measurement: String, severity: AlarmSeverity, condition: Condition) {
        self.type = type
        self.labelZh = labelZh
        self.labelEn = labelEn
        self.measurement = measurement
        self.severity = severity
        self.condition = condition
    }

    /// Problems naming the field, for a rule given by an administrator.
    public func problems(in profile: DeviceProfile) -> [(field: String, message: String)] {
        var out: [(String, String)] = []
        if type.range(of: "^[A-Za-z][A-Za-z0-9_]{0,47}$", options: .regularExpression) == nil {
            out.append(("type", "type must be 1–48 letters, digits or _, starting with a letter"))
        }
        if type == Alarm.offlineType { out.append(("type", "offline is the platform's own alarm type")) }
        for (field, label) in [("labelZh", labelZh), ("labelEn", labelEn)]
        where label.trimmingCharacters(in: .whitespaces).isEmpty || label.count > 40 || TextRules.firstRefused(in: label) != nil {
            out.append((field, "\(field) must be 1–40 characters of text"))
        }
        guard let spec = profile.measurement(measurement) else {
            return out + [("measurement", "profile \(profile.id) has no measurement '\(measurement)'")]
        }
        switch (condition, spec.kind) {
        case (.state(let states), .state(let known)):
            if states.isEmpty || !Set(states).isSubset(of: known) { out.append(("condition", "states must be among \(known.joined(separator: ", "))")) }
        case (.state, .number), (_, .state):
            out.append(("condition", "a state rule needs a state measurement, a threshold rule a numeric one"))
        case (.above(let raise, let clear), _):
            if case .value(let r) = raise, case .value(let c) = clear, c > r { out.append(("condition", "clear must not be above raise")) }
        case (.below(let raise, let clear), _):
            if case .value(let r) = raise, case .value(let c) = clear, c < r { out.append(("condition", "clear must not be below raise")) }
        case (.sustained(_, let seconds), _):
            if !(1...604_800).contains(seconds) { out.append(("condition", "seconds must be between 1 and 604800")) }
        case (.repeated(_, let times, let seconds), _):
            if !(2...10_000).contains(times) || !(1...604_800).contains(seconds) { out.append(("condition", "times must be 2–10000 and seconds 1–604800")) }
        case (.rate(let perMinute), _):
            if perMinute == 0 || !perMinute.isFinite { out.append(("condition", "perMinute must be a number other than 0")) }
        }
        return out
    }
}

// The JSON forms documented on `Level` and `Condition`. Decoding also reads the forms Swift's synthesized coding
// wrote before (`{"value": {"_0": 70}}`, `{"state": {"_0": ["open"]}}`), kept in devices registered then.
extension AlarmRule.Level {
    private enum Keys: String, CodingKey { case attribute, value, legacy = "_0" }

    public init(from decoder: any Decoder) throws {
        if let v = try? decoder.singleValueContainer().decode(Double.self) {
            self = .value(v)
            return
        }
        let c = try decoder.container(keyedBy: Keys.self)
        if let name = try? c.decode(String.self, forKey: .attribute) {
            self = .attribute(name)
        } else if let old = try? c.nestedContainer(keyedBy: Keys.self, forKey: .attribute), let name = try? old.decode(String.self, forKey: .legacy) {
            self = .attribute(name)
        } else if let old = try? c.nestedContainer(keyedBy: Keys.self, forKey: .value), let v = try? old.decode(Double.self, forKey: .legacy) {
            self = .value(v)
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a level is a number or {\"attribute\": name}"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .value(let v):
            var c = encoder.singleValueContainer()
            try c.encode(v)
        case .attribute(let name):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(name, forKey: .attribute)
        }
    }
}

extension AlarmRule.Condition {
    private enum Kind: String, CodingKey, CaseIterable { case above, below, sustained, repeated, rate, state }
    private enum Keys: String, CodingKey { case raise, clear, above, seconds, times, perMinute, legacy = "_0" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Kind.self)
        guard c.allKeys.count == 1, let kind = c.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "a condition has one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        let body = { try c.nestedContainer(keyedBy: Keys.self, forKey: kind) }
        switch kind {
        case .state:
            if let states = try? c.decode([String].self, forKey: .state) {
                self = .state(states)
            } else {
                self = .state(try body().decode([String].self, forKey: .legacy))
            }
        case .above: self = .above(raise: try body().decode(AlarmRule.Level.self, forKey: .raise), clear: try body().decode(AlarmRule.Level.self, forKey: .clear))
        case .below: self = .below(raise: try body().decode(AlarmRule.Level.self, forKey: .raise), clear: try body().decode(AlarmRule.Level.self, forKey: .clear))
        case .sustained: self = .sustained(above: try body().decode(AlarmRule.Level.self, forKey: .above), seconds: try body().decode(Double.self, forKey: .seconds))
        case .repeated:
            let v = try body()
            self = .repeated(
                above: try v.decode(AlarmRule.Level.self, forKey: .above), times: try v.decode(Int.self, forKey: .times), seconds: try v.decode(Double.self, forKey: .seconds))
        case .rate: self = .rate(perMinute: try body().decode(Double.self, forKey: .perMinute))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Kind.self)
        switch self {
        case .above(let raise, let clear):
            var v = c.nestedContainer(keyedBy: Keys.self, forKey: .above)
            try v.encode(raise, forKey: .raise)
            try v.encode(clear, forKey: .clear)
        case .below(let raise, let clear):
            var v = c.nestedContainer(keyedBy: Keys.self, forKey: .below)
            try v.encode(raise, forKey: .raise)
            try v.encode(clear, forKey: .clear)
        case .sustained(let above, let seconds):
            var v = c.nestedContainer(keyedBy: Keys.self, forKey: .sustained)
            try v.encode(above, forKey: .above)
            try v.encode(seconds, forKey: .seconds)
        case .repeated(let above, let times, let seconds):
            var v = c.nestedContainer(keyedBy: Keys.self, forKey: .repeated)
            try v.encode(above, forKey: .above)
            try v.encode(times, forKey: .times)
            try v.encode(seconds, forKey: .seconds)
        case .rate(let perMinute):
            var v = c.nestedContainer(keyedBy: Keys.self, forKey: .rate)
            try v.encode(perMinute, forKey: .perMinute)
        case .state(let states):
            try c.encode(states, forKey: .state)
        }
    }
}
