import Foundation

/// What a truck's load sensor (载重/箱盖传感器) reports.
public enum VehicleLoad: String, Hashable, Codable, Sendable, CaseIterable {
    /// Empty (空载).
    case empty
    /// Half loaded (半载).
    case half
    /// Fully loaded (满载).
    case full
    /// No sensor, or the sensor reports nothing usable: carries no information about the load.
    case unknown

    /// Whether the truck carries something (half or full).
    public var isLoaded: Bool { self == .half || self == .full }
}

/// One position report of a vehicle terminal (定位数据, JT/T 808 0x0200).
public struct VehiclePosition: Hashable, Codable, Sendable {
    /// The reporting vehicle.
    public var vehicleID: VehicleID
    /// When the terminal took the fix (its own clock).
    public var time: Date
    /// Where, in WGS84 (convert GCJ-02 input first).
    public var point: GeoPoint
    /// Speed over ground in km/h.
    public var speedKmh: Double
    /// Heading in degrees clockwise from north.
    public var directionDegrees: Double
    /// The load sensor's state.
    public var load: VehicleLoad
    /// Whether the ignition (ACC) is on.
    public var accOn: Bool
    /// The JT/T 808 alarm word (报警标志): bit 0 emergency, 1 overspeed, 5 GNSS antenna cut, 8 main power cut,
    /// 27 illegal ignition, 28 illegal displacement, among others.
    public var alarmBits: UInt32
    /// Whether the terminal had a GNSS fix (定位状态); without one the point is stale or zero.
    public var positioned: Bool

    /// Creates a position report.
    public init(
        vehicleID: VehicleID, time: Date, point: GeoPoint, speedKmh: Double = 0, directionDegrees: Double = 0,
        load: VehicleLoad = .unknown, accOn: Bool = true, alarmBits: UInt32 = 0, positioned: Bool = true
    ) {
        self.vehicleID = vehicleID
        self.time = time
        self.point = point
        self.speedKmh = speedKmh
        self.directionDegrees = directionDegrees
        self.load = load
        self.accOn = accOn
        self.alarmBits = alarmBits
        self.positioned = positioned
    }

    /// Whether the point can drive geofences: the terminal had a fix and the coordinates are valid WGS84.
    public var hasUsableFix: Bool { positioned && point.isValid }
}
