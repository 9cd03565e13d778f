/// A big-endian writer that builds protocol bytes.
struct JT808ByteWriter {
    /// The bytes written so far.
    private(set) var bytes: [UInt8] = []

    /// Appends one BYTE.
    mutating func writeUInt8(_ value: UInt8) {
        bytes.append(value)
    }

    /// Appends one big-endian WORD.
    mutating func writeUInt16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    /// Appends one big-endian DWORD.
    mutating func writeUInt32(_ value: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    /// Appends raw bytes.
    mutating func writeBytes(_ value: some Sequence<UInt8>) {
        bytes.append(contentsOf: value)
    }

    /// Appends a WORD length, throwing if `count` does not fit.
    mutating func writeLength16(_ count: Int, _ field: String) throws(JT808Error) {
        guard let value = UInt16(exactly: count) else { throw .fieldTooLong(field: field, maximum: Int(UInt16.max)) }
        writeUInt16(value)
    }

    /// Appends a BYTE length, throwing if `count` does not fit.
    mutating func writeLength8(_ count: Int, _ field: String) throws(JT808Error) {
        guard let value = UInt8(exactly: count) else { throw .fieldTooLong(field: field, maximum: Int(UInt8.max)) }
        writeUInt8(value)
    }

    /// Appends `value` right-padded with 0x00 to exactly `width` bytes.
    mutating func writePadded(_ value: JT808String, width: Int, _ field: String) throws(JT808Error) {
        guard value.bytes.count <= width else { throw .fieldTooLong(field: field, maximum: width) }
        bytes.append(contentsOf: value.bytes)
        bytes.append(contentsOf: repeatElement(0, count: width - value.bytes.count))
    }
}
