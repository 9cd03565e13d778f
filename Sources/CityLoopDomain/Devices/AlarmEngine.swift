import Foundation

/// Rules on readings (规则引擎): each reading moves its device's rule states and yields what happens to the alarms.
/// Pure: the caller keeps the states and alarms (and stores them in the transaction that stores the readings).
public enum AlarmEngine {
    /// What `reading` does under `rule` for `device`, updating `state`; nil when nothing changes for the alarm (the
    /// condition is not met and no alarm is up, the rule watches another measurement, the reading is older than
    /// one already seen, or a threshold is an attribute the device lacks).
    public static func evaluate(_ rule: AlarmRule, reading: Reading, device: Device, state: inout RuleState) -> AlarmSignal? {
        guard reading.measurement == rule.measurement else { return nil }
        if let last = state.lastAt, reading.at <= last { return nil }
        let previous = (at: state.lastAt, value: state.lastValue)
        state.lastAt = reading.at
        state.lastValue = reading.value.number
        switch (rule.condition, reading.value) {
        case (.state(let states), .state(let s)):
            return signal(met: states.contains(s), clears: !states.contains(s), value: nil, state: s, &state)
        case (.above(let raise, let clear), .number(let v)):
            guard let r = raise.resolve(device), let c = clear.resolve(device) else { return nil }
            return signal(met: v >= r, clears: v <= c, value: v, state: nil, &state)
        case (.below(let raise, let clear), .number(let v)):
            guard let r = raise.resolve(device), let c = clear.resolve(device) else { return nil }
            return signal(met: v <= r, clears: v >= c, value: v, state: nil, &state)
        case (.sustained(let level, let seconds), .number(let v)):
            guard let l = level.resolve(device) else { return nil }
            if v >= l {
                let since = state.since ?? reading.at
                state.since = since
                return signal(met: reading.at.timeIntervalSince(since) >= seconds, clears: false, value: v, state: nil, &state)
            }
            state.since = nil
            return signal(met: false, clears: true, value: v, state: nil, &state)
        case (.repeated(let level, let times, let seconds), .number(let v)):
            guard let l = level.resolve(device) else { return nil }
            state.hits.removeAll { reading.at.timeIntervalSince($0) > seconds }
            if v >= l { state.hits.append(reading.at) }
            return signal(met: v >= l && state.hits.count >= times, clears: state.hits.isEmpty, value: v, state: nil, &state)
        case (.rate(let perMinute), .number(let v)):
            guard let at = previous.at, let before = previous.value else { return nil }
            let minutes = reading.at.timeIntervalSince(at) / 60
            let change = (v - before) / max(minutes, 1.0 / 60)
            let fast = perMinute > 0 ? change > perMinute : change < perMinute
            return signal(met: fast, clears: !fast, value: v, state: nil, &state)
        default:
            return nil
        }
    }

    /// The signal for a reading that meets the raising condition (`met`) or the clearing one (`clears`).
    private static func signal(met: Bool, clears: Bool, value: Double?, state s: String?, _ state: inout RuleState) -> AlarmSignal? {
        if !state.active {
            guard met else { return nil }
            state.active = true
            return .raise(value: value, state: s)
        }
        if clears && !met {
            state.active = false
            return .clear(value: value, state: s)
        }
        return .hold(value: value, state: s, counts: met)
    }

    /// The alarm after `signal` at `at`: a new one when none is up (`newID` names it), the one up updated, or
    /// cleared. One alarm per device and type is up at a time.
    public static func apply(
        _ signal: AlarmSignal, rule: AlarmRule, deviceID: String, at: Date, to current: Alarm?, newID: () -> String
    ) -> Alarm? {
        let lower: Bool
        if case .below = rule.condition { lower = true } else { lower = false }
        switch signal {
        case .raise(let value, let state), .hold(let value, let state, true):
            guard var alarm = current, alarm.active else {
                return Alarm(id: newID(), deviceID: deviceID, type: rule.type, severity: rule.severity, raisedAt: at, value: value, state: state)
            }
            alarm.count += 1
            update(&alarm, value: value, state: state, at: at, lower: lower)
            return alarm
        case .hold(let value, let state, false):
            guard var alarm = current, alarm.active else { return nil }
            update(&alarm, value: value, state: state, at: at, lower: lower)
            return alarm
        case .clear(let value, _):
            guard var alarm = current, alarm.active else { return nil }
            alarm.active = false
            alarm.clearedAt = at
            alarm.lastValue = value ?? alarm.lastValue
            return alarm
        }
    }

    private static func update(_ alarm: inout Alarm, value: Double?, state: String?, at: Date, lower: Bool) {
        alarm.lastAt = at
        if let value {
            alarm.lastValue = value
            alarm.peak = alarm.peak.map { lower ? min($0, value) : max($0, value) } ?? value
        }
        if let state { alarm.state = state }
    }

    /// Whether `device` is offline at `now`: silent for longer than its reporting interval × `factor`, counted from
    /// its last reading, or from its registration when it never reported.
    public static func isOffline(_ device: Device, lastSeen: Date?, now: Date, factor: Double = 3) -> Bool {
        now.timeIntervalSince(lastSeen ?? device.registeredAt) > Double(device.reportingIntervalSeconds) * factor
    }
}
