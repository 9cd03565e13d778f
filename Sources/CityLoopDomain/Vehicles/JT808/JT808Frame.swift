/// One protocol frame (消息): header plus raw body, between 0x7E delimiters on the wire.
public struct JT808Frame: Sendable, Equatable, Hashable {
    /// The message header (消息头).
    public let header: JT808Header
    /// The unescaped message body (消息体), at most `maximumBodyLength` bytes.
    public let body: [UInt8]

    /// The largest body the 10-bit body length field can describe.
    public static let maximumBodyLength = 0x03FF

    /// The largest escaped frame content (without delimiters) a valid frame can have: a 2019 subpackaged
    /// header (21 bytes), a 1023-byte body and the check code, every byte escaped to two.
    public static let maximumEscapedContentLength = 2 * (21 + maximumBodyLength + 1)

    /// Creates a frame; throws `.fieldTooLong` if the body is longer than 1023 bytes.
    public init(header: JT808Header, body: [UInt8]) throws(JT808Error) {
        guard body.count <= Self.maximumBodyLength else {
            throw .fieldTooLong(field: "body", maximum: Self.maximumBodyLength)
        }
        self.header = header
        self.body = body
    }

    /// Creates an unsubpackaged, unencrypted frame carrying `message`, encoding its body for `version`.
    public init(
        message: JT808Message, phoneNumber: String, serialNumber: UInt16, version: JT808Version = .v2013,
        protocolVersion: UInt8 = 1
    ) throws(JT808Error) {
        let header = try JT808Header(
            messageID: message.messageID, phoneNumber: phoneNumber, serialNumber: serialNumber,
            version: version, protocolVersion: protocolVersion)
        try self.init(header: header, body: try message.encodeBody(version: version))
    }

    /// Decodes the content between two 0x7E delimiters, still escaped.
    ///
    /// Unescapes, checks the minimum length (`.tooShort`), the check code (`.badChecksum`), parses the header
    /// (`.truncated`, `.invalidBCD`) and requires the declared body length to match (`.lengthMismatch`).
    /// Encrypted and subpackaged frames decode here; their bodies are returned as they are.
    public static func decode(_ escapedFrameContent: some Collection<UInt8>) throws(JT808Error) -> JT808Frame {
        let bytes = try JT808Escaping.unescape(escapedFrameContent)
        guard bytes.count > JT808Header.minimumLength else { throw .tooShort }
        let checksumIndex = bytes.count - 1
        let content = bytes[..<checksumIndex]
        let computed = JT808Escaping.checksum(content)
        guard computed == bytes[checksumIndex] else {
            throw .badChecksum(expected: computed, found: bytes[checksumIndex])
        }
        var reader = JT808ByteReader(content)
        let (header, bodyLength) = try JT808Header.decode(from: &reader)
        let body = reader.readRemaining()
        guard body.count == bodyLength else { throw .lengthMismatch(declared: bodyLength, actual: body.count) }
        return try JT808Frame(header: header, body: body)
    }

    /// The header of a frame that `decode` refuses after its check code held (a body length that lies, a body too
    /// long): enough to answer the terminal with "message error". Nil when even the header cannot be trusted.
    public static func readableHeader(_ escapedFrameContent: some Collection<UInt8>) -> JT808Header? {
        guard let bytes = try? JT808Escaping.unescape(escapedFrameContent), bytes.count > JT808Header.minimumLength,
            JT808Escaping.checksum(bytes[..<(bytes.count - 1)]) == bytes[bytes.count - 1]
        else { return nil }
        var reader = JT808ByteReader(bytes[..<(bytes.count - 1)])
        return try? JT808Header.decode(from: &reader).header
    }

    /// Encodes the frame for the wire: delimiters, header with body length, body, check code, escaping.
    public func encode() -> [UInt8] {
        var raw = header.encode(bodyLength: body.count)
        raw.append(contentsOf: body)
        raw.append(JT808Escaping.checksum(raw))
        var output: [UInt8] = [JT808Escaping.delimiter]
        output.reserveCapacity(raw.count + raw.count / 8 + 2)
        JT808Escaping.escape(raw, into: &output)
        output.append(JT808Escaping.delimiter)
        return output
    }

    /// Decodes the body as a typed message; see `JT808Message.decode(header:body:)`.
    public func decodeMessage() throws(JT808Error) -> JT808Message {
        try JT808Message.decode(header: header, body: body)
    }
}
