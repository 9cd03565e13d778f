import Foundation

/// What a rule remembers about one device between readings (规则状态): kept by the store with the alarms, so a
/// restart neither raises an alarm twice nor forgets a duration or count under way.
public struct RuleState: Hashable, Codable, Sendable {
    /// The time of the newest reading the rule has seen; older readings (a device flushing its buffer) are kept
    /// but do not move the rule.
    public var lastAt: Date?
    public var lastValue: Double?
    /// Whether the rule holds its alarm up.
    public var active = false
    /// `sustained`: when the current run of readings at or above the level began.
    public var since: Date?
    /// `repeated`: the times of the readings at or above the level within the window.
    public var hits: [Date] = []

    /// A rule that has seen nothing.
    public init() {}
}

/// What one reading does to a rule's alarm.
public enum AlarmSignal: Hashable, Sendable {
    /// The condition is met and no alarm is up: raise one.
    case raise(value: Double?, state: String?)
    /// The alarm is up and stays up; `counts` when the reading meets the raising condition again.
    case hold(value: Double?, state: String?, counts: Bool)
    /// The readings recovered: clear the alarm.
    case clear(value: Double?, state: String?)
}
