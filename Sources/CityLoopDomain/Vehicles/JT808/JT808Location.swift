import Foundation

/// Location information (位置信息汇报), the body of 0x0200 and each entry of a 0x0704 batch.
///
/// Raw fields hold the wire values; the computed accessors apply units and the south/west status bits.
public struct JT808Location: Sendable, Equatable, Hashable {
    /// Alarm flags (报警标志).
    public var alarm: JT808AlarmFlags
    /// Status bits (状态).
    public var status: JT808LocationStatus
    /// Latitude (纬度) in millionths of a degree, without sign; see `latitude`.
    public var rawLatitude: UInt32
    /// Longitude (经度) in millionths of a degree, without sign; see `longitude`.
    public var rawLongitude: UInt32
    /// Altitude (高程) in metres.
    public var altitude: UInt16
    /// Speed (速度) in 0.1 km/h; see `speedKmh`.
    public var rawSpeed: UInt16
    /// Direction (方向), 0–359 degrees clockwise from true north.
    public var direction: UInt16
    /// Time (时间), GMT+8 wall-clock time; see `date`.
    public var time: JT808Timestamp
    /// Additional information items (位置附加信息项), in wire order.
    public var additionalItems: [JT808LocationItem]

    /// The fixed part of the body: alarm, status, latitude, longitude, altitude, speed, direction, time.
    static let fixedLength = 28

    /// Creates a location from wire values.
    public init(
        alarm: JT808AlarmFlags = [], status: JT808LocationStatus = [], rawLatitude: UInt32, rawLongitude: UInt32,
        altitude: UInt16 = 0, rawSpeed: UInt16 = 0, direction: UInt16 = 0, time: JT808Timestamp,
        additionalItems: [JT808LocationItem] = []
    ) {
        self.alarm = alarm
        self.status = status
        self.rawLatitude = rawLatitude
        self.rawLongitude = rawLongitude
        self.altitude = altitude
        self.rawSpeed = rawSpeed
        self.direction = direction
        self.time = time
        self.additionalItems = additionalItems
    }

    /// Creates a location from signed degrees and km/h, setting the south/west status bits as needed.
    ///
    /// Values are rounded to the protocol resolution; throws `.invalidValue` for non-finite or out-of-range input.
    public init(
        latitude: Double, longitude: Double, speedKmh: Double = 0, altitude: UInt16 = 0, direction: UInt16 = 0,
        time: JT808Timestamp, alarm: JT808AlarmFlags = [], status: JT808LocationStatus = [],
        additionalItems: [JT808LocationItem] = []
    ) throws(JT808Error) {
        guard latitude.isFinite, abs(latitude) <= 90 else { throw .invalidValue(field: "latitude") }
        guard longitude.isFinite, abs(longitude) <= 180 else { throw .invalidValue(field: "longitude") }
        guard speedKmh.isFinite, speedKmh >= 0, (speedKmh * 10).rounded() <= Double(UInt16.max) else {
            throw .invalidValue(field: "speed")
        }
        var status = status
        status.remove([.southLatitude, .westLongitude])
        if latitude < 0 { status.insert(.southLatitude) }
        if longitude < 0 { status.insert(.westLongitude) }
        self.init(
            alarm: alarm, status: status, rawLatitude: UInt32((abs(latitude) * 1_000_000).rounded()),
            rawLongitude: UInt32((abs(longitude) * 1_000_000).rounded()), altitude: altitude,
            rawSpeed: UInt16((speedKmh * 10).rounded()), direction: direction, time: time,
            additionalItems: additionalItems)
    }

    /// Whether the fix is valid (定位, status bit 1).
    public var isPositioned: Bool { status.contains(.positioned) }

    /// Whether ACC (ignition) is on (ACC 开, status bit 0).
    public var accOn: Bool { status.contains(.accOn) }

    /// Load state (空/重车状态, status bits 8–9).
    public var loadState: JT808LoadState { status.loadState }

    /// Latitude in degrees, negative in the southern hemisphere.
    public var latitude: Double {
        Double(rawLatitude) / 1_000_000 * (status.contains(.southLatitude) ? -1 : 1)
    }

    /// Longitude in degrees, negative in the western hemisphere.
    public var longitude: Double {
        Double(rawLongitude) / 1_000_000 * (status.contains(.westLongitude) ? -1 : 1)
    }

    /// Speed in km/h.
    public var speedKmh: Double { Double(rawSpeed) / 10 }

    /// The report time as an instant (the BCD time read as GMT+8).
    public var date: Date { time.date }

    /// Mileage in km from item 0x01, if present.
    public var mileageKm: Double? {
        for case .mileage(let value) in additionalItems { return Double(value) / 10 }
        return nil
    }

    /// Fuel in litres from item 0x02, if present.
    public var fuelLitres: Double? {
        for case .fuel(let value) in additionalItems { return Double(value) / 10 }
        return nil
    }

    /// Wireless signal strength from item 0x30, if present.
    public var signalStrength: UInt8? {
        for case .signalStrength(let value) in additionalItems { return value }
        return nil
    }

    /// Number of GNSS satellites from item 0x31, if present.
    public var satelliteCount: UInt8? {
        for case .satelliteCount(let value) in additionalItems { return value }
        return nil
    }

    /// Decodes a location body that ends exactly with the reader's data.
    static func decode(_ reader: inout JT808ByteReader) throws(JT808Error) -> JT808Location {
        let alarm = JT808AlarmFlags(rawValue: try reader.readUInt32("alarm"))
        let status = JT808LocationStatus(rawValue: try reader.readUInt32("status"))
        let latitude = try reader.readUInt32("latitude")
        let longitude = try reader.readUInt32("longitude")
        let altitude = try reader.readUInt16("altitude")
        let speed = try reader.readUInt16("speed")
        let direction = try reader.readUInt16("direction")
        let time = try JT808Timestamp.decode(bcd: try reader.readBytes(6, "time"))
        var items: [JT808LocationItem] = []
        while reader.remainingCount > 0 {
            let id = try reader.readUInt8("additionalItemID")
            let length = try reader.readUInt8("additionalItemLength")
            let value = try reader.readBytes(Int(length), "additionalItem")
            items.append(JT808LocationItem(id: id, value: value))
        }
        return JT808Location(
            alarm: alarm, status: status, rawLatitude: latitude, rawLongitude: longitude, altitude: altitude,
            rawSpeed: speed, direction: direction, time: time, additionalItems: items)
    }

    /// Encodes the body; throws `.fieldTooLong` for an additional item value over 255 bytes.
    func encode(into writer: inout JT808ByteWriter) throws(JT808Error) {
        writer.writeUInt32(alarm.rawValue)
        writer.writeUInt32(status.rawValue)
        writer.writeUInt32(rawLatitude)
        writer.writeUInt32(rawLongitude)
        writer.writeUInt16(altitude)
        writer.writeUInt16(rawSpeed)
        writer.writeUInt16(direction)
        writer.writeBytes(time.bcd)
        for item in additionalItems {
            let value = item.value
            writer.writeUInt8(item.id)
            try writer.writeLength8(value.count, "additionalItem")
            writer.writeBytes(value)
        }
    }
}
