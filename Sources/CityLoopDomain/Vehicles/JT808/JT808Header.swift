/// The protocol revision a frame uses (协议版本).
public enum JT808Version: Sendable, Equatable, Hashable, CaseIterable {
    /// JT/T 808-2013: no version flag, BCD[6] terminal phone number.
    case v2013
    /// JT/T 808-2019: version flag (bit 14) set, protocol version byte, BCD[10] terminal phone number.
    case v2019

    /// The number of bytes of the BCD terminal phone number.
    var phoneNumberByteCount: Int { self == .v2013 ? 6 : 10 }
}

/// Subpackage information (消息包封装项): total number of packages and this package's index.
public struct JT808Subpackage: Sendable, Equatable, Hashable {
    /// Total number of packages (消息总包数).
    public var total: UInt16
    /// Index of this package (包序号), starting at 1.
    public var index: UInt16

    /// Creates subpackage information.
    public init(total: UInt16, index: UInt16) {
        self.total = total
        self.index = index
    }
}

/// Message header (消息头).
///
/// Values are validated on creation so that `JT808Frame.encode()` cannot fail. The body length is not stored:
/// it is taken from the body when a frame is encoded.
public struct JT808Header: Sendable, Equatable, Hashable {
    /// Message ID (消息 ID).
    public let messageID: UInt16
    /// Protocol revision, from the version flag (版本标识, bit 14 of the body properties).
    public let version: JT808Version
    /// Protocol version number (协议版本号); only transmitted in 2019 frames, always 0 for 2013 frames.
    public let protocolVersion: UInt8
    /// Data encryption mode (数据加密方式), bits 10–12 of the body properties: 0 none, 1 RSA (bit 10).
    public let encryption: UInt8
    /// Terminal phone number (终端手机号) as BCD digits including leading zeros: 12 digits (2013) or 20 (2019).
    public let phoneNumber: String
    /// Message serial number (消息流水号).
    public let serialNumber: UInt16
    /// Subpackage information (消息包封装项) when the subpackage bit (bit 13) is set.
    public let subpackage: JT808Subpackage?

    private let phoneNumberBCD: [UInt8]

    /// The smallest possible header: a 2013 header without subpackage information.
    static let minimumLength = 12

    /// Creates a header; `phoneNumber` digits are left-padded with zeros to the version's width.
    ///
    /// Throws `.invalidBCD` for non-digit phone numbers, `.fieldTooLong` when the number has more digits than the
    /// version allows, and `.invalidValue` when `encryption` does not fit in three bits.
    /// `protocolVersion` is ignored (stored as 0) for 2013 headers.
    public init(
        messageID: UInt16, phoneNumber: String, serialNumber: UInt16, version: JT808Version = .v2013,
        protocolVersion: UInt8 = 1, encryption: UInt8 = 0, subpackage: JT808Subpackage? = nil
    ) throws(JT808Error) {
        guard encryption <= 0x07 else { throw .invalidValue(field: "encryption") }
        let bcd = try JT808BCD.pack(phoneNumber, byteCount: version.phoneNumberByteCount, field: "phoneNumber")
        self.init(
            messageID: messageID, version: version, protocolVersion: version == .v2013 ? 0 : protocolVersion,
            encryption: encryption, phoneNumberBCD: bcd, phoneNumber: try JT808BCD.digits(from: bcd, field: "phoneNumber"),
            serialNumber: serialNumber, subpackage: subpackage)
    }

    private init(
        messageID: UInt16, version: JT808Version, protocolVersion: UInt8, encryption: UInt8,
        phoneNumberBCD: [UInt8], phoneNumber: String, serialNumber: UInt16, subpackage: JT808Subpackage?
    ) {
        self.messageID = messageID
        self.version = version
        self.protocolVersion = protocolVersion
        self.encryption = encryption
        self.phoneNumberBCD = phoneNumberBCD
        self.phoneNumber = phoneNumber
        self.serialNumber = serialNumber
        self.subpackage = subpackage
    }

    /// Whether the body is RSA-encrypted (bit 10 of the body properties).
    public var isRSAEncrypted: Bool { encryption & 0x01 != 0 }

    /// Whether any encryption bit (10–12) is set.
    public var isEncrypted: Bool { encryption != 0 }

    /// Reads a header and returns it with the declared body length.
    static func decode(from reader: inout JT808ByteReader) throws(JT808Error) -> (header: JT808Header, bodyLength: Int) {
        let messageID = try reader.readUInt16("messageID")
        let properties = try reader.readUInt16("bodyProperties")
        let version: JT808Version = properties & 0x4000 != 0 ? .v2019 : .v2013
        let protocolVersion: UInt8 = if version == .v2019 { try reader.readUInt8("protocolVersion") } else { 0 }
        let bcd = try reader.readBytes(version.phoneNumberByteCount, "phoneNumber")
        let phoneNumber = try JT808BCD.digits(from: bcd, field: "phoneNumber")
        let serialNumber = try reader.readUInt16("serialNumber")
        var subpackage: JT808Subpackage?
        if properties & 0x2000 != 0 {
            let total = try reader.readUInt16("subpackageTotal")
            let index = try reader.readUInt16("subpackageIndex")
            subpackage = JT808Subpackage(total: total, index: index)
        }
        let header = JT808Header(
            messageID: messageID, version: version, protocolVersion: protocolVersion,
            encryption: UInt8(truncatingIfNeeded: properties >> 10) & 0x07,
            phoneNumberBCD: bcd, phoneNumber: phoneNumber, serialNumber: serialNumber, subpackage: subpackage)
        return (header, Int(properties & 0x03FF))
    }

    /// Encodes the header for a body of `bodyLength` bytes (at most 1023, checked by `JT808Frame`).
    func encode(bodyLength: Int) -> [UInt8] {
        var properties = UInt16(truncatingIfNeeded: bodyLength) & 0x03FF
        properties |= UInt16(encryption & 0x07) << 10
        if subpackage != nil { properties |= 0x2000 }
        if version == .v2019 { properties |= 0x4000 }
        var writer = JT808ByteWriter()
        writer.writeUInt16(messageID)
        writer.writeUInt16(properties)
        if version == .v2019 { writer.writeUInt8(protocolVersion) }
        writer.writeBytes(phoneNumberBCD)
        writer.writeUInt16(serialNumber)
        if let subpackage {
            writer.writeUInt16(subpackage.total)
            writer.writeUInt16(subpackage.index)
        }
        return writer.bytes
    }
}
