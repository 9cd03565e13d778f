/// Packed binary-coded decimal helpers (8421 BCD 码): two decimal digits per byte, high nibble first.
enum JT808BCD {
    /// Unpacks `bytes` into a digit string, keeping leading zeros; throws `.invalidBCD` on a nibble above 9.
    static func digits(from bytes: some Collection<UInt8>, field: String) throws(JT808Error) -> String {
        var scalars: [UInt8] = []
        scalars.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            let high = byte >> 4
            let low = byte & 0x0F
            guard high <= 9, low <= 9 else { throw .invalidBCD(field: field) }
            scalars.append(0x30 + high)
            scalars.append(0x30 + low)
        }
        return String(decoding: scalars, as: UTF8.self)
    }

    /// Packs a string of ASCII digits into exactly `byteCount` bytes, left-padding with zeros.
    ///
    /// Throws `.invalidBCD` for a non-digit character and `.fieldTooLong` when there are more than `2 × byteCount` digits.
    static func pack(_ digits: String, byteCount: Int, field: String) throws(JT808Error) -> [UInt8] {
        let utf8 = Array(digits.utf8)
        guard utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { throw .invalidBCD(field: field) }
        guard utf8.count <= byteCount * 2 else { throw .fieldTooLong(field: field, maximum: byteCount * 2) }
        let nibbles = [UInt8](repeating: 0, count: byteCount * 2 - utf8.count) + utf8.map { $0 - 0x30 }
        return (0..<byteCount).map { nibbles[2 * $0] << 4 | nibbles[2 * $0 + 1] }
    }

    /// Decodes one byte holding two BCD digits as a number 0–99.
    static func value(of byte: UInt8, field: String) throws(JT808Error) -> Int {
        let high = byte >> 4
        let low = byte & 0x0F
        guard high <= 9, low <= 9 else { throw .invalidBCD(field: field) }
        return Int(high) * 10 + Int(low)
    }

    /// Encodes a number 0–99 as one BCD byte; callers guarantee the range.
    static func byte(for value: Int) -> UInt8 {
        let clamped = UInt8(clamping: value) % 100
        return (clamped / 10) << 4 | (clamped % 10)
    }
}
