/// Errors raised while splitting, decoding or encoding JT/T 808 frames and messages.
public enum JT808Error: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// An escape byte 0x7D was followed by something other than 0x01 or 0x02, ended the frame,
    /// or an unescaped 0x7E appeared inside the frame content (转义错误).
    case badEscape
    /// The XOR check code (校验码) is wrong: `expected` is computed over the unescaped header and body,
    /// `found` is the transmitted byte.
    case badChecksum(expected: UInt8, found: UInt8)
    /// The input ended before the named field could be read completely.
    case truncated(field: String)
    /// The body length in the message body properties (消息体属性) differs from the number of body bytes present.
    case lengthMismatch(declared: Int, actual: Int)
    /// The splitter saw more frame content than its configured maximum without a closing 0x7E.
    case frameTooLong
    /// The named BCD field (BCD 码) contains a nibble greater than 9, or a digit string cannot be packed as BCD.
    case invalidBCD(field: String)
    /// A BCD time (YYMMDDhhmmss, GMT+8) is not a valid calendar date and time, or a date is outside 2000–2099.
    case invalidTime
    /// The body is encrypted (消息体加密, e.g. RSA); encrypted bodies are not supported.
    case encrypted
    /// The unescaped frame is shorter than the smallest possible header plus check code (13 bytes).
    case tooShort
    /// The frame is one subpackage (分包) of a longer message; its body must be reassembled before message decoding.
    case subpackageFragment
    /// A value is longer than its field allows when encoding (for example a terminal model over 20 bytes in 2013).
    case fieldTooLong(field: String, maximum: Int)
    /// A value cannot be represented in the named field when encoding (for example a latitude over 90°).
    case invalidValue(field: String)

    /// A human-readable explanation of the error.
    public var description: String {
        switch self {
        case .badEscape:
            return "JT808: invalid escape sequence (0x7D must be followed by 0x01 or 0x02; 0x7E is not allowed inside a frame)"
        case .badChecksum(let expected, let found):
            return "JT808: check code mismatch (computed \(Self.hex(expected)), frame carries \(Self.hex(found)))"
        case .truncated(let field):
            return "JT808: data ends before field '\(field)' is complete"
        case .lengthMismatch(let declared, let actual):
            return "JT808: body length field says \(declared) bytes but the frame has \(actual)"
        case .frameTooLong:
            return "JT808: frame exceeds the maximum length without a closing 0x7E; partial frame dropped"
        case .invalidBCD(let field):
            return "JT808: field '\(field)' is not valid BCD"
        case .invalidTime:
            return "JT808: invalid BCD time (not a real date/time between 2000 and 2099, GMT+8)"
        case .encrypted:
            return "JT808: encrypted message bodies are not supported"
        case .tooShort:
            return "JT808: frame is shorter than the minimum header plus check code"
        case .subpackageFragment:
            return "JT808: frame is a subpackage; reassemble the body before decoding the message"
        case .fieldTooLong(let field, let maximum):
            return "JT808: field '\(field)' is longer than its maximum of \(maximum)"
        case .invalidValue(let field):
            return "JT808: value of field '\(field)' cannot be encoded"
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return byte < 0x10 ? "0x0" + digits : "0x" + digits
    }
}
