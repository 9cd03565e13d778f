import CityLoopDomain
import Foundation

/// A device as an administrator registers it (API, CSV or GeoJSON): its grid is found from its position.
public struct DeviceInput: Codable, Sendable {
    public var id: String
    /// The profile (`manholeCover`, `waterLevel`, …).
    public var profile: String
    public var model: String?
    public var lat: Double
    public var lon: Double
    /// The coordinate system of `lat`/`lon` (`wgs84` when absent).
    public var crs: String?
    /// The component it watches (17-digit ID).
    public var componentID: String?
    /// The owner department.
    public var departmentID: String?
    /// How often it reports; 300 s when absent.
    public var reportingIntervalSeconds: Int?
    /// Its own numbers (`referenceLevel`, `alertLevel`, `dangerLevel` of a water gauge).
    public var attributes: [String: Double]?
    /// Rules of its own besides its profile's.
    public var rules: [AlarmRule]?

    /// Creates an input.
    public init(
        id: String, profile: String, model: String? = nil, lat: Double, lon: Double, crs: String? = nil, componentID: String? = nil,
        departmentID: String? = nil, reportingIntervalSeconds: Int? = nil, attributes: [String: Double]? = nil, rules: [AlarmRule]? = nil
    ) {
        self.id = id
        self.profile = profile
        self.model = model
        self.lat = lat
        self.lon = lon
        self.crs = crs
        self.componentID = componentID
        self.departmentID = departmentID
        self.reportingIntervalSeconds = reportingIntervalSeconds
        self.attributes = attributes
        self.rules = rules
    }

    /// The default reporting interval.
    public static let defaultInterval = 300
}

/// A line or feature of a device file that was not imported, and why.
public struct DeviceImportRejection: Codable, Sendable, Hashable {
    /// The CSV line (1 = the header) or the GeoJSON feature's index (0-based).
    public var line: Int
    public var field: String?
    public var reason: String
}

/// What a device import did.
public struct DeviceImportResult: Codable, Sendable {
    public var imported: Int
    public var rejected: [DeviceImportRejection]
}
