import Foundation

/// The thresholds of the vehicle rules (监管参数), kept by the store as JSON. Every field has a default, and a
/// stored JSON object missing fields (written before a field existed, or by hand) takes the defaults for them.
public struct VehicleRuleSettings: Hashable, Codable, Sendable {
    /// How long a vehicle must stay inside (or outside) a site, over consecutive fixes, before it counts as
    /// having entered (or left): GPS drift across a fence for less than this raises nothing. Default 30 s.
    public var dwellSeconds: TimeInterval = 30
    /// How far from a permit's corridor a truck may be when the permit names no width. Default 200 m.
    public var deviationMetres: Double = 200
    /// How long a truck must stay off its corridor before it counts as off route (偏离路线); raised when
    /// exceeded. Default 60 s.
    public var deviationSeconds: TimeInterval = 60
    /// Speed limits in km/h by vehicle kind; kinds without an entry are not checked. Default: muck trucks 60.
    public var speedLimitsKmh: [VehicleKind: Double] = [.muckTruck: 60]
    /// How long a vehicle must stay above its limit before it counts as speeding (超速); raised when exceeded.
    /// Default 10 s.
    public var speedingSeconds: TimeInterval = 10
    /// The city's offset from UTC in seconds, for daily hours. Default +8 h (China Standard Time).
    public var utcOffsetSeconds: Int = 8 * 3600
    /// How long a vehicle may be silent before the sweep reports it offline (离线). Default 300 s.
    public var offlineAfterSeconds: TimeInterval = 300
    /// How far a fix may lie after the time it was received before it is not evaluated (a terminal with a wrong
    /// clock would otherwise block every later fix). Default 600 s.
    public var futureToleranceSeconds: TimeInterval = 600
    /// The longest gap between consecutive fixes across which a duration (a dwell, an excursion, a speeding run)
    /// still counts as continuous, and across which a change of load counts as seen where it happened. Default 120 s.
    public var continuityGapSeconds: TimeInterval = 120
    /// Above this speed a loaded truck counts as moving, for unpermitted trips. Default 5 km/h.
    public var movingSpeedKmh: Double = 5
    /// A trip that starts this soon after the truck left a construction site is taken to come from it. Default 600 s.
    public var originLookbackSeconds: TimeInterval = 600
    /// The JT/T 808 alarm bits whose setting counts as tampering (破坏设备). Default: main power cut (bit 8),
    /// illegal ignition (27), illegal displacement (28); add bit 5 (GNSS antenna cut) to catch cut antennas.
    public var tamperAlarmBits: UInt32 = Self.defaultTamperAlarmBits

    /// Main power cut (bit 8, 终端主电源掉电), illegal ignition (27, 车辆非法点火), illegal displacement
    /// (28, 车辆非法位移).
    public static let defaultTamperAlarmBits: UInt32 = 1 << 8 | 1 << 27 | 1 << 28

    /// The defaults.
    public init() {}

    /// The speed limit for `kind`, nil when none is set.
    public func speedLimitKmh(for kind: VehicleKind) -> Double? { speedLimitsKmh[kind] }

    /// Throws an invalid-input error naming the first field that is negative or not finite.
    public func validate() throws {
        let fields: [(String, Double)] = [
            ("dwellSeconds", dwellSeconds), ("deviationMetres", deviationMetres), ("deviationSeconds", deviationSeconds),
            ("speedingSeconds", speedingSeconds), ("offlineAfterSeconds", offlineAfterSeconds),
            ("futureToleranceSeconds", futureToleranceSeconds), ("continuityGapSeconds", continuityGapSeconds),
            ("movingSpeedKmh", movingSpeedKmh), ("originLookbackSeconds", originLookbackSeconds),
        ] + speedLimitsKmh.sorted { $0.key.rawValue < $1.key.rawValue }.map { ("speedLimitsKmh.\($0.key.rawValue)", $0.value) }
        for (name, value) in fields where !(value.isFinite && value >= 0) {
            throw DomainError.invalid(name, "\(name) must be a finite number of at least 0", code: "vehicle_settings.invalid")
        }
        guard abs(utcOffsetSeconds) <= 14 * 3600 else {
            throw DomainError.invalid("utcOffsetSeconds", "utcOffsetSeconds must lie within ±14 h", code: "vehicle_settings.invalid")
        }
    }

    private enum CodingKeys: String, CodingKey {
        case dwellSeconds, deviationMetres, deviationSeconds, speedLimitsKmh, speedingSeconds, utcOffsetSeconds
        case offlineAfterSeconds, futureToleranceSeconds, continuityGapSeconds, movingSpeedKmh, originLookbackSeconds
        case tamperAlarmBits
    }

    /// Reads settings, taking the default for every missing field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func read<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try c.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        let d = VehicleRuleSettings()
        dwellSeconds = try read(.dwellSeconds, d.dwellSeconds)
        deviationMetres = try read(.deviationMetres, d.deviationMetres)
        deviationSeconds = try read(.deviationSeconds, d.deviationSeconds)
        speedLimitsKmh = try read(.speedLimitsKmh, d.speedLimitsKmh)
        speedingSeconds = try read(.speedingSeconds, d.speedingSeconds)
        utcOffsetSeconds = try read(.utcOffsetSeconds, d.utcOffsetSeconds)
        offlineAfterSeconds = try read(.offlineAfterSeconds, d.offlineAfterSeconds)
        futureToleranceSeconds = try read(.futureToleranceSeconds, d.futureToleranceSeconds)
        continuityGapSeconds = try read(.continuityGapSeconds, d.continuityGapSeconds)
        movingSpeedKmh = try read(.movingSpeedKmh, d.movingSpeedKmh)
        originLookbackSeconds = try read(.originLookbackSeconds, d.originLookbackSeconds)
        tamperAlarmBits = try read(.tamperAlarmBits, d.tamperAlarmBits)
    }
}
