import Foundation

/// A protocol STRING or fixed-width byte field (STRING，GBK 编码), kept as the raw bytes sent on the wire.
///
/// Text is decoded best-effort: pure ASCII directly, anything else as GB18030 (a superset of GBK, 国标码)
/// through Foundation's CoreFoundation-backed `String.Encoding` 0x8000_0632
/// (`kCFStringEncodingGB_18030_2000`), which swift-corelibs-foundation supports on Linux as well as on Apple
/// platforms. Equality compares the raw bytes only.
public struct JT808String: Sendable, Equatable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The raw bytes.
    public let bytes: [UInt8]

    /// Foundation's GB18030 encoding, equal to `CFStringConvertEncodingToNSStringEncoding(kCFStringEncodingGB_18030_2000)`.
    public static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    /// Wraps raw bytes as received or to be sent.
    public init(bytes: some Sequence<UInt8>) {
        self.bytes = Array(bytes)
    }

    /// Encodes `string` as GB18030 (ASCII stays one byte per character); falls back to UTF-8 only if
    /// Foundation cannot produce GB18030.
    public init(_ string: String) {
        if string.utf8.allSatisfy({ $0 < 0x80 }) {
            bytes = Array(string.utf8)
        } else if let data = string.data(using: Self.gb18030) {
            bytes = Array(data)
        } else {
            bytes = Array(string.utf8)
        }
    }

    /// Creates the value from a literal, encoded as by `init(_:)`.
    public init(stringLiteral value: String) {
        self.init(value)
    }

    /// The decoded text: ASCII as is, otherwise GB18030; `nil` when the bytes are not valid GB18030.
    public var string: String? {
        if bytes.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        // CoreFoundation returns an empty string for some undecodable input instead of nil.
        guard let decoded = String(bytes: bytes, encoding: Self.gb18030), !decoded.isEmpty else { return nil }
        return decoded
    }

    /// The bytes as uppercase hexadecimal, two digits per byte.
    public var hexString: String {
        bytes.map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return byte < 0x10 ? "0" + digits : digits
        }.joined()
    }

    /// The decoded text, or `hex:` followed by the bytes in hexadecimal when they cannot be decoded.
    public var description: String {
        string ?? "hex:" + hexString
    }

    /// The same bytes without trailing 0x00 padding (后补 0x00).
    func trimmingTrailingZeros() -> JT808String {
        guard let last = bytes.lastIndex(where: { $0 != 0 }) else { return JT808String(bytes: []) }
        return JT808String(bytes: bytes[...last])
    }
}
