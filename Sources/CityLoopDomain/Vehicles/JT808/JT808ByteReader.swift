/// A bounds-checked big-endian reader over protocol bytes; every read throws `.truncated` instead of trapping.
struct JT808ByteReader {
    private let bytes: ArraySlice<UInt8>
    private var position: Int

    /// Creates a reader positioned at the first byte of `bytes`.
    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    /// Creates a reader positioned at the first byte of `bytes`.
    init(_ bytes: [UInt8]) {
        self.init(bytes[...])
    }

    /// The number of bytes not yet read.
    var remainingCount: Int { bytes.endIndex - position }

    /// Reads one BYTE.
    mutating func readUInt8(_ field: String) throws(JT808Error) -> UInt8 {
        guard remainingCount >= 1 else { throw .truncated(field: field) }
        defer { position += 1 }
        return bytes[position]
    }

    /// Reads one big-endian WORD.
    mutating func readUInt16(_ field: String) throws(JT808Error) -> UInt16 {
        guard remainingCount >= 2 else { throw .truncated(field: field) }
        defer { position += 2 }
        return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
    }

    /// Reads one big-endian DWORD.
    mutating func readUInt32(_ field: String) throws(JT808Error) -> UInt32 {
        guard remainingCount >= 4 else { throw .truncated(field: field) }
        defer { position += 4 }
        return UInt32(bytes[position]) << 24 | UInt32(bytes[position + 1]) << 16
            | UInt32(bytes[position + 2]) << 8 | UInt32(bytes[position + 3])
    }

    /// Reads exactly `count` bytes.
    mutating func readBytes(_ count: Int, _ field: String) throws(JT808Error) -> [UInt8] {
        guard count >= 0, remainingCount >= count else { throw .truncated(field: field) }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    /// Reads a fixed-width field right-padded with 0x00 and returns it without the padding.
    mutating func readPaddedString(_ width: Int, _ field: String) throws(JT808Error) -> JT808String {
        JT808String(bytes: try readBytes(width, field)).trimmingTrailingZeros()
    }

    /// Reads everything that is left.
    mutating func readRemaining() -> [UInt8] {
        defer { position = bytes.endIndex }
        return Array(bytes[position...])
    }
}
