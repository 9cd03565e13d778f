import Foundation

/// What an alarm type does to the case workflow (告警转案件策略): file a case at once (a lifted cover: urgent, filed
/// and sent on), send it to the grid's inspector to verify on site first, or only show it. While the case an
/// alarm opened is open, the same device's alarm of that type opens no other: it is linked to that case.
public struct AlarmCasePolicy: Hashable, Codable, Sendable {
    /// The three ways.
    public enum Action: String, Codable, Sendable, CaseIterable {
        /// A case filed at once (立案).
        case fileCase = "file_case"
        /// A case waiting for the grid's inspector to verify it (核实).
        case verifyFirst = "verify_first"
        /// Shown in the alarm list only.
        case showOnly = "show_only"
    }

    /// The alarm type (`coverOpen`, …).
    public var alarmType: String
    public var action: Action
    /// The matter class of the case; a cover's case takes its component's class when the device watches one.
    public var matterCode: String
    public var urgency: Urgency
    /// The device checks the handling (设备核查): once the case waits for its check (核查) and the device reads normal
    /// again, the platform passes the check with the reading as evidence instead of sending an inspector.
    public var checkByDevice: Bool

    /// Creates a policy.
    public init(alarmType: String, action: Action, matterCode: String, urgency: Urgency = .normal, checkByDevice: Bool = false) {
        self.alarmType = alarmType
        self.action = action
        self.matterCode = matterCode
        self.urgency = urgency
        self.checkByDevice = checkByDevice
    }

    private enum CodingKeys: String, CodingKey { case alarmType, action, matterCode, urgency, checkByDevice }

    /// Reads a policy; `checkByDevice` is false when absent (policies stored before it).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        alarmType = try c.decode(String.self, forKey: .alarmType)
        action = try c.decode(Action.self, forKey: .action)
        matterCode = try c.decode(String.self, forKey: .matterCode)
        urgency = try c.decode(Urgency.self, forKey: .urgency)
        checkByDevice = try c.decodeIfPresent(Bool.self, forKey: .checkByDevice) ?? false
    }

    /// The policies of the built-in alarm types; any other type is shown only.
    public static let defaults: [AlarmCasePolicy] = [
        AlarmCasePolicy(alarmType: "coverOpen", action: .fileCase, matterCode: "01003", urgency: .urgent, checkByDevice: true),
        AlarmCasePolicy(alarmType: "coverTilted", action: .verifyFirst, matterCode: "01003"),
        AlarmCasePolicy(alarmType: "waterAboveDanger", action: .fileCase, matterCode: "01004", urgency: .urgent),
        AlarmCasePolicy(alarmType: "noiseOverLimit", action: .verifyFirst, matterCode: "08001"),
        AlarmCasePolicy(alarmType: "dustOverLimit", action: .verifyFirst, matterCode: "08004"),
        AlarmCasePolicy(alarmType: "containerFull", action: .fileCase, matterCode: "06042", checkByDevice: true),
        AlarmCasePolicy(alarmType: "containerBurning", action: .fileCase, matterCode: "06020", urgency: .emergency),
        AlarmCasePolicy(alarmType: "lampFault", action: .fileCase, matterCode: "01037", checkByDevice: true),
    ]

    /// Problems naming the field, for policies given by an administrator (`isMatter` tells a catalog matter class).
    public static func problems(_ policies: [AlarmCasePolicy], isMatter: (String) -> Bool) -> [(field: String, message: String)] {
        var out: [(String, String)] = []
        var seen = Set<String>()
        for (i, p) in policies.enumerated() {
            if p.alarmType.range(of: "^[A-Za-z][A-Za-z0-9_]{0,47}$", options: .regularExpression) == nil {
                out.append(("[\(i)].alarmType", "alarmType must be 1–48 letters, digits or _, starting with a letter"))
            } else if !seen.insert(p.alarmType).inserted {
                out.append(("[\(i)].alarmType", "alarm type \(p.alarmType) has two policies"))
            }
            if p.action != .showOnly, !isMatter(p.matterCode) {
                out.append(("[\(i)].matterCode", "matter class '\(p.matterCode)' is not in the catalog"))
            }
        }
        return out
    }

    /// The policy for `alarmType` among `policies` (show only when none names it).
    public static func policy(for alarmType: String, in policies: [AlarmCasePolicy]) -> AlarmCasePolicy {
        policies.first { $0.alarmType == alarmType } ?? AlarmCasePolicy(alarmType: alarmType, action: .showOnly, matterCode: "")
    }

    /// The matter class of a case for `device`'s alarm: the class of the component it watches when that is of
    /// the policy's major class (a sewage cover's case is a sewage-cover case), else the policy's.
    public func matter(for device: Device) -> String {
        if let c = device.componentID, c.count == 17 {
            let cls = String(c.dropFirst(6).prefix(5))
            if cls.prefix(2) == matterCode.prefix(2) { return cls }
        }
        return matterCode
    }

    /// The case's description: what the device said when the alarm rose, in Chinese with the English beside it.
    /// Only what never changes while the alarm is up, so that making the case again (a sweep) sends the same report.
    public static func description(of alarm: Alarm, rule: AlarmRule?, device: Device) -> String {
        let label = rule.map { "\($0.labelZh)（\($0.labelEn)）" } ?? alarm.type
        var text = "【设备告警 device alarm】\(label)，设备 \(device.id)"
        if let v = alarm.firstValue { text += "，读数 \(v)" }
        let at = ISO8601DateFormatter().string(from: alarm.raisedAt)
        return text + "，发生于 \(at)。告警 \(alarm.id)"
    }
}
