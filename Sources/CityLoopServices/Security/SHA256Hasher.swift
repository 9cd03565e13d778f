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
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
