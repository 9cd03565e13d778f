import Foundation

/// A reading's value: a number in its measurement's unit, or a state.
public enum ReadingValue: Hashable, Codable, Sendable {
    case number(Double)
    case state(String)

    /// The number, if this is one.
    public var number: Double? {
        if case .number(let v) = self { return v }
        return nil
    }
}

/// One accepted reading (读数) of one measurement of one device at one time. Readings are kept once per (device,
/// time, measurement): the same reading sent again is a duplicate, not a second reading.
public struct Reading: Hashable, Codable, Sendable {
    public var deviceID: String
    public var measurement: String
    public var at: Date
    public var value: ReadingValue

    /// Creates a reading.
    public init(deviceID: String, measurement: String, at: Date, value: ReadingValue) {
        self.deviceID = deviceID
        self.measurement = measurement
        self.at = at
        self.value = value
    }
}

/// A reading as it arrives (MQTT, HTTP batch, file), before it is checked against its device's profile.
public struct RawReading: Hashable, Codable, Sendable {
    public var deviceID: String
    public var measurement: String
    public var at: Date
    public var number: Double?
    public var state: String?
    /// The unit the sender says the number is in; nil means the measurement's own.
    public var unit: String?

    /// Creates a raw reading.
    public init(deviceID: String, measurement: String, at: Date, number: Double? = nil, state: String? = nil, unit: String? = nil) {
        self.deviceID = deviceID
        self.measurement = measurement
        self.at = at
        self.number = number
        self.state = state
        self.unit = unit
    }
}

/// Why a reading was refused: counted per device and reason, never dropped silently.
public struct ReadingRejection: Error, Hashable, Sendable {
    /// The reasons, as counted.
    public enum Reason: String, Codable, Sendable, CaseIterable {
        case unknownDevice = "unknown_device"
        case unknownMeasurement = "unknown_measurement"
        case wrongUnit = "wrong_unit"
        case outOfRange = "out_of_range"
        case inFuture = "in_future"
        case missingValue = "missing_value"
        case unknownState = "unknown_state"
        /// The payload could not be read (not JSON, a field of the wrong kind, a bad time).
        case malformed
    }

    public var reason: Reason
    public var deviceID: String
    public var measurement: String
    /// What was wrong, in English.
    public var message: String

    /// Creates a rejection of a payload that names its device (an MQTT topic) but could not be read.
    public init(malformed deviceID: String, _ message: String) {
        reason = .malformed
        self.deviceID = deviceID
        measurement = ""
        self.message = message
    }

    /// Creates a rejection.
    public init(_ reason: Reason, _ raw: RawReading, _ message: String) {
        self.reason = reason
        deviceID = raw.deviceID
        measurement = raw.measurement
        self.message = message
    }
}
