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
