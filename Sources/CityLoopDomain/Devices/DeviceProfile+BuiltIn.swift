import Foundation

extension DeviceProfile {
    /// The profiles every city has, with FIWARE Smart Data Models' field names where they exist, and their rules.
    public static let builtIn: [DeviceProfile] = [manholeCover, waterLevel, noise, airQuality, wasteContainer, streetlight, generic]

    /// A manhole cover sensor (井盖监测): tilt, displacement, open or closed.
    public static let manholeCover = DeviceProfile(
        id: "manholeCover", nameZh: "井盖传感器", nameEn: "Manhole cover sensor",
        measurements: [
            .number("tiltAngle", "倾角", "Tilt angle", unit: "deg", range: 0...180),
            .number("displacement", "位移", "Displacement", unit: "mm", range: 0...2000),
            .state("coverState", "井盖状态", "Cover", ["closed", "open"]),
        ],
        rules: [
            AlarmRule(type: "coverOpen", labelZh: "井盖开启", labelEn: "Cover open", measurement: "coverState", severity: .critical, condition: .state(["open"])),
            AlarmRule(
                type: "coverTilted", labelZh: "井盖倾斜", labelEn: "Cover tilted", measurement: "tiltAngle", severity: .major,
                condition: .above(raise: .value(15), clear: .value(10))),
        ],
        componentClass: "01003")

    /// A water level gauge (积水/内涝监测): the distance down to the water; `currentLevel` is the device's
    /// `referenceLevel` minus it, compared with its `alertLevel` and `dangerLevel`.
    public static let waterLevel = DeviceProfile(
        id: "waterLevel", nameZh: "水位计", nameEn: "Water level gauge",
        measurements: [
            .number(ReadingCheck.measuredDistance, "测距", "Measured distance", unit: "m", range: 0...30),
            .number(ReadingCheck.currentLevel, "水位", "Water level", unit: "m", range: -30...30),
        ],
        rules: [
            AlarmRule(
                type: "waterAboveAlert", labelZh: "水位超警戒", labelEn: "Water above alert level", measurement: ReadingCheck.currentLevel,
                severity: .major, condition: .sustained(above: .attribute("alertLevel"), seconds: 300)),
            AlarmRule(
                type: "waterAboveDanger", labelZh: "水位超危险", labelEn: "Water above danger level", measurement: ReadingCheck.currentLevel,
                severity: .critical, condition: .above(raise: .attribute("dangerLevel"), clear: .attribute("alertLevel"))),
            AlarmRule(
                type: "waterRisingFast", labelZh: "水位快速上涨", labelEn: "Water rising fast", measurement: ReadingCheck.currentLevel,
                severity: .minor, condition: .rate(perMinute: 0.05)),
        ])

    /// A noise monitor (噪声监测), e.g. at a construction site: `LAeq`, `LAmax` in dB(A).
    public static let noise = DeviceProfile(
        id: "noise", nameZh: "噪声监测仪", nameEn: "Noise monitor",
        measurements: [
            .number("LAeq", "等效声级", "LAeq", unit: "dB", range: 0...160),
            .number("LAmax", "最大声级", "LAmax", unit: "dB", range: 0...180),
        ],
        rules: [
            AlarmRule(
                type: "noiseOverLimit", labelZh: "噪声超标", labelEn: "Noise over the limit", measurement: "LAeq", severity: .minor,
                condition: .sustained(above: .value(70), seconds: 600))
        ])

    /// A dust and air monitor (扬尘监测): `pm25`, `pm10` in µg/m³.
    public static let airQuality = DeviceProfile(
        id: "airQuality", nameZh: "扬尘监测仪", nameEn: "Dust monitor",
        measurements: [
            .number("pm25", "PM2.5", "PM2.5", unit: "ug/m3", range: 0...2000),
            .number("pm10", "PM10", "PM10", unit: "ug/m3", range: 0...3000),
        ],
        rules: [
            AlarmRule(
                type: "dustOverLimit", labelZh: "扬尘超标", labelEn: "Dust over the limit", measurement: "pm10", severity: .minor,
                condition: .repeated(above: .value(150), times: 5, seconds: 900))
        ])

    /// A waste container's fill sensor (垃圾满溢): `fillingLevel` 0–1 and FIWARE's container states.
    public static let wasteContainer = DeviceProfile(
        id: "wasteContainer", nameZh: "垃圾桶满溢传感器", nameEn: "Waste container sensor",
        measurements: [
            .number("fillingLevel", "满溢度", "Filling level", unit: "1", range: 0...1),
            .state("status", "状态", "Status", ["ok", "lidOpen", "dropped", "moved", "vandalized", "burning"]),
        ],
        rules: [
            AlarmRule(
                type: "containerFull", labelZh: "垃圾满溢", labelEn: "Container full", measurement: "fillingLevel", severity: .warning,
                condition: .above(raise: .value(0.9), clear: .value(0.5))),
            AlarmRule(
                type: "containerBurning", labelZh: "垃圾桶起火", labelEn: "Container burning", measurement: "status", severity: .critical,
                condition: .state(["burning"])),
        ],
        componentClass: "03005")

    /// A street light controller (路灯): `powerState` and FIWARE's lamp states.
    public static let streetlight = DeviceProfile(
        id: "streetlight", nameZh: "路灯控制器", nameEn: "Street light controller",
        measurements: [
            .state("powerState", "开关", "Power", ["on", "off"]),
            .state("status", "状态", "Status", ["ok", "defectiveLamp", "columnIssue", "brokenLantern"]),
        ],
        rules: [
            AlarmRule(
                type: "lampFault", labelZh: "路灯故障", labelEn: "Lamp fault", measurement: "status", severity: .minor,
                condition: .state(["defectiveLamp", "columnIssue", "brokenLantern"]))
        ],
        componentClass: "01037")

    /// Any other device: a value, a state and a battery level; rules per device.
    public static let generic = DeviceProfile(
        id: "generic", nameZh: "通用设备", nameEn: "Generic device",
        measurements: [
            .number("value", "数值", "Value", unit: "1", range: -1e9...1e9),
            .state("state", "状态", "State", ["ok", "fault"]),
            .number("batteryLevel", "电量", "Battery", unit: "1", range: 0...1),
        ],
        rules: [
            AlarmRule(
                type: "batteryLow", labelZh: "电量低", labelEn: "Battery low", measurement: "batteryLevel", severity: .warning,
                condition: .below(raise: .value(0.15), clear: .value(0.3)))
        ])
}
