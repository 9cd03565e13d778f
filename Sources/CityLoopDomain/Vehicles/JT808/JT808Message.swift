/// A decoded message body (消息体), typed by message ID.
public enum JT808Message: Sendable, Equatable, Hashable {
    /// 0x0001 terminal general reply (终端通用应答).
    case terminalGeneralReply(JT808GeneralReply)
    /// 0x8001 platform general reply (平台通用应答).
    case platformGeneralReply(JT808GeneralReply)
    /// 0x0002 terminal heartbeat (终端心跳), empty body.
    case heartbeat
    /// 0x0003 terminal logout (终端注销), empty body.
    case terminalLogout
    /// 0x0100 terminal registration (终端注册).
    case registration(JT808Registration)
    /// 0x8100 terminal registration reply (终端注册应答).
    case registrationReply(JT808RegistrationReply)
    /// 0x0102 terminal authentication (终端鉴权).
    case authentication(JT808Authentication)
    /// 0x0200 location information report (位置信息汇报).
    case locationReport(JT808Location)
    /// 0x0704 batch location upload (定位数据批量上传).
    case batchLocationUpload(JT808BatchLocation)
    /// Any other message ID, with its raw body; a server typically answers with 0x8001 result `.unsupported`.
    ///
    /// Use it only for IDs without a dedicated case, otherwise decoding the encoded body yields that case.
    case unknown(messageID: UInt16, body: [UInt8])

    /// The message ID (消息 ID) for the header.
    public var messageID: UInt16 {
        switch self {
        case .terminalGeneralReply: return JT808MessageID.terminalGeneralReply
        case .platformGeneralReply: return JT808MessageID.platformGeneralReply
        case .heartbeat: return JT808MessageID.heartbeat
        case .terminalLogout: return JT808MessageID.terminalLogout
        case .registration: return JT808MessageID.registration
        case .registrationReply: return JT808MessageID.registrationReply
        case .authentication: return JT808MessageID.authentication
        case .locationReport: return JT808MessageID.locationReport
        case .batchLocationUpload: return JT808MessageID.batchLocationUpload
        case .unknown(let messageID, _): return messageID
        }
    }

    /// Decodes the body of a frame.
    ///
    /// Throws `.encrypted` if any encryption bit is set and `.subpackageFragment` for a subpackaged frame (reassemble
    /// the bodies, then call `decode(messageID:version:body:)`); otherwise as `decode(messageID:version:body:)`.
    public static func decode(header: JT808Header, body: [UInt8]) throws(JT808Error) -> JT808Message {
        guard !header.isEncrypted else { throw .encrypted }
        guard header.subpackage == nil else { throw .subpackageFragment }
        return try decode(messageID: header.messageID, version: header.version, body: body)
    }

    /// Decodes a complete, unencrypted body for `messageID` in the layout of `version`.
    ///
    /// Unknown IDs give `.unknown`. Bytes after a fixed layout (general replies, heartbeat, logout, a rejecting
    /// registration reply, 2019 authentication, 0x0704 entries) are ignored for tolerance of vendor extensions;
    /// missing bytes throw `.truncated`.
    public static func decode(messageID: UInt16, version: JT808Version, body: [UInt8]) throws(JT808Error) -> JT808Message {
        var reader = JT808ByteReader(body)
        switch messageID {
        case JT808MessageID.terminalGeneralReply: return .terminalGeneralReply(try .decode(&reader))
        case JT808MessageID.platformGeneralReply: return .platformGeneralReply(try .decode(&reader))
        case JT808MessageID.heartbeat: return .heartbeat
        case JT808MessageID.terminalLogout: return .terminalLogout
        case JT808MessageID.registration: return .registration(try .decode(&reader, version: version))
        case JT808MessageID.registrationReply: return .registrationReply(try .decode(&reader))
        case JT808MessageID.authentication: return .authentication(try .decode(&reader, version: version))
        case JT808MessageID.locationReport: return .locationReport(try .decode(&reader))
        case JT808MessageID.batchLocationUpload: return .batchLocationUpload(try .decode(&reader))
        default: return .unknown(messageID: messageID, body: body)
        }
    }

    /// Encodes the body in the layout of `version`.
    ///
    /// Throws `.fieldTooLong` when a value does not fit its field (for example a 2013 terminal ID over 7 bytes).
    /// The frame additionally limits bodies to 1023 bytes.
    public func encodeBody(version: JT808Version) throws(JT808Error) -> [UInt8] {
        var writer = JT808ByteWriter()
        switch self {
        case .terminalGeneralReply(let reply), .platformGeneralReply(let reply): reply.encode(into: &writer)
        case .heartbeat, .terminalLogout: break
        case .registration(let registration): try registration.encode(into: &writer, version: version)
        case .registrationReply(let reply): reply.encode(into: &writer)
        case .authentication(let authentication): try authentication.encode(into: &writer, version: version)
        case .locationReport(let location): try location.encode(into: &writer)
        case .batchLocationUpload(let batch): try batch.encode(into: &writer)
        case .unknown(_, let body): writer.writeBytes(body)
        }
        return writer.bytes
    }
}
