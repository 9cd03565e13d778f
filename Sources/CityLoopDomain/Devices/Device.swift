import Foundation

/// A registered device (感知设备): where it is, what it watches, who owns it, how often it should report.
public struct Device: Hashable, Codable, Sendable {
    /// The device's ID as it reports it (letters, digits, `_ . : -`).
    public var id: String
    /// Its profile (`DeviceProfile.id`).
    public var profileID: String
    public var model: String?
    public var point: GeoPoint
    /// The unit grid it stands in, from `point`.
    public var gridCode: String?
    /// The component it watches (17-digit ID), if any.
    public var componentID: String?
    /// The department that owns it.
    public var departmentID: DepartmentID?
    /// How often it should report; silence for this × the offline factor raises `offline`.
    public var reportingIntervalSeconds: Int
    /// Numbers of its own that rules and derived readings use (`referenceLevel`, `alertLevel`, `dangerLevel`).
    public var attributes: [String: Double]
    /// Rules of this device besides its profile's (a rule of the same type replaces the profile's).
    public var rules: [AlarmRule]
    public var registeredAt: Date

    /// Creates a device.
    public init(
        id: String, profileID: String, model: String? = nil, point: GeoPoint, gridCode: String? = nil, componentID: String? = nil,
        departmentID: DepartmentID? = nil, reportingIntervalSeconds: Int, attributes: [String: Double] = [:], rules: [AlarmRule] = [],
        registeredAt: Date
    ) {
        self.id = id
        self.profileID = profileID
        self.model = model
        self.point = point
        self.gridCode = gridCode
        self.componentID = componentID
        self.departmentID = departmentID
        self.reportingIntervalSeconds = reportingIntervalSeconds
        self.attributes = attributes
        self.rules = rules
        self.registeredAt = registeredAt
    }

    /// The rules in force: the profile's, with this device's own replacing those of the same type.
    public func rules(with profile: DeviceProfile) -> [AlarmRule] {
        let own = Set(rules.map(\.type))
        return profile.rules.filter { !own.contains($0.type) } + rules
    }

    /// Problems naming the field, for a device given by an administrator.
    public func problems(profile: DeviceProfile?) -> [(field: String, message: String)] {
        var out: [(String, String)] = []
        if id.range(of: "^[A-Za-z0-9_.:-]{1,64}$", options: .regularExpression) == nil {
            out.append(("id", "id must be 1–64 letters, digits or _ . : -"))
        }
        guard let profile else { return out + [("profileID", "unknown device profile '\(profileID)'")] }
        if !(10...604_800).contains(reportingIntervalSeconds) {
            out.append(("reportingIntervalSeconds", "reportingIntervalSeconds must be between 10 and 604800"))
        }
        if let c = componentID, c.count != 17 || !c.allSatisfy(\.isASCII) || !c.allSatisfy(\.isNumber) {
            out.append(("componentID", "componentID must be a 17-digit component ID"))
        }
        for (name, value) in attributes where !value.isFinite || name.isEmpty || name.count > 48 {
            out.append(("attributes", "attribute '\(name)' must have a finite value and a name of 1–48 characters"))
        }
        for (i, rule) in rules.enumerated() {
            out += rule.problems(in: profile).map { ("rules[\(i)].\($0.field)", $0.message) }
        }
        return out
    }
}
