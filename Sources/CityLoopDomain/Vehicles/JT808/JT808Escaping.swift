/// Frame escaping (转义) and the XOR check code (校验码).
///
/// Inside a frame 0x7E is sent as 0x7D 0x02 and 0x7D as 0x7D 0x01; the check code is computed on unescaped bytes.
enum JT808Escaping {
    /// The frame delimiter (标识位).
    static let delimiter: UInt8 = 0x7E
    /// The escape byte.
    static let escape: UInt8 = 0x7D

    /// Reverses escaping; throws `.badEscape` for a dangling or unknown escape or an unescaped 0x7E.
    static func unescape(_ input: some Collection<UInt8>) throws(JT808Error) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var pendingEscape = false
        for byte in input {
            if pendingEscape {
                switch byte {
                case 0x01: output.append(escape)
                case 0x02: output.append(delimiter)
                default: throw .badEscape
                }
                pendingEscape = false
            } else if byte == escape {
                pendingEscape = true
            } else if byte == delimiter {
                throw .badEscape
            } else {
                output.append(byte)
            }
        }
        guard !pendingEscape else { throw .badEscape }
        return output
    }

    /// Appends `input` to `output` with 0x7E and 0x7D escaped.
    static func escape(_ input: [UInt8], into output: inout [UInt8]) {
        for byte in input {
            switch byte {
            case delimiter: output.append(escape); output.append(0x02)
            case escape: output.append(escape); output.append(0x01)
            default: output.append(byte)
            }
        }
    }

    /// XOR of all bytes.
    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt8 {
        bytes.reduce(0, ^)
    }
}
