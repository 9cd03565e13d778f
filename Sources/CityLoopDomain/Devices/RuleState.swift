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

extension RuleState {
    /// The state as the stores keep it: one line, `v1|lastAt|lastValue|active|since|hit,hit,…` (times in seconds
    /// since 1970, numbers as Swift prints them so they read back exactly, empty for none). Every batch reads and
    /// writes the states of the rules its readings move, where JSON coding cost more than the rules themselves.
    public var storedText: String {
        func time(_ d: Date?) -> String { d.map { String($0.timeIntervalSince1970) } ?? "" }
        return "v1|\(time(lastAt))|\(lastValue.map { String($0) } ?? "")|\(active ? "1" : "0")|\(time(since))|"
            + hits.map { String($0.timeIntervalSince1970) }.joined(separator: ",")
    }

    /// Reads a stored state: the line `storedText` writes, or the JSON of states stored before it.
    public init(storedText text: String) throws {
        guard text.hasPrefix("v1|") else {
            self = try JSONDecoder().decode(RuleState.self, from: Data(text.utf8))
            return
        }
        let parts = text.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 6 else { throw DomainError.invalid("ruleState", "a stored rule state has six parts: \(text.prefix(80))") }
        func number(_ s: Substring) throws -> Double? {
            if s.isEmpty { return nil }
            guard let v = Double(s) else { throw DomainError.invalid("ruleState", "not a number in a stored rule state: \(s.prefix(40))") }
            return v
        }
        self.init()
        lastAt = try number(parts[1]).map { Date(timeIntervalSince1970: $0) }
        lastValue = try number(parts[2])
        active = parts[3] == "1"
        since = try number(parts[4]).map { Date(timeIntervalSince1970: $0) }
        hits = try parts[5].split(separator: ",").map { Date(timeIntervalSince1970: try number($0) ?? 0) }
    }
}
