/// Body of a terminal authentication (终端鉴权, 0x0102).
///
/// In 2013 the whole body is the authentication code. In 2019 it is a length-prefixed code followed by the IMEI
/// (BYTE[15]) and software version (BYTE[20]), both right-padded with 0x00; these two are empty for 2013.
public struct JT808Authentication: Sendable, Equatable, Hashable {
    /// Authentication code (鉴权码) issued in the registration reply.
    public var authCode: JT808String
    /// Terminal IMEI (终端 IMEI), 2019 only.
    public var imei: JT808String
    /// Terminal software version (软件版本号), 2019 only.
    public var softwareVersion: JT808String

    /// Creates an authentication body; `imei` and `softwareVersion` are only encoded for 2019.
    public init(authCode: JT808String, imei: JT808String = "", softwareVersion: JT808String = "") {
        self.authCode = authCode
        self.imei = imei
        self.softwareVersion = softwareVersion
    }

    /// Decodes the body for `version`; in 2019 bytes after the software version are ignored.
    static func decode(_ reader: inout JT808ByteReader, version: JT808Version) throws(JT808Error) -> JT808Authentication {
        guard version == .v2019 else {
            return JT808Authentication(authCode: JT808String(bytes: reader.readRemaining()))
        }
        let length = try reader.readUInt8("authCodeLength")
        let code = try reader.readBytes(Int(length), "authCode")
        let imei = try reader.readPaddedString(15, "imei")
        let software = try reader.readPaddedString(20, "softwareVersion")
        return JT808Authentication(authCode: JT808String(bytes: code), imei: imei, softwareVersion: software)
    }

    /// Encodes the body for `version`; throws `.fieldTooLong` when a 2019 field does not fit.
    func encode(into writer: inout JT808ByteWriter, version: JT808Version) throws(JT808Error) {
        guard version == .v2019 else {
            writer.writeBytes(authCode.bytes)
            return
        }
        try writer.writeLength8(authCode.bytes.count, "authCode")
        writer.writeBytes(authCode.bytes)
        try writer.writePadded(imei, width: 15, "imei")
        try writer.writePadded(softwareVersion, width: 20, "softwareVersion")
    }
}
