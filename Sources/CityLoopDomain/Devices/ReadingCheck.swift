import Foundation

/// Checks a raw reading against its device and profile (读数校验), and derives the readings computed from it: a
/// water gauge measures the distance down to the water, and its `currentLevel` is the device's `referenceLevel`
/// minus that distance (FIWARE's flood monitoring).
public enum ReadingCheck {
    /// How far ahead of the platform's clock a reading's time may be (device clocks drift).
    public static let futureTolerance: TimeInterval = 300

    /// The measurement a water gauge sends, and the one derived from it.
    public static let measuredDistance = "measuredDistance"
    public static let currentLevel = "currentLevel"

    /// The accepted readings of `raw` (itself, and any derived from it), or why it is refused.
    public static func check(_ raw: RawReading, device: Device?, profile: DeviceProfile?, now: Date) -> Result<[Reading], ReadingRejection> {
        guard let device, let profile, device.id == raw.deviceID else {
            return .failure(ReadingRejection(.unknownDevice, raw, "device '\(raw.deviceID)' is not registered"))
        }
        guard let spec = profile.measurement(raw.measurement) else {
            return .failure(ReadingRejection(.unknownMeasurement, raw, "profile \(profile.id) has no measurement '\(raw.measurement)'"))
        }
        guard raw.at.timeIntervalSince(now) <= futureTolerance else {
            return .failure(ReadingRejection(.inFuture, raw, "time \(raw.at) is ahead of the platform's clock"))
        }
        switch spec.kind {
        case .number(let unit, let range):
            guard let v = raw.number else { return .failure(ReadingRejection(.missingValue, raw, "\(spec.name) needs a number")) }
            if let u = raw.unit, u != unit { return .failure(ReadingRejection(.wrongUnit, raw, "\(spec.name) is in \(unit), not \(u)")) }
            guard v.isFinite, range.contains(v) else {
                return .failure(ReadingRejection(.outOfRange, raw, "\(spec.name) \(v) is outside \(range.lowerBound)…\(range.upperBound) \(unit)"))
            }
            var out = [Reading(deviceID: device.id, measurement: spec.name, at: raw.at, value: .number(v))]
            if spec.name == measuredDistance, let reference = device.attributes["referenceLevel"], profile.measurement(currentLevel) != nil {
                out.append(Reading(deviceID: device.id, measurement: currentLevel, at: raw.at, value: .number(reference - v)))
            }
            return .success(out)
        case .state(let states):
            guard let s = raw.state else { return .failure(ReadingRejection(.missingValue, raw, "\(spec.name) needs a state")) }
            guard states.contains(s) else {
                return .failure(ReadingRejection(.unknownState, raw, "\(spec.name) is one of \(states.joined(separator: ", ")), not '\(s.prefix(40))'"))
            }
            return .success([Reading(deviceID: device.id, measurement: spec.name, at: raw.at, value: .state(s))])
        }
    }
}
