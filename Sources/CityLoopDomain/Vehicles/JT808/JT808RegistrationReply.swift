/// Result of a terminal registration reply (结果): 0 success, 1–4 rejection reasons; other bytes kept raw.
public struct JT808RegistrationResult: RawRepresentable, Sendable, Equatable, Hashable {
    /// The result byte.
    public var rawValue: UInt8

    /// Wraps a result byte.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// Success (成功), 0.
    public static let success = JT808RegistrationResult(rawValue: 0)
    /// Vehicle already registered (车辆已被注册), 1.
    public static let vehicleAlreadyRegistered = JT808RegistrationResult(rawValue: 1)
    /// No such vehicle in the database (数据库中无该车辆), 2.
    public static let vehicleNotFound = JT808RegistrationResult(rawValue: 2)
    /// Terminal already registered (终端已被注册), 3.
    public static let terminalAlreadyRegistered = JT808RegistrationResult(rawValue: 3)
    /// No such terminal in the database (数据库中无该终端), 4.
    public static let terminalNotFound = JT808RegistrationResult(rawValue: 4)
}

/// Body of a terminal registration reply (终端注册应答, 0x8100).
///
/// The authentication code is only sent on success, so it is always empty for any other result.
public struct JT808RegistrationReply: Sendable, Equatable, Hashable {
    /// Serial number of the registration being answered (应答流水号).
    public let replySerialNumber: UInt16
    /// Result (结果).
    public let result: JT808RegistrationResult
    /// Authentication code (鉴权码), GBK STRING; empty unless `result` is `.success`.
    public let authCode: JT808String

    /// Creates a reply; `authCode` is dropped unless `result` is `.success`.
    public init(replySerialNumber: UInt16, result: JT808RegistrationResult, authCode: JT808String = JT808String(bytes: [])) {
        self.replySerialNumber = replySerialNumber
        self.result = result
        self.authCode = result == .success ? authCode : JT808String(bytes: [])
    }

    /// Decodes the body; after a non-success result any remaining bytes are ignored.
    static func decode(_ reader: inout JT808ByteReader) throws(JT808Error) -> JT808RegistrationReply {
        let serial = try reader.readUInt16("replySerialNumber")
        let result = JT808RegistrationResult(rawValue: try reader.readUInt8("result"))
        return JT808RegistrationReply(
            replySerialNumber: serial, result: result, authCode: JT808String(bytes: reader.readRemaining()))
    }

    /// Encodes the body.
    func encode(into writer: inout JT808ByteWriter) {
        writer.writeUInt16(replySerialNumber)
        writer.writeUInt8(result.rawValue)
        if result == .success { writer.writeBytes(authCode.bytes) }
    }
}
