/// Type of a batch location upload (位置数据类型): 0 regular batch, 1 blind-area re-send; other bytes kept raw.
public struct JT808BatchLocationType: RawRepresentable, Sendable, Equatable, Hashable {
    /// The type byte.
    public var rawValue: UInt8

    /// Wraps a type byte.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// Regular batch report (正常位置批量汇报), 0.
    public static let regular = JT808BatchLocationType(rawValue: 0)
    /// Blind-area re-send (盲区补报), 1: positions stored while the terminal had no connection.
    public static let blindAreaResend = JT808BatchLocationType(rawValue: 1)
}

/// Body of a batch location upload (定位数据批量上传, 0x0704).
///
/// Layout: count WORD, type BYTE, then per entry a length WORD and a 0x0200 location body of that length.
public struct JT808BatchLocation: Sendable, Equatable, Hashable {
    /// Type of the batch (位置数据类型).
    public var type: JT808BatchLocationType
    /// The locations (位置汇报数据项), in wire order.
    public var locations: [JT808Location]

    /// Creates a batch body.
    public init(type: JT808BatchLocationType, locations: [JT808Location]) {
        self.type = type
        self.locations = locations
    }

    /// Decodes the body; bytes after the declared number of entries are ignored.
    static func decode(_ reader: inout JT808ByteReader) throws(JT808Error) -> JT808BatchLocation {
        let count = try reader.readUInt16("batchCount")
        let type = JT808BatchLocationType(rawValue: try reader.readUInt8("batchType"))
        // No reserveCapacity(count): the count is untrusted and the body is at most 1023 bytes anyway.
        var locations: [JT808Location] = []
        for _ in 0..<count {
            let length = try reader.readUInt16("batchItemLength")
            var itemReader = JT808ByteReader(try reader.readBytes(Int(length), "batchItem"))
            locations.append(try JT808Location.decode(&itemReader))
        }
        return JT808BatchLocation(type: type, locations: locations)
    }

    /// Encodes the body; throws `.fieldTooLong` if there are more than 65,535 entries or an entry is too long.
    func encode(into writer: inout JT808ByteWriter) throws(JT808Error) {
        try writer.writeLength16(locations.count, "batchCount")
        writer.writeUInt8(type.rawValue)
        for location in locations {
            var itemWriter = JT808ByteWriter()
            try location.encode(into: &itemWriter)
            try writer.writeLength16(itemWriter.bytes.count, "batchItem")
            writer.writeBytes(itemWriter.bytes)
        }
    }
}
