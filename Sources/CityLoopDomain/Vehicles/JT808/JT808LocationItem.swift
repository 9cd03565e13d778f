/// An additional location information item (位置附加信息项): ID BYTE, length BYTE, value.
///
/// Known IDs with the expected length decode to typed cases; any other item, including a known ID with an
/// unexpected length, is kept as `.unknown` so it survives re-encoding unchanged.
public enum JT808LocationItem: Sendable, Equatable, Hashable {
    /// 0x01 mileage (里程), DWORD in 0.1 km.
    case mileage(UInt32)
    /// 0x02 fuel (油量), WORD in 0.1 L.
    case fuel(UInt16)
    /// 0x03 speed from the driving recorder (行驶记录功能获取的速度), WORD in 0.1 km/h.
    case recorderSpeed(UInt16)
    /// 0x30 wireless signal strength (无线通信网络信号强度), BYTE.
    case signalStrength(UInt8)
    /// 0x31 number of GNSS satellites (GNSS 定位卫星数), BYTE.
    case satelliteCount(UInt8)
    /// Any other item, as its ID and raw value bytes (at most 255 bytes to be encodable).
    case unknown(id: UInt8, value: [UInt8])

    /// The item ID (附加信息 ID).
    public var id: UInt8 {
        switch self {
        case .mileage: return 0x01
        case .fuel: return 0x02
        case .recorderSpeed: return 0x03
        case .signalStrength: return 0x30
        case .satelliteCount: return 0x31
        case .unknown(let id, _): return id
        }
    }

    /// The value bytes as sent on the wire.
    public var value: [UInt8] {
        var writer = JT808ByteWriter()
        switch self {
        case .mileage(let value): writer.writeUInt32(value)
        case .fuel(let value), .recorderSpeed(let value): writer.writeUInt16(value)
        case .signalStrength(let value), .satelliteCount(let value): writer.writeUInt8(value)
        case .unknown(_, let value): writer.writeBytes(value)
        }
        return writer.bytes
    }

    /// Interprets an item read from the wire.
    init(id: UInt8, value: [UInt8]) {
        switch (id, value.count) {
        case (0x01, 4): self = .mileage(Self.bigEndian(value))
        case (0x02, 2): self = .fuel(UInt16(truncatingIfNeeded: Self.bigEndian(value)))
        case (0x03, 2): self = .recorderSpeed(UInt16(truncatingIfNeeded: Self.bigEndian(value)))
        case (0x30, 1): self = .signalStrength(value[0])
        case (0x31, 1): self = .satelliteCount(value[0])
        default: self = .unknown(id: id, value: value)
        }
    }

    private static func bigEndian(_ bytes: [UInt8]) -> UInt32 {
        bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
