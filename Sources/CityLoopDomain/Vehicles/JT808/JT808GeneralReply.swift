/// Result of a general reply (结果): 0 success, 1 failure, 2 message error, 3 unsupported, 4 alarm confirmed.
///
/// Any other byte is kept as its raw value.
public struct JT808ReplyResult: RawRepresentable, Sendable, Equatable, Hashable {
    /// The result byte.
    public var rawValue: UInt8

    /// Wraps a result byte.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// Success / confirmation (成功/确认), 0.
    public static let success = JT808ReplyResult(rawValue: 0)
    /// Failure (失败), 1.
    public static let failure = JT808ReplyResult(rawValue: 1)
    /// Message error (消息有误), 2.
    public static let messageError = JT808ReplyResult(rawValue: 2)
    /// Not supported (不支持), 3.
    public static let unsupported = JT808ReplyResult(rawValue: 3)
    /// Alarm handling confirmed (报警处理确认), 4; platform replies only.
    public static let alarmConfirmed = JT808ReplyResult(rawValue: 4)
}

/// Body of a terminal general reply (终端通用应答, 0x0001) or platform general reply (平台通用应答, 0x8001).
public struct JT808GeneralReply: Sendable, Equatable, Hashable {
    /// Serial number of the message being answered (应答流水号).
    public var replySerialNumber: UInt16
    /// ID of the message being answered (应答 ID).
    public var replyMessageID: UInt16
    /// Result (结果).
    public var result: JT808ReplyResult

    /// Creates a general reply body.
    public init(replySerialNumber: UInt16, replyMessageID: UInt16, result: JT808ReplyResult) {
        self.replySerialNumber = replySerialNumber
        self.replyMessageID = replyMessageID
        self.result = result
    }

    /// Creates the platform's reply to the message described by `header`.
    public init(answering header: JT808Header, result: JT808ReplyResult) {
        self.init(replySerialNumber: header.serialNumber, replyMessageID: header.messageID, result: result)
    }

    /// Decodes the 5-byte body; trailing bytes are ignored.
    static func decode(_ reader: inout JT808ByteReader) throws(JT808Error) -> JT808GeneralReply {
        let serial = try reader.readUInt16("replySerialNumber")
        let messageID = try reader.readUInt16("replyMessageID")
        let result = try reader.readUInt8("result")
        return JT808GeneralReply(
            replySerialNumber: serial, replyMessageID: messageID, result: JT808ReplyResult(rawValue: result))
    }

    /// Encodes the 5-byte body.
    func encode(into writer: inout JT808ByteWriter) {
        writer.writeUInt16(replySerialNumber)
        writer.writeUInt16(replyMessageID)
        writer.writeUInt8(result.rawValue)
    }
}
