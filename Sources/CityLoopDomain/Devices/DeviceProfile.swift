import Foundation

/// A device type (设备类型): what its devices measure and the rules that raise their alarms. The built-in profiles
/// follow FIWARE Smart Data Models' field names; a city may add its own.
public struct DeviceProfile: Hashable, Codable, Sendable {
    /// The profile's ID (`manholeCover`, `waterLevel`, …).
    public var id: String
    public var nameZh: String
    public var nameEn: String
    public var measurements: [MeasurementSpec]
    /// The alarm rules every device of this type gets (a device may add its own).
    public var rules: [AlarmRule]
    /// The component class (5-digit catalog code) such devices usually watch, when there is one.
    public var componentClass: String?

    /// Creates a profile.
    public init(
        id: String, nameZh: String, nameEn: String, measurements: [MeasurementSpec], rules: [AlarmRule] = [], componentClass: String? = nil
    ) {
        self.id = id
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.measurements = measurements
        self.rules = rules
        self.componentClass = componentClass
    }

    /// The measurement named `name`.
    public func measurement(_ name: String) -> MeasurementSpec? { measurements.first { $0.name == name } }
}

extension DeviceProfile {
    /// The built-in profiles with the rules an administrator set for some of them (a profile not named keeps its
    /// built-in rules), by ID.
    public static func inForce(_ builtIn: [DeviceProfile], rules: [String: [AlarmRule]]) -> [String: DeviceProfile] {
        Dictionary(uniqueKeysWithValues: builtIn.map { p in
            var p = p
            if let set = rules[p.id] { p.rules = set }
            return (p.id, p)
        })
    }

    /// Problems naming the field of a rule set an administrator gives this profile: every rule valid for it, and
    /// no two of one type.
    public func problems(rules: [AlarmRule]) -> [(field: String, message: String)] {
        guard rules.count <= 64 else { return [("rules", "a profile has at most 64 rules")] }
        var out: [(String, String)] = []
        var seen: Set<String> = []
        for (i, rule) in rules.enumerated() {
            out += rule.problems(in: self).map { ("rules[\(i)].\($0.field)", $0.message) }
            if !seen.insert(rule.type).inserted { out.append(("rules[\(i)].type", "type \(rule.type) is given twice")) }
        }
        return out
    }
}
