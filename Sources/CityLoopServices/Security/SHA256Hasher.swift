import CityLoopDomain
import Crypto
import Foundation

/// SHA-256 from swift-crypto, for the event hash chain and token hashes.
public struct SHA256Hasher: EventHasher {
    /// Creates the hasher.
    public init() {}

    /// Lowercase hex SHA-256 of the UTF-8 text.
    public func digest(_ text: String) -> String { Self.hex(Data(text.utf8)) }

    /// Lowercase hex SHA-256 of bytes.
    public static func hex(_ data: Data) -> String {
        // String(format:) per byte was a tenth of intake's CPU time; a lookup table is not.
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in SHA256.hash(data: data) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
