/// Vehicle load state (空/重车状态), status bits 8–9.
public enum JT808LoadState: UInt8, Sendable, Equatable, Hashable, CaseIterable {
    /// Empty (空车), 00.
    case empty = 0
    /// Half loaded (半载), 01.
    case half = 1
    /// Reserved (保留), 10.
    case reserved = 2
    /// Fully loaded (满载), 11.
    case full = 3
}

/// Status bits of a location report (状态位).
public struct JT808LocationStatus: OptionSet, Sendable, Equatable, Hashable {
    /// The status DWORD.
    public var rawValue: UInt32

    /// Wraps a status DWORD.
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Bit 0: ACC on (ACC 开).
    public static let accOn = JT808LocationStatus(rawValue: 1 << 0)
    /// Bit 1: positioned (定位).
    public static let positioned = JT808LocationStatus(rawValue: 1 << 1)
    /// Bit 2: south latitude (南纬); clear means north.
    public static let southLatitude = JT808LocationStatus(rawValue: 1 << 2)
    /// Bit 3: west longitude (西经); clear means east.
    public static let westLongitude = JT808LocationStatus(rawValue: 1 << 3)

    /// Bits 8–9: load state (空车/半载/保留/满载).
    public var loadState: JT808LoadState {
        get { JT808LoadState(rawValue: UInt8(truncatingIfNeeded: rawValue >> 8) & 0x03) ?? .empty }
        set { rawValue = rawValue & ~(0x03 << 8) | UInt32(newValue.rawValue) << 8 }
    }
}

/// Alarm flags of a location report (报警标志).
public struct JT808AlarmFlags: OptionSet, Sendable, Equatable, Hashable {
    /// The alarm DWORD.
    public var rawValue: UInt32

    /// Wraps an alarm DWORD.
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Bit 0: emergency alarm, triggered by the alarm switch (紧急报警).
    public static let emergency = JT808AlarmFlags(rawValue: 1 << 0)
    /// Bit 1: overspeed alarm (超速报警).
    public static let overspeed = JT808AlarmFlags(rawValue: 1 << 1)
    /// Bit 2: fatigue driving alarm (疲劳驾驶).
    public static let fatigueDriving = JT808AlarmFlags(rawValue: 1 << 2)
    /// Bit 3: danger warning (危险预警; 2019: 危险驾驶行为报警).
    public static let dangerWarning = JT808AlarmFlags(rawValue: 1 << 3)
    /// Bit 4: GNSS module fault (GNSS 模块发生故障).
    public static let gnssModuleFault = JT808AlarmFlags(rawValue: 1 << 4)
    /// Bit 5: GNSS antenna disconnected or cut (GNSS 天线未接或被剪断).
    public static let gnssAntennaDisconnected = JT808AlarmFlags(rawValue: 1 << 5)
    /// Bit 6: GNSS antenna short circuit (GNSS 天线短路).
    public static let gnssAntennaShortCircuit = JT808AlarmFlags(rawValue: 1 << 6)
    /// Bit 7: terminal main power undervoltage (终端主电源欠压).
    public static let mainPowerUndervoltage = JT808AlarmFlags(rawValue: 1 << 7)
    /// Bit 8: terminal main power cut (终端主电源掉电).
    public static let mainPowerCut = JT808AlarmFlags(rawValue: 1 << 8)
    /// Bit 13: overspeed warning (超速预警).
    public static let overspeedWarning = JT808AlarmFlags(rawValue: 1 << 13)
    /// Bit 14: fatigue driving warning (疲劳驾驶预警).
    public static let fatigueWarning = JT808AlarmFlags(rawValue: 1 << 14)
    /// Bit 18: cumulative driving time exceeded today (当天累计驾驶超时).
    public static let dailyDrivingOvertime = JT808AlarmFlags(rawValue: 1 << 18)
    /// Bit 19: parking overtime (超时停车).
    public static let parkingOvertime = JT808AlarmFlags(rawValue: 1 << 19)
    /// Bit 20: entering or leaving an area (进出区域).
    public static let inOutArea = JT808AlarmFlags(rawValue: 1 << 20)
    /// Bit 21: entering or leaving a route (进出路线).
    public static let inOutRoute = JT808AlarmFlags(rawValue: 1 << 21)
    /// Bit 22: route section driving time too short or too long (路段行驶时间不足/过长).
    public static let routeSectionDrivingTime = JT808AlarmFlags(rawValue: 1 << 22)
    /// Bit 23: route deviation (路线偏离报警).
    public static let routeDeviation = JT808AlarmFlags(rawValue: 1 << 23)
    /// Bit 24: vehicle VSS fault (车辆 VSS 故障).
    public static let vssFault = JT808AlarmFlags(rawValue: 1 << 24)
    /// Bit 25: abnormal fuel level (车辆油量异常).
    public static let fuelAbnormal = JT808AlarmFlags(rawValue: 1 << 25)
    /// Bit 26: vehicle stolen, reported by the anti-theft device (车辆被盗).
    public static let vehicleStolen = JT808AlarmFlags(rawValue: 1 << 26)
    /// Bit 27: illegal ignition (车辆非法点火).
    public static let illegalIgnition = JT808AlarmFlags(rawValue: 1 << 27)
    /// Bit 28: illegal displacement (车辆非法位移).
    public static let illegalDisplacement = JT808AlarmFlags(rawValue: 1 << 28)
}
