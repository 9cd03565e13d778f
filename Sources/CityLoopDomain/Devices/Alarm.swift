import Foundation

/// An alarm (告警): raised by a rule on a device's readings (or by silence: `offline`), updated by the readings that
/// keep it up (count, last value, peak), cleared when the readings recover or by hand. Acknowledging is separate
/// from clearing, as on IoT platforms: an operator acknowledges an alarm that is still active.
public struct Alarm: Hashable, Codable, Sendable {
    /// The alarm type of a device that stopped reporting.
    public static let offlineType = "offline"

    public var id: String
    public var deviceID: String
    /// The rule's type (`offline` for silence).
    public var type: String
    public var severity: AlarmSeverity
    /// Whether it is still up (not cleared).
    public var active: Bool
    public var raisedAt: Date
    /// The latest reading that kept it up.
    public var lastAt: Date
    /// Readings that met the raising condition while it was up, the first included.
    public var count: Int
    public var firstValue: Double?
    public var lastValue: Double?
    /// The highest value seen while up (the lowest for a `below` rule).
    public var peak: Double?
    /// The state that raised it, for state rules.
    public var state: String?
    public var acknowledgedAt: Date?
    public var acknowledgedBy: UserID?
    public var clearedAt: Date?
    /// Who cleared it by hand; nil when the readings cleared it.
    public var clearedBy: UserID?
    /// The case opened for it, if any.
    public var caseID: CaseID?

    /// Creates an alarm as raised.
    public init(id: String, deviceID: String, type: String, severity: AlarmSeverity, raisedAt: Date, value: Double?, state: String?) {
        self.id = id
        self.deviceID = deviceID
        self.type = type
        self.severity = severity
        active = true
        self.raisedAt = raisedAt
        lastAt = raisedAt
        count = 1
        firstValue = value
        lastValue = value
        peak = value
        self.state = state
    }
}
