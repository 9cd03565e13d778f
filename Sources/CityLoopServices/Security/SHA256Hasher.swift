import CityLoopDomain
import Crypto
import Foundation

/// SHA-256 from swift-crypto, for the event hash chain and token hashes.
public struct SHA256Hasher: EventHasher {
    /// Creates the hasher.
    public init() {}

    /// Lowercase hex SHA-256 of the UTF-8 text.
    public func digest(_ text: String) -> String { Self.hex(Data(text.utf8)) }

    /// Lowercase hex SHA-256 of UTF-8 bytes.
    public func digest(utf8 bytes: [UInt8]) -> String { Self.hex(SHA256.hash(data: bytes)) }

    /// Lowercase hex SHA-256 of bytes.
    public static func hex(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    static func hex(_ digest: SHA256.Digest) -> String {
        // String(format:) per byte was a tenth of intake's CPU time; a lookup table is not.
        String(unsafeUninitializedCapacity: 2 * SHA256.byteCount) { out in
            var i = 0
            for byte in digest {
                out[i] = hexDigits[Int(byte >> 4)]
                out[i + 1] = hexDigits[Int(byte & 0x0F)]
                i += 2
            }
            return i
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
